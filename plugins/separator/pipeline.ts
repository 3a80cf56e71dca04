// MDX-Net separation as UVR runs it (separate.py, SeperateMDX / ConvTDFNet.stft & istft):
//   1. stereo at 44.1 kHz; pad: trim = n_fft/2 on both sides, then up to a whole number of
//      "gen" pieces (gen = chunk − 2·trim, chunk = hop·(dim_t − 1))
//   2. per chunk: torch.stft(center=True, hann periodic) of each channel → keep the first dim_f
//      bins → [1, 4, dim_f, dim_t] as [L.re, L.im, R.re, R.im] (view_as_real, permute, reshape)
//   3. graph → the primary stem's spectrogram; zero bins above dim_f; istft; keep the chunk's
//      middle gen samples (trim each side)
//   4. primary = concatenation · compensate, cut to the input; secondary = mix − primary
import type { MultiChannelAudio } from '../../core/capabilities.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { float32Tensor, floatsOf } from '../../core/onnx/tensors.ts';
import { mdxSettings, type MdxSettings } from './settings.ts';

export interface Separated {
  readonly vocals: Float32Array[];
  readonly accompaniment: Float32Array[];
  readonly sampleRate: number;
}

export async function separateMdx(mix: MultiChannelAudio, ctx: HandlerContext): Promise<Separated> {
  const s = await mdxSettings(ctx.weightDir);
  const graph = ctx.graphs.separator;
  if (!graph) throw new Error("plugin 'separator': graph 'separator' is not declared");
  // 1. stereo at the model's rate
  const channels = await Promise.all([0, 1].map((i) => mix.channels[Math.min(i, mix.channels.length - 1)]!).map((c) => (mix.sampleRate === s.sampleRate ? c : ctx.audio.resample(c, mix.sampleRate, s.sampleRate))));
  const n = channels[0]!.length;
  const trim = s.nFft / 2;
  const chunk = s.hop * (s.dimT - 1);
  const gen = chunk - 2 * trim;
  if (gen <= 0) throw new Error(`separator: hop·(dim_t − 1) = ${chunk} must exceed n_fft = ${s.nFft}`);
  const pad = gen - (n % gen);
  const padded = channels.map((c) => {
    const out = new Float32Array(trim + n + pad + trim);
    out.set(c, trim);
    return out;
  });
  const primary = channels.map(() => new Float32Array(n + pad));
  const stft = { nFft: s.nFft, hop: s.hop, window: 'hann', periodic: true, center: true, padMode: 'reflect' } as const;
  const bins = s.nFft / 2 + 1;
  const pieces = (n + pad) / gen;
  for (let start = 0, piece = 0; start < n + pad; start += gen, piece++) {
    ctx.signal.throwIfAborted();
    // 2. spectrogram of the chunk, first dim_f bins, [L.re, L.im, R.re, R.im]
    const input = new Float32Array(4 * s.dimF * s.dimT);
    for (let ch = 0; ch < 2; ch++) {
      const spec = await ctx.audio.stft(padded[ch]!.subarray(start, start + chunk), stft);
      if (spec.dims[1] !== s.dimT) throw new Error(`separator: a chunk gave ${spec.dims[1]} frames, the model takes ${s.dimT}`);
      input.set(spec.re.subarray(0, s.dimF * s.dimT), (2 * ch) * s.dimF * s.dimT);
      input.set(spec.im.subarray(0, s.dimF * s.dimT), (2 * ch + 1) * s.dimF * s.dimT);
    }
    // 3. the primary stem's spectrogram → waveform, middle of the chunk
    const out = await graph.run({ input: float32Tensor(input, [1, 4, s.dimF, s.dimT]) }, { signal: ctx.signal });
    const predicted = floatsOf(out.output, 'separator.output');
    for (let ch = 0; ch < 2; ch++) {
      const re = new Float32Array(bins * s.dimT);
      const im = new Float32Array(bins * s.dimT);
      re.set(predicted.subarray((2 * ch) * s.dimF * s.dimT, (2 * ch + 1) * s.dimF * s.dimT));
      im.set(predicted.subarray((2 * ch + 1) * s.dimF * s.dimT, (2 * ch + 2) * s.dimF * s.dimT));
      const wave = await ctx.audio.istft({ re, im, dims: [bins, s.dimT] }, { ...stft, length: chunk });
      primary[ch]!.set(wave.subarray(trim, chunk - trim), start);
    }
    ctx.progress((piece + 1) / pieces, `separated ${piece + 1}/${pieces} chunk(s)`, 'separate');
  }
  // 4. primary and secondary stems
  const first = primary.map((p) => Float32Array.from(p.subarray(0, n), (v) => v * s.compensate));
  const second = channels.map((c, ch) => Float32Array.from(c, (v, i) => v - first[ch]![i]!));
  return s.primaryStem === 'vocals' ? { vocals: first, accompaniment: second, sampleRate: s.sampleRate } : { vocals: second, accompaniment: first, sampleRate: s.sampleRate };
}

export type { MdxSettings };
