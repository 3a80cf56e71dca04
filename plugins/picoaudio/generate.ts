// PicoAudio: a caption with event timings → 16 kHz audio.
//   1. caption → events and their on/offsets (caption.ts) → the 32 × 256 timestamp matrix
//   2. event names → CLAP embedding (normalised)
//   3. x_T ~ N(0, I) [1, 8, 256, 16] from the seed → DDPM loop (ancestral, 200 steps) in the UNet's worker
//   4. latent → AudioLDM's VAE decoder and vocoder (capability) → crop to `duration`
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { clapEmbedding, robertaTokenizer, tokenize } from '../clap-text/clap-text.ts';
import { TEXT_EMBED } from '../clap-text/contract.ts';
import { MEL_LATENT_DECODER, type MelLatentDecoder } from '../mel-latent/decoder.ts';
import { MEL_LATENT, type LatentShape } from '../mel-latent/layout.ts';
import { AUDIOLDM_SCHEDULE, checkpointSchedule } from '../mel-latent/schedule.ts';
import type { CaptionEvent } from './caption.ts';
import type { PicoDenoiseInput } from './denoise-loop.ts';
import { eventText, LATENT_FRAMES, TIMESTAMP_ROWS, timestampMatrix } from './timestamps.ts';

/** laion-clap tokenizes to 77 tokens. */
export const MAX_TOKENS = 77;
/** The reference's inference default (its UNet was trained without dropped conditioning). */
export const GUIDANCE_SCALE = 1;
/** The reference's inference default (`--num_steps 200`), with its DDPM sampler. */
export const STEPS = 200;
/** Tango's scheduler, which PicoAudio trains with: stable-diffusion-2-1's (v-prediction). */
export const PICO_SCHEDULE = { ...AUDIOLDM_SCHEDULE, predictionType: 'v_prediction' } as const;

const LOOP = new URL('./denoise-loop.ts', import.meta.url);

export interface PicoRequest {
  readonly events: readonly CaptionEvent[];
  readonly seconds: number;
  readonly seed: number;
}

function decoderOf(ctx: HandlerContext) {
  const provider = ctx.capabilities.find<MelLatentDecoder>(MEL_LATENT_DECODER, 'audioldm');
  if (!provider) throw errors.unavailable("picoaudio decodes with AudioLDM's VAE and vocoder, and plugin 'audioldm' has no usable weights; GET /api/health shows its state");
  return provider;
}

export async function generatePico(request: PicoRequest, ctx: HandlerContext): Promise<Float32Array> {
  const decoder = decoderOf(ctx);
  // 1–2. timestamps and the CLAP embedding of "event_a and event_b"
  ctx.progress(0, 'encoding the events', 'text');
  const timestamps = timestampMatrix(request.events);
  const tokenizer = await robertaTokenizer(ctx);
  const cond = await clapEmbedding(ctx, tokenize(tokenizer, eventText(request.events), MAX_TOKENS).ids);
  const guided = GUIDANCE_SCALE > 1;
  const items = guided ? 2 : 1;
  const event = new Float32Array(items * TEXT_EMBED);
  event.set(cond, (items - 1) * TEXT_EMBED); // uncond (zeros) first, as torch.cat([negative, prompt])
  const matrices = new Float32Array(items * timestamps.length);
  for (let k = 0; k < items; k++) matrices.set(timestamps, k * timestamps.length);

  // 3. unet × steps
  const dims = [1, MEL_LATENT.latentChannels, LATENT_FRAMES, MEL_LATENT.latentBins] as const;
  const unet = ctx.graphs.unet;
  if (!unet?.open) throw new Error("plugin 'picoaudio': graph 'unet' cannot open a session");
  const session = await unet.open({ signal: ctx.signal });
  let latent: Float32Array;
  try {
    await session.put({
      event: { type: 'float32', data: event, dims: [items, TEXT_EMBED] },
      timestamps: { type: 'float32', data: matrices, dims: [items, TIMESTAMP_ROWS, LATENT_FRAMES] },
    });
    const input: PicoDenoiseInput = {
      steps: STEPS,
      guidance: GUIDANCE_SCALE,
      seed: request.seed,
      dims,
      schedule: await checkpointSchedule(ctx.weightDir, PICO_SCHEDULE),
    };
    latent = await session.loop<Float32Array>(LOOP, input, { onProgress: (i, n) => ctx.progress(i / n, `step ${i} of ${n}`, 'denoise') });
  } finally {
    await session.close();
  }

  // 4. decode with AudioLDM's graphs, in AudioLDM's context
  ctx.progress(1, 'decoding the latent', 'decode');
  await decoder.ready();
  const shape: LatentShape = { melFrames: LATENT_FRAMES * MEL_LATENT.vaeScale, dims, samples: Math.trunc(request.seconds * MEL_LATENT.sampleRate) };
  return decoder.capability.decode(latent, shape, decoder.context({ signal: ctx.signal, requestId: ctx.requestId, progress: ctx.progress }));
}
