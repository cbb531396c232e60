import { asknicelyProvider } from './asknicely';
import { delightedProvider } from './delighted';
import { fieldMappingProvider } from './fieldMapping';
import { genericProvider } from './generic';
import { qualtricsProvider } from './qualtrics';
import { satismeterProvider } from './satismeter';
import { surveymonkeyProvider } from './surveymonkey';
import { survicateProvider } from './survicate';
import { tallyProvider } from './tally';
import { typeformProvider } from './typeform';
import { wootricProvider } from './wootric';
import type { NpsProvider, ProviderId } from './types';

export const PROVIDERS: Record<ProviderId, NpsProvider> = {
	generic: genericProvider,
	delighted: delightedProvider,
	typeform: typeformProvider,
	wootric: wootricProvider,
	surveymonkey: surveymonkeyProvider,
	qualtrics: qualtricsProvider,
	survicate: survicateProvider,
	satismeter: satismeterProvider,
	tally: tallyProvider,
	asknicely: asknicelyProvider,
	fieldMapping: fieldMappingProvider,
};

export type { NpsProvider, ProviderId } from './types';
