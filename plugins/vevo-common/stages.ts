// The stages of Vevo's and VevoSing's pipelines (features, ar, fm, vocoder) and their share of
// the progress bar, on the hub's stage timer (core/plugin/stages.ts).
import type { HandlerContext } from '../../core/plugin/context.ts';
import { makeStages as makeWeightedStages, type Stages as WeightedStages } from '../../core/plugin/stages.ts';

export type StageName = 'features' | 'ar' | 'fm' | 'vocoder';
export type Stages = WeightedStages<StageName>;

const WEIGHTS: Record<StageName, number> = { features: 1, ar: 4, fm: 4, vocoder: 1 };

export function makeStages(ctx: Pick<HandlerContext, 'progress' | 'signal'>, plan: readonly StageName[]): Stages {
  return makeWeightedStages(ctx, plan, WEIGHTS);
}
