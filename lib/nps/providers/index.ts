import { asknicelyProvider } from './asknicely';
import { delightedProvider } from './delighted';
import { fieldMappingProvider } from './fieldMapping';
import { genericProvider } from './generic';
import { satismeterProvider } from './satismeter';
import { survicateProvider } from './survicate';
import { tallyProvider } from './tally';
import { typeformProvider } from './typeform';
import { wootricProvider } from './wootric';
import type { NpsProvider, ProviderId } from './types';

export const PROVIDERS: Partial<Record<ProviderId, NpsProvider>> = {
	generic: genericProvider,
	delighted: delightedProvider,
	typeform: typeformProvider,
	wootric: wootricProvider,
	survicate: survicateProvider,
	satismeter: satismeterProvider,
	tally: tallyProvider,
	asknicely: asknicelyProvider,
	fieldMapping: fieldMappingProvider,
};

export type { NpsProvider, ProviderId } from './types';
