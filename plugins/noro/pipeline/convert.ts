// Noro inference, as noro_inference.py runs it (Noro_VCmodel.inference):
//   1. content: mHuBERT layer 9 of the padded source (reflect-padded by 40), k-means centres,
//      ×1.6 nearest → 80 Hz; pitch: F0 → interpolated → standardised (pipeline/pitch.ts, run in
//      the ONNX worker)
//   2. reference: ln-mel of the padded target clip → reference encoder → 32 speaker queries
//   3. condition: content_f0_enc([content ; pitch]); x_T = z / 1.2; 200 Euler steps of the
//      VP probability-flow ODE on the estimator's x̂₀ (pipeline/diffusion-loop.ts)
//   4. vocoder: the predicted ln-mel → 16 kHz (Amphion leaves this to a BigVGAN trained on the
//      same mel); the padding the source got in step 1 is cut off again.
import { gaussianStream, seededRandom } from '../../../core/generation/rng.ts';
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import { float32Tensor, floatsOf } from '../../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { makeStages } from '../../../core/plugin/stages.ts';
import { hubertFrames } from '../../hubert/front-end.ts';
import { binsMajor } from '../../vevo-common/vocoder.ts';
import { graphs as declared, type NoroGraph } from '../graphs.ts';
import { NORO } from '../settings.ts';
import { padToMultiple, type Clip } from './clips.ts';
import { contentInput, upsampleNearest } from './content.ts';
import { DIFFUSION_SLOTS, type DiffusionInput } from './diffusion-loop.ts';
import type { PitchInput } from './pitch-loop.ts';

const DIFFUSION_LOOP = new URL('./diffusion-loop.ts', import.meta.url);
const PITCH_LOOP = new URL('./pitch-loop.ts', import.meta.url);
/** Shares of the progress bar: the sampler's steps dominate. */
const STAGE_WEIGHTS = { features: 1, diffusion: 8, vocoder: 1 } as const;

export type NoroGraphs = Readonly<Record<NoroGraph, GraphHandle>>;

export interface Conversion {
  readonly source: Clip;
  readonly target: Clip;
  readonly steps: number;
  /** x_T = z / noiseDivisor (noro_inference.py's `sigma`). */
  readonly noiseDivisor: number;
  readonly seed: number;
}

export interface Converted {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly seed: number;
  readonly serverTiming: string;
}

export function noroGraphs(ctx: Pick<HandlerContext, 'graphs'>): NoroGraphs {
  const missing = Object.keys(declared).filter((name) => ctx.graphs[name] === undefined);
  if (missing.length) throw new Error(`noro: no handle for graph(s) ${missing.join(', ')}`);
  return ctx.graphs as NoroGraphs;
}

export async function convert(request: Conversion, ctx: HandlerContext): Promise<Converted> {
  const graphs = noroGraphs(ctx);
  const { signal } = ctx;
  const { melBins: bins, contentDim } = NORO;
  const stages = makeStages(ctx, ['features', 'diffusion', 'vocoder'], STAGE_WEIGHTS);

  // One session pinned to the worker that holds the estimator, the condition and the reference
  // encoder: the speaker queries and the condition stay there, and so does the pitch search.
  const session = await graphs.estimator.open!({ signal, with: ['condition', 'reference_encoder'] });
  let frames: number;
  let mel: Float32Array;
  try {
    // 1.–2. Source content and pitch; the reference's mel and speaker queries; the condition
    frames = await stages.run('features', async () => {
      const source = padToMultiple(request.source.samples, NORO.sourcePadMultiple);
      const frames = source.length / NORO.hop;
      // content: mHuBERT L9 → k-means centres [1, S/320, 768]
      const wave = contentInput(source);
      const hubert = floatsOf((await graphs.content.run({ waveform: float32Tensor(wave, [1, wave.length]) }, { signal })).features, 'content.features');
      // S + 80 samples: the conv encoder's ⌊(S + 80 − 80)/320⌋ = S/320 frames, ×1.6 = S/200
      const hubertFrameCount = hubertFrames(wave.length);
      if (hubert.length !== hubertFrameCount * contentDim) throw new Error(`noro: content graph gave ${hubert.length / contentDim} frames, HuBERT makes ${hubertFrameCount}`);
      const content = upsampleNearest(hubert, hubertFrameCount, contentDim);
      if (content.frames !== frames) throw new Error(`noro: ${content.frames} content frames for ${frames} mel frames`);
      const pitchInput: PitchInput = { source, frames };
      const pitch = await session.loop<Float32Array>(PITCH_LOOP, pitchInput);
      // mel_spectrogram_torch(ref_audio).transpose(1, 2): [frames × 80]
      const reference = padToMultiple(request.target.samples, NORO.referencePadMultiple);
      const refMel = await ctx.audio.melSpectrogram(reference, NORO.mel);
      const refFrames = refMel.dims[1];
      // reference_encoder: spk_query_emb [1, 32, 512]
      await session.run('reference_encoder', { mel: float32Tensor(binsMajor(refMel.data, bins, refFrames), [1, refFrames, bins]) }, { keep: { speaker: DIFFUSION_SLOTS.speaker } });
      // condition: content_f0_enc(cat([content, pitch[:, :, None]], -1)) [1, frames, 512]
      await session.run(
        'condition',
        { content: float32Tensor(content.data, [1, frames, contentDim]), pitch: float32Tensor(pitch, [1, frames]) },
        { keep: { condition: DIFFUSION_SLOTS.condition } },
      );
      return frames;
    });

    // 3. Diffusion: z = randn(1, frames, 80) / sigma, then the sampler loop next to the estimator
    mel = await stages.run('diffusion', async (tick) => {
      const z = gaussianStream(seededRandom(request.seed))(frames * bins);
      const input: DiffusionInput = { start: z.map((v) => v / request.noiseDivisor), frames, bins, steps: request.steps, schedule: NORO.schedule };
      return session.loop<Float32Array>(DIFFUSION_LOOP, input, { onProgress: (i, n) => tick(i, n) });
    });
  } finally {
    await session.close();
  }

  // 4. Vocoder: mel [1, 80, T] → audio [1, 1, 200·T], cut back to the source's own length
  const audio = await stages.run('vocoder', async () => {
    const out = await graphs.vocoder.run({ mel: float32Tensor(binsMajor(mel, frames, bins), [1, bins, frames]) }, { signal });
    return floatsOf(out.audio, 'vocoder.audio').slice(0, request.source.samples.length);
  });
  return { audio, sampleRate: NORO.sampleRate, seed: request.seed, serverTiming: stages.serverTiming() };
}
