/**
 * The CRM API versions this pack calls, in one place. Templates build their URLs from Map to CRM
 * Fields' `path` or name these versions, and a template check holds them to it; the vendor API
 * ledger (docs/vendor-api-ledger.json) records each version's status and source.
 *
 * HubSpot: date-based versions since March 2026; every /v1/-/v3/ path is unsupported from
 * September 2027 and each dated version is supported for 18 months after its release, so the
 * newest general-availability version is the one to call.
 * (https://developers.hubspot.com/docs/developer-tooling/platform/versioning,
 * https://developers.hubspot.com/changelog/legacy-apis-and-legacy-apps-whats-going-unsupported-and-when)
 */
export const HUBSPOT_API_VERSION = '2026-09';

/**
 * Salesforce REST API version of the sObject Collections upsert (which needs 46.0 or later);
 * a Map to CRM Fields parameter may name another.
 */
export const SALESFORCE_API_VERSION = 'v62.0';
