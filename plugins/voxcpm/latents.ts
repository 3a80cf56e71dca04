// Between the AudioVAE's [64, frames] latents and the LM's [patches, P, 64] patches, and the
// prompt's left padding (voxcpm.py `_generate`): valid audio must end exactly at a patch
// boundary, so silence goes in front.

/** Left-pads with zeros to a whole number of `multiple` samples (`F.pad(audio, (pad, 0))`). */
export function leftPadToMultiple(samples: Float32Array, multiple: number): Float32Array {
  const remainder = samples.length % multiple;
  if (remainder === 0) return samples;
  const out = new Float32Array(samples.length + multiple - remainder);
  out.set(samples, multiple - remainder);
  return out;
}

/** `latent.view(D, -1, P).permute(1, 2, 0)`: [D, T·P] → [T, P, D]. */
export function patchesFromLatent(latent: Float32Array, latentDim: number, patchSize: number): Float32Array {
  const frames = latent.length / latentDim;
  if (frames % patchSize !== 0) throw new RangeError(`${frames} latent frames are not whole patches of ${patchSize}`);
  // [T, P, D] row-major is [T·P, D]: frame-major, channels innermost.
  const out = new Float32Array(latent.length);
  for (let c = 0; c < latentDim; c++) for (let f = 0; f < frames; f++) out[f * latentDim + c] = latent[c * frames + f]!;
  return out;
}

/** `rearrange(patches, "t p d -> d (t p)")`: [T, P, D] → [D, T·P]. */
export function latentFromPatches(patches: Float32Array, latentDim: number): Float32Array {
  const frames = patches.length / latentDim;
  const out = new Float32Array(patches.length);
  for (let f = 0; f < frames; f++) for (let c = 0; c < latentDim; c++) out[c * frames + f] = patches[f * latentDim + c]!;
  return out;
}
