// One NSF-HiFiGAN generator run: F0 per frame → the harmonic excitation (excitation.ts) →
// generator(mel, excitation) → waveform. Shared by the vocoder plugin and VitsSVC, whose
// decoder is the same network on its latent frames.
import { seededRandom } from '../../core/generation/rng.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { drawRandomness, sineExcitation } from './excitation.ts';

export interface NsfRun {
  /** [channels × frames], channel-major (the graph's `mel`). */
  readonly frames: Float32Array;
  readonly channels: number;
  /** Hz per frame, 0 unvoiced; as many values as frames. */
  readonly f0: Float32Array;
  /** Seed of the initial phases and the noise (SineGen draws both with torch.rand/randn). */
  readonly seed?: number;
}

export interface NsfShape {
  readonly sampleRate: number;
  readonly hop: number;
  readonly harmonics: number;
}

export async function nsfGenerate(graph: string, run: NsfRun, shape: NsfShape, ctx: Pick<HandlerContext, 'graphs' | 'signal' | 'plugin'>): Promise<Float32Array> {
  const count = run.f0.length;
  if (run.frames.length !== count * run.channels) {
    throw new Error(`plugin '${ctx.plugin.name}': ${count} F0 values for ${run.frames.length / run.channels} frames`);
  }
  // 1. SineGen(f0, upp): [1, frames·hop, harmonics + 1]
  const options = { sampleRate: shape.sampleRate, upp: shape.hop, harmonics: shape.harmonics };
  const excitation = sineExcitation(run.f0, options, drawRandomness(seededRandom(run.seed ?? 0), count, options));
  // 2. generator: mel [1, C, frames], excitation → audio [1, 1, frames·hop]
  const { audio } = await ctx.graphs[graph]!.run(
    {
      mel: { type: 'float32', data: run.frames, dims: [1, run.channels, count] },
      excitation: { type: 'float32', data: excitation, dims: [1, count * shape.hop, shape.harmonics + 1] },
    },
    { signal: ctx.signal },
  );
  return audio!.data as Float32Array;
}
