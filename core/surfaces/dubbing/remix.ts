// The converted vocal back into the song: its loudness matched to the original vocal stem's
// (BS.1770 integrated loudness, so the balance against the accompaniment is the song's), added
// to every accompaniment channel, and the whole mix scaled down when its peak would pass
// −0.1 dBFS (one gain for all channels and samples: no clipping, no change of balance).
import type { AudioToolkit } from '../../audio/toolkit.ts';

const CEILING = 10 ** (-0.1 / 20);
/** A vocal stem quieter than this is silence: nothing to match. */
const SILENT_LUFS = -70;

export async function remix(audio: AudioToolkit, parts: { vocal: Float32Array; original: Float32Array; accompaniment: readonly Float32Array[]; sampleRate: number }): Promise<Float32Array[]> {
  const { vocal, original, accompaniment, sampleRate } = parts;
  const target = await audio.loudness(original, sampleRate);
  const current = await audio.loudness(vocal, sampleRate);
  const gain = Number.isFinite(target) && Number.isFinite(current) && target > SILENT_LUFS && current > SILENT_LUFS ? 10 ** ((target - current) / 20) : 1;
  const channels = accompaniment.length ? accompaniment : [new Float32Array(vocal.length)];
  const out = channels.map((c) => Float32Array.from(c, (v, i) => v + gain * (vocal[i] ?? 0)));
  let peak = 0;
  for (const c of out) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
  if (peak > CEILING) {
    const scale = CEILING / peak;
    for (const c of out) for (let i = 0; i < c.length; i++) c[i]! *= scale;
  }
  return out;
}
