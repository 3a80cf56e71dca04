// Step 6 of the pipeline: acoustic codes → 24 kHz audio. The decoder graph ends at the
// Vocos head's spectrum (real, imag); the "same"-padding inverse STFT runs here, as
// vocos.py `ISTFT` does it: irfft · periodic Hann, overlap-add, trim (win − hop)/2 per side,
// divide by the squared-window envelope. Exactly frames × 480 samples come out.
import { samePaddingIstft } from '../../../core/audio/dsp/istft.ts';
import type { AudioToolkit } from '../../../core/audio/toolkit.ts';
import { MASKGCT } from '../settings.ts';
import type { MaskgctGraphs } from './graph-handles.ts';
import type { StepLog } from './step-log.ts';
import { floatsOf, int64Tensor } from '../../../core/onnx/tensors.ts';

export const VOCOS_ISTFT = samePaddingIstft(MASKGCT.vocosNfft, MASKGCT.hop);

export async function decodeAudio(
  graphs: Pick<MaskgctGraphs, 'acoustic_decoder'>,
  codes: Int32Array,
  frames: number,
  run: { readonly audio: AudioToolkit; readonly log: StepLog; readonly signal: AbortSignal },
): Promise<Float32Array> {
  const spectrum = await run.log.step('decode', { graph: 'acoustic_decoder', frames }, () =>
    graphs.acoustic_decoder.run({ acoustic_ids: int64Tensor(codes, [1, frames, MASKGCT.acousticLayers]) }, { signal: run.signal }),
  );
  // real/imag are [1, 961, frames]: already the [bins][frames] layout the inverse STFT reads
  const spec = { re: floatsOf(spectrum.real, 'acoustic_decoder.real'), im: floatsOf(spectrum.imag, 'acoustic_decoder.imag'), dims: [MASKGCT.vocosBins, frames] as const };
  return run.audio.istft(spec, { ...VOCOS_ISTFT, length: frames * MASKGCT.hop });
}
