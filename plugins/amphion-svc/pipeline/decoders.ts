// The acoustic decoders after the condition encoder, one function per kind: each gives the
// normalised mel ([frames × 100], in [−1, 1]) or, for VitsSVC, the waveform.
import type { TensorData } from '../../../core/onnx/graph-handle.ts';
import type { NoiseScheduleConfig } from '../../../core/generation/noise-schedule.ts';
import type { EdmConfig } from '../../../core/generation/consistency.ts';
import { gaussianStream, seededRandom } from '../../../core/generation/rng.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { floatsOf } from '../../../core/onnx/tensors.ts';
import { nsfGenerate } from '../../nsf-hifigan/vocode.ts';
import type { DecoderLoopInput } from '../loops/decoder-loop.ts';
import { SVC } from '../settings.ts';

const LOOP = new URL('../loops/decoder-loop.ts', import.meta.url);

/** config/svc/diffusion.json scheduler_settings: DDPM, 1000 linear betas 1e-4…0.02; diffusers' PNDMScheduler defaults otherwise. */
export const DIFFUSION_SCHEDULE: NoiseScheduleConfig = {
  numTrainTimesteps: 1000,
  betaStart: 1e-4,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  setAlphaToOne: false,
  stepsOffset: 0,
  predictionType: 'epsilon',
};

/** config/comosvc.json model.comosvc: σ_data 0.5, σ_min 0.002, σ_max 80, ρ 7. */
export const COMO_EDM: EdmConfig = { sigmaData: 0.5, sigmaMin: 0.002, sigmaMax: 80, rho: 7 };

export type ConditionFeeds = Record<string, TensorData>;

export interface DecodeRequest {
  readonly feeds: ConditionFeeds;
  readonly frames: number;
  readonly steps: number;
  readonly seed: number;
  /** Hz per frame after the key change (VitsSVC's NSF decoder). */
  readonly f0: Float32Array;
}

export async function decodeDirect(request: DecodeRequest, ctx: HandlerContext): Promise<Float32Array> {
  // acoustic: conditions → mel [1, frames, 100]
  ctx.progress(0, 'decoding', 'decode');
  const { mel } = await ctx.graphs.acoustic!.run(request.feeds, { signal: ctx.signal });
  return floatsOf(mel, 'acoustic.mel');
}

export async function decodeIterative(kind: 'diffusion' | 'consistency', request: DecodeRequest, ctx: HandlerContext): Promise<Float32Array> {
  // condition: conditions → c [1, frames, C] (ComoSVC: the prior μ)
  const { condition } = await ctx.graphs.condition!.run(request.feeds, { signal: ctx.signal });
  const denoiser = ctx.graphs.denoiser!;
  if (!denoiser.open) throw new Error(`plugin '${ctx.plugin.name}': graph 'denoiser' cannot open a session`);
  const session = await denoiser.open({ signal: ctx.signal });
  try {
    await session.put({ condition: condition! });
    const input: DecoderLoopInput = {
      kind,
      steps: request.steps,
      seed: request.seed,
      dims: [1, request.frames, SVC.nMels],
      ...(kind === 'diffusion' ? { schedule: DIFFUSION_SCHEDULE } : { edm: COMO_EDM, mu: floatsOf(condition, 'condition.condition') }),
    };
    // denoiser × steps, next to the session
    return await session.loop<Float32Array>(LOOP, input, { onProgress: (i, n) => ctx.progress(i / n, `step ${i} of ${n}`, 'decode') });
  } finally {
    await session.close();
  }
}

export async function decodeVits(request: DecodeRequest, ctx: HandlerContext): Promise<Float32Array> {
  // prior: conditions, ε → latent [1, 384, frames]
  ctx.progress(0, 'decoding', 'decode');
  const noise = gaussianStream(seededRandom(request.seed))(SVC.vitsChannels * request.frames);
  const { latent } = await ctx.graphs.prior!.run({ ...request.feeds, noise: { type: 'float32', data: noise, dims: [1, SVC.vitsChannels, request.frames] } }, { signal: ctx.signal });
  // decoder: NSF-HiFiGAN on the latent, driven by the F0
  return nsfGenerate('decoder', { frames: floatsOf(latent, 'prior.latent'), channels: SVC.vitsChannels, f0: request.f0, seed: request.seed }, { sampleRate: SVC.sampleRate, hop: SVC.hop, harmonics: SVC.vitsHarmonics }, ctx);
}
