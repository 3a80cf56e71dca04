// Latent → audio through the VAE decoder and the vocoder, once for every plugin that diffuses
// in this mel latent. AudioLDM owns the graphs and offers `decode` as the `mel-latent-decoder`
// capability; PicoAudio, trained on the same VAE and vocoder, calls it there.
import { float32Tensor, floatsOf } from '../../core/onnx/tensors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { MEL_LATENT, type LatentShape } from './layout.ts';

export const MEL_LATENT_DECODER = 'mel-latent-decoder';

export interface MelLatentDecoder {
  /** The latent [1, 8, frames/4, 16] of `shape` → 16 kHz audio cropped to `shape.samples`. */
  decode(latent: Float32Array, shape: LatentShape, ctx: HandlerContext): Promise<Float32Array>;
}

function graph(ctx: HandlerContext, name: string) {
  const handle = ctx.graphs[name];
  if (!handle) throw new Error(`mel-latent decoder: graph '${name}' is not declared by the plugin that offers it`);
  return handle;
}

export const melLatentDecoder: MelLatentDecoder = {
  async decode(latent, shape, ctx) {
    // 1. VAE: mel_spectrogram = vae.decode(latents / scaling_factor).sample  → [1, 1, T, 64]
    const { mel } = await graph(ctx, 'vae_decoder').run({ latent: float32Tensor(latent, shape.dims) }, { signal: ctx.signal });
    // 2. vocoder: waveform = vocoder(mel.squeeze(1))  → [1, 160·T + 32]
    const { audio } = await graph(ctx, 'vocoder').run(
      { mel: float32Tensor(floatsOf(mel, 'vae_decoder.mel'), [1, shape.melFrames, MEL_LATENT.melBins]) },
      { signal: ctx.signal },
    );
    // 3. audio[:, :original_waveform_length]: the transposed convolutions overshoot, and the
    //    mel frames were rounded up to a multiple of the VAE scale.
    return floatsOf(audio, 'vocoder.audio').slice(0, shape.samples);
  },
};
