import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { COMPARATOR_TYPES, type ComparatorType } from '../../../lib/dedupe/comparators';
import { FellegiSunterMatcher } from '../../../lib/dedupe/fellegiSunter';
import type { Matcher } from '../../../lib/dedupe/matcher';
import { RuleMatcher } from '../../../lib/dedupe/matcher';
import type { B2bRuleId, MatchRule } from '../../../lib/dedupe/rules';
import { b2bRules, peopleRules, probabilisticPeopleComparisons } from '../../../lib/dedupe/rules';
import type { MergeOptions, SurvivorshipRule } from '../../../lib/dedupe/survivorship';
import { commaList } from '../../shared/commaList';

export interface DedupeNodeOptions {
	annotationField?: string;
	copyFromMatch?: string;
	defaultCountry?: string;
	historySize?: number;
	holdNewRecords?: boolean;
	holdSeconds?: number;
	holdWaitSeconds?: number;
	idField?: string;
	maxAgeDays?: number;
	maxBlockSize?: number;
	rememberUnique?: boolean;
	sourceFields?: string;
	timestampField?: string;
}

interface CustomRuleParameter {
	name?: string;
	comparisons?: { comparison?: Array<{ field: string; type: string; threshold: number }> };
}

/** The user's custom rules, checked: every rule needs a comparison, every comparison a field and a known type. */
export function customRules(parameter: { rule?: CustomRuleParameter[] }): MatchRule[] {
	return (parameter.rule ?? []).map((rule, ruleIndex) => {
		const name = rule.name?.trim() || `rule ${ruleIndex + 1}`;
		const comparisons = (rule.comparisons?.comparison ?? []).map((comparison, index) => {
			const fields = commaList(comparison.field ?? '');
			if (fields.length === 0) throw new Error(`Rule '${name}', comparison ${index + 1}: the Field is empty`);
			if (!COMPARATOR_TYPES.includes(comparison.type as ComparatorType)) {
				throw new Error(`Rule '${name}', comparison ${index + 1}: unknown type '${comparison.type}'`);
			}
			return {
				label: fields[0],
				source: { fields },
				type: comparison.type as ComparatorType,
				threshold: comparison.threshold < 0 ? undefined : comparison.threshold,
			};
		});
		if (comparisons.length === 0) throw new Error(`Rule '${name}' has no comparisons`);
		return { name, comparisons };
	});
}

/** The matcher the node's parameters describe; a parameter mistake is a NodeOperationError naming it. */
export function matcherFromParameters(context: IExecuteFunctions, options: DedupeNodeOptions): Matcher {
	const preset = context.getNodeParameter('preset', 0) as 'b2b' | 'people' | 'custom' | 'probabilistic';
	const comparatorContext = { defaultCountry: options.defaultCountry?.trim() || undefined };
	try {
		if (preset === 'probabilistic') {
			return new FellegiSunterMatcher({
				comparisons: probabilisticPeopleComparisons(),
				threshold: context.getNodeParameter('matchProbability', 0, 0.99) as number,
				context: comparatorContext,
				maxBlockSize: options.maxBlockSize,
			});
		}
		let rules: MatchRule[];
		if (preset === 'b2b') rules = b2bRules(context.getNodeParameter('b2bRules', 0, []) as B2bRuleId[]);
		else if (preset === 'people') rules = peopleRules();
		else rules = customRules(context.getNodeParameter('customRules', 0, {}) as { rule?: CustomRuleParameter[] });
		return new RuleMatcher({ rules, context: comparatorContext, maxBlockSize: options.maxBlockSize });
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			description: preset === 'custom' ? 'Check the Rules parameter' : preset === 'probabilistic' ? 'Check the Match Probability' : 'Choose at least one rule',
		});
	}
}

export function mergeOptionsFromParameters(context: IExecuteFunctions, options: DedupeNodeOptions): MergeOptions {
	return {
		survivorship: context.getNodeParameter('survivorship', 0, 'oldest') as SurvivorshipRule,
		sourceFields: commaList(options.sourceFields ?? 'source, lead_source, utm_source, campaign, utm_campaign'),
		timestampField: options.timestampField?.trim() || undefined,
		idField: options.idField?.trim() || 'id',
		metaKey: options.annotationField?.trim() || '_dedupe',
	};
}
