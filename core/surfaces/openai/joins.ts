// Chunks synthesised separately do not meet at a zero crossing: placed end to end they
// click. A few milliseconds of raised-cosine fade on each side of every join remove the
// step without touching the outer edges of the utterance, and the same function runs for
// streamed and whole responses, so both carry identical samples.

export const JOIN_FADE_SECONDS = 0.005;

/** Fades `samples` in place: in at its start unless it is the first chunk, out at its end unless the last. */
export function smoothJoin(samples: Float32Array, sampleRate: number, position: { first: boolean; last: boolean }): Float32Array {
  const length = Math.min(Math.round(JOIN_FADE_SECONDS * sampleRate), Math.floor(samples.length / 2));
  for (let i = 0; i < length; i++) {
    const gain = 0.5 - 0.5 * Math.cos((Math.PI * i) / length);
    if (!position.first) samples[i]! *= gain;
    if (!position.last) samples[samples.length - 1 - i]! *= gain;
  }
  return samples;
}
