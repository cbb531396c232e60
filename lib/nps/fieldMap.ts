/**
 * Field mapping mode: where each canonical field is in a payload the user designed themselves
 * (Retently, Medallia, Google Forms through Apps Script, ...). Paths are dot paths with
 * optional indexes (`data.answers[0].value`); empty means "not sent".
 */
export interface FieldMap {
	response_id: string;
	nps_score: string;
	survey_date?: string;
	survey_id?: string;
	email?: string;
	customer_id?: string;
	person_id?: string;
	comment?: string;
	themes?: string;
	properties?: string;
	/** A time that changes when the response is edited: tells an update from a redelivery. */
	updated_at?: string;
	/** The field naming the event, and the values that mean "an NPS response"; other events are ignored. */
	event_type?: string;
	nps_event_values?: string[];
}
