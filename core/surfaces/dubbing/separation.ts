// Vocals and accompaniment of a mix: through a `source-separation` capability when a plugin
// with usable weights offers one (a neural separator), else the weight-free fallback below,
// and the record says which ran.
//
// The fallback is centre-channel extraction (mid/side in the STFT domain): a lead vocal is
// mixed to the centre, so in each time-frequency bin where left and right agree
// (|L − R| small against |L| + |R|) the energy is taken as vocal, with a soft mask
// m = (1 − |L − R| / (|L| + |R|))^4 applied to the mid (L + R)/2; the accompaniment is the
// mix minus the vocal in each channel, so the two always sum back to the mix. A mono mix has
// no side to tell them apart: all of it is taken as vocal and the accompaniment is silence.
import type { CapabilityProvider, SourceSeparationCapability } from '../../capabilities.ts';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';

export const FALLBACK_SEPARATION = 'centre-extraction (weight-free)';
// Half-overlapping Hann frames (COLA, so the inverse is exact where the mask is 1).
const STFT = { nFft: 2048, hop: 1024 } as const;
const SHARPNESS = 4;

export interface Stems {
  readonly vocals: Float32Array[];
  readonly accompaniment: Float32Array[];
  readonly sampleRate: number;
  /** What separated them: a plugin's name, or FALLBACK_SEPARATION. */
  readonly method: string;
}

/** Real weights: installed (checksums pinned) or unverified (present, no checksum to hold them to); never smoke graphs. */
const REAL = new Set(['installed', 'unverified', 'weight-free']);

export function separator(runtime: PluginRuntime): CapabilityProvider<SourceSeparationCapability> | undefined {
  return runtime.list<SourceSeparationCapability>('source-separation').find((p) => REAL.has(runtime.weightState(p.plugin)));
}

export async function separateStems(
  deps: { runtime: PluginRuntime; audio: AudioToolkit },
  mix: { channels: Float32Array[]; sampleRate: number },
  base: { signal: AbortSignal; requestId: string; progress?: (fraction: number, message?: string) => void },
): Promise<Stems> {
  const provider = separator(deps.runtime);
  if (provider) {
    await provider.ready();
    const out = await provider.capability.separate(mix, provider.context(base));
    return { ...out, method: provider.plugin };
  }
  return { ...(await centreExtraction(deps.audio, mix)), method: FALLBACK_SEPARATION };
}

export async function centreExtraction(audio: AudioToolkit, mix: { channels: Float32Array[]; sampleRate: number }): Promise<Omit<Stems, 'method'>> {
  const { channels, sampleRate } = mix;
  if (channels.length < 2) return { vocals: channels.map((c) => c.slice()), accompaniment: channels.map((c) => new Float32Array(c.length)), sampleRate };
  const [left, right] = channels as [Float32Array, Float32Array];
  const n = left.length;
  const L = await audio.stft(left, STFT);
  const R = await audio.stft(right, STFT);
  const re = new Float32Array(L.re.length);
  const im = new Float32Array(L.im.length);
  for (let i = 0; i < re.length; i++) {
    const lr = L.re[i]!, li = L.im[i]!, rr = R.re[i]!, ri = R.im[i]!;
    const diff = Math.hypot(lr - rr, li - ri);
    const sum = Math.hypot(lr, li) + Math.hypot(rr, ri);
    const mask = sum > 1e-9 ? Math.max(0, 1 - diff / sum) ** SHARPNESS : 0;
    re[i] = (mask * (lr + rr)) / 2;
    im[i] = (mask * (li + ri)) / 2;
  }
  const vocal = await audio.istft({ re, im, dims: L.dims }, { ...STFT, length: n });
  const vocals = channels.map(() => vocal.slice());
  const accompaniment = channels.map((c) => Float32Array.from(c, (v, i) => v - vocal[i]!));
  return { vocals, accompaniment, sampleRate };
}
