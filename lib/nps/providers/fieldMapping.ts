import { issue } from '../../schema/issue';
import { PayloadReader } from '../payload';
import { finishResponse, ignored, properties, stringList } from './common';
import type { NpsProvider } from './types';

/** An unset path reads as "not sent". */
function optionalPath(path: string | undefined): string | null {
	return path && path.trim() !== '' ? path.trim() : null;
}

/**
 * Field mapping: the user tells where each field is. Unsigned (shared-secret header or basic
 * auth). Without a survey date path, the time of receipt is the survey date.
 */
export const fieldMappingProvider: NpsProvider = {
	id: 'fieldMapping',
	authentication: 'shared',
	parse(body, settings) {
		const map = settings.fieldMap;
		if (!map) return { kind: 'invalid', problems: [issue('(node)', 'missing_field_map', 'the node has no field mapping')] };
		const reader = new PayloadReader(body);
		const eventPath = optionalPath(map.event_type);
		if (eventPath !== null && map.nps_event_values && map.nps_event_values.length > 0) {
			const eventType = reader.text(eventPath);
			if (eventType === null || !map.nps_event_values.includes(eventType)) {
				return ignored(eventType, `event '${eventType ?? '(none)'}' is not one of ${map.nps_event_values.join(', ')}`, null);
			}
		}
		const read = <T>(path: string | undefined, readPath: (resolved: string) => T | null): T | null => {
			const resolved = optionalPath(path);
			return resolved === null ? null : readPath(resolved);
		};
		const surveyDate = read(map.survey_date, (path) => reader.date(path, true)) ?? (optionalPath(map.survey_date) === null ? settings.receivedAt : null);
		return finishResponse(
			reader,
			{
				response_id: reader.id(map.response_id, true),
				survey_id: read(map.survey_id, (path) => reader.id(path, false)),
				email: read(map.email, (path) => reader.email(path)),
				customer_id: read(map.customer_id, (path) => reader.id(path, false)),
				person_id: read(map.person_id, (path) => reader.id(path, false)),
				survey_date: surveyDate,
				nps_score: reader.score(map.nps_score, settings.scale),
				comment: read(map.comment, (path) => reader.text(path)),
				themes: read(map.themes, (path) => stringList(reader.array(path))) ?? [],
				properties: read(map.properties, (path) => properties(reader.object(path))) ?? {},
			},
			{ version: read(map.updated_at, (path) => reader.date(path, false)) },
		);
	},
};
