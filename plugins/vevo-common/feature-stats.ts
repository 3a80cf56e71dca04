// Per-channel statistics that normalise encoder features before a tokenizer: Vevo's HuBERT
// (hubert_large_l18_mean_std.npz) and VevoSing's Whisper (whisper_stats.pt), each converted to
// JSON `{mean: [...], std: [...]}` in the plugin's weight folder. Smoke graphs come without the
// file: identity statistics then.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HandlerContext } from '../../core/plugin/context.ts';

export interface FeatureStats {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** (feats − mean) / std per channel, features [frames × dim] frame-major. */
export function normaliseFeatures(features: Float32Array, stats: FeatureStats): Float32Array {
  const dim = stats.mean.length;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = (features[i]! - stats.mean[i % dim]!) / stats.std[i % dim]!;
  return out;
}

export const identityStats = (dim: number): FeatureStats => ({ mean: new Float32Array(dim), std: new Float32Array(dim).fill(1) });

export async function loadFeatureStats(ctx: Pick<HandlerContext, 'weightDir' | 'weightState'>, file: string, dim: number, plugin: string): Promise<FeatureStats> {
  const path = join(ctx.weightDir, file);
  if (ctx.weightState === 'smoke' && !existsSync(path)) return identityStats(dim);
  const parsed = JSON.parse(await readFile(path, 'utf8')) as { mean?: number[]; std?: number[] };
  if (parsed.mean?.length !== dim || parsed.std?.length !== dim) throw new Error(`${plugin}: ${file} needs 'mean' and 'std' of ${dim} numbers each`);
  return { mean: Float32Array.from(parsed.mean), std: Float32Array.from(parsed.std) };
}
