// POST /api/svc/vevosing: singing voice conversion and synthesis with VevoSing (Vevo1.5). Fields
// as the Amphion API document (seed 002): content_audio, reference_audio, mode, use_shifted_src,
// flow_matching_steps; the AR's text fields and sampling are extras, decided here and stated in
// the description.
import { errors } from '../../../core/errors.ts';
import { defineRoute } from '../../../core/plugin/define-plugin.ts';
import { phonesOf, phoneVocabulary } from '../../amphion-text/phones.ts';
import { referenceTextOf, unusableTranscript } from '../../amphion-text/reference-text.ts';
import { readClip } from '../../vevo-common/clips.ts';
import { answer, flowStepsField, freshSeed, seedField } from '../../vevo-common/fields.ts';
import { sing, type ArTask } from '../pipeline/sing.ts';
import { VEVOSING } from '../settings.ts';
import { samplingFields, samplingOf } from './fields.ts';

const { maxContentSeconds, maxReferenceSeconds, languages } = VEVOSING;

export const vevosingRoute = defineRoute({
  method: 'POST',
  path: '/svc/vevosing',
  summary: 'Singing voice conversion and lyric synthesis in the voice of a reference clip (VevoSing)',
  description:
    '`mode=fm` (default; Amphion `inference_fm`): timbre conversion. The content clip\'s Coco content-style tokens (Whisper-medium features + 24-bin chromagram, 12.5 Hz) keep its words and melody; flow matching renders them in the reference\'s timbre, then the Vocos vocoder. ' +
    '`use_shifted_src=true` (default, as Amphion\'s `infer_vevosing_fm.py`): the content clip is pitch-shifted by round(12·log2(F0_ref/F0_content)) semitones (median F0, Praat autocorrelation at 16 kHz, 50–1100 Hz) for its chromagram only, so the melody is read in the reference\'s register; audio without a voiced frame is refused (422) naming the field, and a gap over ±24 semitones too. ' +
    '`mode=ar` (Amphion `inference_ar_and_fm`): the AR Llama writes new content-style tokens from the phones of `text` (the lyrics, required) after those of the reference\'s transcript, prompted with the reference\'s tokens; `task=recognition-synthesis` (default) sings them to the content clip\'s melody (Coco prosody tokens of the reference followed by the content, 6.25 Hz; shifted as above when `use_shifted_src`), `task=synthesis` lets the model choose the melody (the content clip is then unused). The reference is style and timbre reference. ' +
    'Without `reference_text` (mode=ar) the reference is transcribed by the installed speech recognition model. ' +
    `Uploads: any decodable format, rate and channel count (downmixed, resampled to 24 kHz and 16 kHz). Limits: content ≤ ${maxContentSeconds} s (Whisper reads it in 30 s windows), reference ≤ ${maxReferenceSeconds} s (together within the flow-matching model's 4096 positions); longer is refused (422) with the limit. ` +
    'Output: 24 kHz mono at −25 dB RMS; `X-Seed` reproduces it; `X-Shift-Semitones` gives the shift applied.',
  fields: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['fm', 'ar'], default: 'fm', description: '`fm`: timbre only (content and melody kept); `ar`: lyrics re-generated in the reference\'s style (full control).' },
      use_shifted_src: { type: 'boolean', default: true, description: 'Shift the content clip into the reference\'s register (median F0) before its chromagram.' },
      flow_matching_steps: flowStepsField,
      text: { type: 'string', minLength: 1, maxLength: 1000, description: 'Lyrics to sing (mode=ar, required there).' },
      task: { type: 'string', enum: ['recognition-synthesis', 'synthesis'], default: 'recognition-synthesis', description: 'mode=ar: follow the content clip\'s melody, or let the model choose one.' },
      reference_text: { type: 'string', maxLength: 1000, description: 'What the reference clip says or sings (mode=ar). Default: transcribed by the installed ASR model.' },
      language: { type: 'string', enum: languages, default: 'en', description: 'Language of `text` (and of the reference unless `reference_language`).' },
      reference_language: { type: 'string', enum: languages, description: 'Language of the reference clip. Default: `language`.' },
      ...samplingFields,
      seed: seedField,
    },
    additionalProperties: false,
  },
  uploads: [
    { name: 'content_audio', class: 'content', required: true, description: 'Source singing (words and melody) to convert (WAV, MP3, FLAC or OGG).' },
    { name: 'reference_audio', class: 'reference', required: true, description: 'Voice reference: a few seconds of the target singer or speaker.' },
  ],
  produces: 'audio',
  idempotent: true,
  example: { mode: 'fm', use_shifted_src: false, flow_matching_steps: 2, seed: 7 },
  async handler(input, ctx) {
    const mode = input.mode ?? 'fm';
    if (mode === 'ar' && (input.text === undefined || input.text.trim() === '')) throw errors.invalidField('text', 'is required with mode=ar: the lyrics to sing');
    const content = await readClip(ctx, input.files.content_audio, 'content_audio', maxContentSeconds);
    const reference = await readClip(ctx, input.files.reference_audio, 'reference_audio', maxReferenceSeconds);
    const seed = input.seed ?? freshSeed();
    const flowSteps = input.flow_matching_steps ?? VEVOSING.flowSteps;
    const useShiftedSource = input.use_shifted_src ?? true;
    let ar;
    if (mode === 'ar') {
      const language = input.language ?? 'en';
      const referenceLanguage = input.reference_language ?? language;
      const vocab = await phoneVocabulary(ctx, VEVOSING.phoneVocabFile);
      const heard = await referenceTextOf(ctx, input.reference_text, reference.at16k, referenceLanguage);
      const referencePhones = await phonesOf(ctx, vocab, heard.text, referenceLanguage, 'reference_text', unusableTranscript(heard));
      const lyrics = await phonesOf(ctx, vocab, input.text!, language, 'text');
      const task: ArTask = input.task ?? 'recognition-synthesis';
      ar = { task, phones: [...referencePhones.ids, ...lyrics.ids], sampling: samplingOf(input) };
    }
    const result = await sing({ content, reference, ...(ar ? { ar } : {}), useShiftedSource, flowSteps, seed }, ctx);
    return answer(result, { 'X-Shift-Semitones': String(result.shift?.steps ?? 0) });
  },
});
