// One SVC variant as a plugin: its graphs (graphs.ts), POST /svc/<name> (the conversion) and
// GET /svc/<name>/singers (the trained singers). The four folders beside this file each pass
// their entry of VARIANTS; nothing else differs, so each has its own weight folder and state.
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import { graphsFor } from './graphs.ts';
import { svcConversion } from './capability.ts';
import { convert, monoAt24k } from './pipeline/convert.ts';
import { loadRoster } from './pipeline/singers.ts';
import { SVC } from './settings.ts';
import type { SvcVariant } from './variants.ts';

const freshSeed = () => Math.floor(Math.random() * 0x100000000);

const CHOICE =
  'It converts to one of the singers it was trained on (a fixed look-up table; it has no zero-shot timbre encoder): ' +
  '`singer` picks one by name (GET …/singers lists them); otherwise the singer whose enrolment embedding is nearest ' +
  '(cosine) to `reference_audio`’s is taken — the embedding is the shape of the long-term average ln-mel spectrum, ' +
  'so the reference picks the trained voice closest in colour, not a clone of itself. `X-Singer` names the singer, ' +
  '`X-Singer-Similarity` gives the cosine when it was matched. The melody is the source’s, moved by `pitch_shift` ' +
  'semitones and, unless `auto_key=false`, by Amphion’s automatic key match (F0 × target singer’s median F0 / the ' +
  'source’s); `X-Pitch-Factor` gives the total F0 factor.';

export function makeSvcPlugin(variant: SvcVariant) {
  const steps = variant.steps;
  const convertRoute = defineRoute({
    method: 'POST',
    path: `/svc/${variant.name}`,
    summary: `Singing voice conversion with ${variant.title} to a trained singer`,
    description: `${variant.about} ${CHOICE} Silent or unpitched \`content_audio\` is refused (422: no pitch was found).`,
    fields: {
      type: 'object',
      properties: {
        singer: { type: 'string', minLength: 1, maxLength: 200, description: 'A trained singer by name (GET /api/svc/' + variant.name + '/singers); default: the one nearest to `reference_audio`.' },
        pitch_shift: { type: 'number', minimum: -24, maximum: 24, default: 0, description: 'Semitones to move the melody by, on top of the automatic key match.' },
        auto_key: { type: 'boolean', default: true, description: 'Amphion’s automatic key match (trans_key "autoshift"): scale F0 by the target singer’s median F0 over the source’s.' },
        ...(steps ? { steps: { type: 'integer', minimum: 1, maximum: steps.max, default: steps.default, description: `${variant.decoder === 'diffusion' ? 'PNDM diffusion' : 'Consistency'} steps, 1–${steps.max}.` } } : {}),
        seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the sampling noise: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
      },
      additionalProperties: false,
    },
    uploads: [
      { name: 'content_audio', class: 'content', required: true, accept: 'audio', description: 'Source singing: its words and melody are kept.' },
      { name: 'reference_audio', class: 'reference', required: true, accept: 'audio', description: 'Reference voice: the trained singer nearest to it sings (not used when `singer` names one).' },
    ],
    produces: 'audio',
    idempotent: true,
    async handler(input, ctx) {
      const seed = input.seed ?? freshSeed();
      const fields = input as { steps?: number };
      const result = await convert(
        variant,
        {
          content: await monoAt24k(input.files.content_audio, ctx),
          ...(input.singer === undefined ? { reference: await monoAt24k(input.files.reference_audio, ctx) } : {}),
          ...(input.singer !== undefined ? { singer: input.singer } : {}),
          pitchShift: input.pitch_shift ?? 0,
          autoKey: input.auto_key ?? true,
          steps: fields.steps ?? steps?.default ?? 1,
          seed,
        },
        ctx,
      );
      return {
        audio: result.audio,
        sampleRate: result.sampleRate,
        headers: {
          'X-Singer': result.singer.name,
          ...(result.similarity !== undefined ? { 'X-Singer-Similarity': result.similarity.toFixed(4) } : {}),
          'X-Pitch-Factor': result.factor.toFixed(4),
          'X-Seed': String(seed),
          ...(result.vocoder ? { 'X-Vocoder': result.vocoder } : {}),
        },
      };
    },
  });

  const singersRoute = defineRoute({
    method: 'GET',
    path: `/svc/${variant.name}/singers`,
    summary: `The singers ${variant.title} can convert to`,
    description: 'The checkpoint’s singer look-up table (Amphion singers.json): name, id, median F0 (the automatic key match’s target) and whether an enrolment embedding lets `reference_audio` pick the singer.',
    fields: { type: 'object', properties: {}, additionalProperties: false },
    produces: 'json',
    async handler(_input, ctx) {
      const roster = await loadRoster(ctx);
      return {
        singers: roster.singers.map((s) => ({ name: s.name, id: s.id, dataset: s.dataset, f0_median: s.f0Median ?? null, enrolled: s.embedding !== undefined })),
      };
    },
  });

  return definePlugin({
    name: variant.name,
    title: variant.title,
    task: 'svc',
    summary: variant.summary,
    license: 'MIT',
    sampleRate: SVC.sampleRate,
    graphs: graphsFor(variant),
    routes: [convertRoute, singersRoute],
    capabilities: { 'voice-conversion': svcConversion(variant) },
  });
}
