// Form fields and the answer shape Vevo's and VevoSing's routes share.
import { randomInt } from 'node:crypto';
import { VEVO_ACOUSTIC } from './settings.ts';

/** Most Euler steps a request may ask for. */
export const MAX_FLOW_STEPS = 128;

export const flowStepsField = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_FLOW_STEPS,
  default: VEVO_ACOUSTIC.flowSteps,
  description: 'Euler steps of the flow-matching stage (each step is two estimator passes: conditional and unconditional).',
} as const;

export const seedField = {
  type: 'integer',
  minimum: 0,
  maximum: 4294967295,
  description: 'Seed of the AR sampler and the flow-matching noise: the same seed and inputs give the same audio. Default: random (see `X-Seed`).',
} as const;

export const freshSeed = () => randomInt(0, 2 ** 32 - 1);

/** The route's answer: audio, the seed that reproduces it, and the stage timings. */
export function answer(result: { audio: Float32Array; sampleRate: number; seed: number; serverTiming: string }, headers: Readonly<Record<string, string>> = {}) {
  return { audio: result.audio, sampleRate: result.sampleRate, headers: { 'X-Seed': String(result.seed), 'Server-Timing': result.serverTiming, ...headers } };
}
