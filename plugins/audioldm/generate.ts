// AudioLDM text-to-audio, as diffusers' AudioLDMPipeline.__call__ runs it:
//   1. text → CLAP embeddings (cond and empty-text uncond), L2-normalised
//   2. x_T ~ N(0, I) from the seed, then the DDIM loop with CFG in the UNet's worker
//   3. latent → VAE → mel → HiFi-GAN → 16 kHz audio cropped to the requested length
import type { HandlerContext } from '../../core/plugin/context.ts';
import { melLatentDecoder } from '../mel-latent/decoder.ts';
import { latentShapeFor } from '../mel-latent/layout.ts';
import { TEXT_EMBED } from '../clap-text/contract.ts';
import type { DenoiseInput } from './denoise-loop.ts';
import { gaussianNoise } from '../mel-latent/noise.ts';
import { checkpointSchedule } from '../mel-latent/schedule.ts';
import { encodeText } from './text-conditioning.ts';

/** diffusers' and the original's default guidance scale. */
export const GUIDANCE_SCALE = 2.5;
/**
 * Cond + uncond as one UNet run of batch 2 rather than two runs of 1. `npm run bench -- audioldm`
 * on a 46 M-parameter random-init AudioLDM UNet (5 s latent, CPU): batched 1.10× faster with 2
 * intra-op threads, two runs 1.07–1.15× faster with 1 thread; on GPUs one larger run is the
 * usual winner. Kept batched; the loop does both (`batched: false`).
 */
export const BATCHED_GUIDANCE = true;

export interface GenerateRequest {
  readonly text: string;
  readonly steps: number;
  readonly seconds: number;
  readonly seed: number;
  readonly batched?: boolean;
}

export interface Generated {
  readonly audio: Float32Array;
  readonly truncated: boolean;
}

const LOOP = new URL('./denoise-loop.ts', import.meta.url);

export async function generate(request: GenerateRequest, ctx: HandlerContext): Promise<Generated> {
  // 1. text_encoder: [uncond; cond] → [2, 512]
  ctx.progress(0, 'encoding the text', 'text');
  const conditioning = await encodeText(ctx, request.text);

  // 2. unet × steps, next to the session; the embeddings go in once
  const shape = latentShapeFor(request.seconds);
  const batched = request.batched ?? BATCHED_GUIDANCE;
  const unet = ctx.graphs.unet;
  if (!unet?.open) throw new Error("plugin 'audioldm': graph 'unet' cannot open a session");
  const session = await unet.open({ signal: ctx.signal });
  let latent: Float32Array;
  try {
    const both = conditioning.both;
    await session.put(
      batched
        ? { both: { type: 'float32', data: both, dims: [2, TEXT_EMBED] } }
        : {
            uncond: { type: 'float32', data: both.slice(0, TEXT_EMBED), dims: [1, TEXT_EMBED] },
            cond: { type: 'float32', data: both.slice(TEXT_EMBED), dims: [1, TEXT_EMBED] },
          },
    );
    const input: DenoiseInput = {
      steps: request.steps,
      guidance: GUIDANCE_SCALE,
      noise: gaussianNoise(request.seed, shape.dims.reduce((a, b) => a * b, 1)),
      dims: shape.dims,
      batched,
      schedule: await checkpointSchedule(ctx.weightDir),
    };
    latent = await session.loop<Float32Array>(LOOP, input, { onProgress: (i, n) => ctx.progress(i / n, `step ${i} of ${n}`, 'denoise') });
  } finally {
    await session.close();
  }

  // 3. vae_decoder + vocoder
  ctx.progress(1, 'decoding the latent', 'decode');
  const audio = await melLatentDecoder.decode(latent, shape, ctx);
  return { audio, truncated: conditioning.truncated };
}
