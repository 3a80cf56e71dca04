// The surface's part of the OpenAPI document, built from the same schemas the routes
// validate with. Paths are listed under /v1; /api/v1 serves the same routes.
import type { OpenApiFragment } from '../../http/surface.ts';
import type { JsonSchemaObject, UploadDecl } from '../../plugin/types.ts';
import { REFERENCE_FIELDS, REFERENCE_UPLOADS } from './reference-routes.ts';
import { SPEECH_UPLOADS, speechFieldSchema } from './speech-fields.ts';
import { CATALOGUE_PARAMETERS, CATALOGUE_RESPONSE } from '../dubbing/catalogue.ts';
import { TAGS } from '../../openapi/tags.ts';

const TAG = TAGS.openai.name;
const SECURITY = [{ BearerAuth: [] }, { ApiKeyAuth: [] }];
/** The reference voice the add example creates and the delete example removes, in that order. */
const EXAMPLE_REFERENCE = 'my-voice';

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Invalid request: an unknown model or voice, or a format this route cannot send; `param` names the field.',
  '422': 'The body fails its schema (missing or empty `input`, `speed` or `cfg_value` out of range, an unknown field or format, ad-hoc cloning on a stream): `param` names the field, `message` the rule.',
  '401': 'Missing or unknown API key.',
  '404': 'No such reference voice or model.',
  '409': 'A reference voice with this id exists.',
  '413': 'An upload or the request is over its size or duration limit.',
  '415': 'The upload is not an accepted audio format (WAV, MP3, FLAC, OGG).',
  '429': 'Rate limit exceeded; see Retry-After.',
  '503': 'No TTS model is installed, or its weights are missing.',
};

function errorResponses(codes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    codes.map((code) => [code, { description: ERROR_DESCRIPTIONS[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/OpenAIError' } } } }]),
  );
}

function formBody(fields: JsonSchemaObject, uploads: readonly UploadDecl[]) {
  const files = Object.fromEntries(uploads.map((u) => [u.name, { type: 'string', format: 'binary', description: `${u.description} (WAV, MP3, FLAC or OGG; reference upload limits apply)` }]));
  return { type: 'object', properties: { ...fields.properties, ...files }, required: [...(fields.required ?? []), ...uploads.filter((u) => u.required).map((u) => u.name)] };
}

const json = (schema: unknown) => ({ 'application/json': { schema } });

/** What Swagger UI pre-fills: an OpenAI client's usual request, in wav so the browser can play it. */
function speechExample(model: string) {
  return { model, input: 'Hello from the speech model hub.', voice: 'alloy', response_format: 'wav' };
}

function speechOperation(formats: readonly string[], contentTypeOf: (format: string) => string, variant: 'speech' | 'stream' | 'extended', model: string) {
  const stream = variant === 'stream';
  const fields = speechFieldSchema(formats);
  const audio = Object.fromEntries(formats.map((f) => [contentTypeOf(f), { schema: { type: 'string', format: 'binary' } }]));
  return {
    tags: [TAG],
    operationId: `openai_${variant}`,
    summary: {
      speech: 'Generate speech from text (OpenAI audio.speech)',
      stream: 'Stream speech as it is made (WAV with an unknown-length header, raw PCM, or SSE)',
      extended: 'Generate speech with the extended sampling fields, where fish-speech-style clients send them (the same as /v1/audio/speech)',
    }[variant],
    description: stream
      ? 'Same fields as POST /v1/audio/speech; always streams. Never cached.'
      : 'JSON (OpenAI classic) or multipart (needed for ad-hoc cloning with `custom_voice_file`). `stream: true` or `stream_format: "sse"` streams. ' +
        'Answers carry `X-Cache` (HIT, MISS, BYPASS, ADHOC, DISABLED) and `X-Route` (CACHE, HOT, ADHOC). ' +
        'Send `cache: false` or `Cache-Control: no-cache`/`no-store` to keep the request off the disk.',
    security: SECURITY,
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: fields, example: speechExample(model) },
        'multipart/form-data': { schema: formBody(fields, SPEECH_UPLOADS), example: speechExample(model) },
      },
    },
    responses: {
      '200': {
        description: 'The speech audio, or `text/event-stream` events when `stream_format` is `sse`.',
        headers: {
          'X-Cache': { schema: { type: 'string', enum: ['HIT', 'MISS', 'BYPASS', 'ADHOC', 'DISABLED'] } },
          'X-Route': { schema: { type: 'string', enum: ['CACHE', 'HOT', 'ADHOC'] } },
          'X-Model': { description: 'The plugin that spoke', schema: { type: 'string' } },
          'X-Sample-Rate': { schema: { type: 'integer' } },
          'X-Ignored-Fields': { description: 'Fields sent that this model does not use', schema: { type: 'string' } },
        },
        content: { ...audio, 'text/event-stream': { schema: { type: 'string' } } },
      },
      ...errorResponses(['400', '401', '413', '415', '422', '429', '503']),
    },
  };
}

const listOf = (item: unknown) => ({ type: 'object', required: ['object', 'data'], properties: { object: { const: 'list' }, data: { type: 'array', items: item } } });

/** `model` is the configured default TTS model, which every example names. */
export function openAiFragment(formats: readonly string[], contentTypeOf: (format: string) => string, model: string): OpenApiFragment {
  return {
    schemas: {
      OpenAIError: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['message', 'type', 'param', 'code'],
            properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: ['string', 'null'] }, code: { type: 'string' } },
          },
        },
      },
    },
    paths: {
      '/v1/audio/speech': { post: speechOperation(formats, contentTypeOf, 'speech', model) },
      '/v1/audio/speech/stream': { post: speechOperation(formats, contentTypeOf, 'stream', model) },
      '/v1/audio/speech/extended': { post: speechOperation(formats, contentTypeOf, 'extended', model) },
      '/v1/voices': {
        get: {
          tags: [TAG],
          operationId: 'openai_voices',
          summary: "A model's voices: its built-in ones and, if it clones, the reference voices; with the public dubbing voice catalogue (voices, nextCursor)",
          security: SECURITY,
          parameters: [{ name: 'model', in: 'query', required: false, schema: { type: 'string' }, example: model, description: 'Default: the default model' }, ...CATALOGUE_PARAMETERS],
          responses: {
            '200': {
              description: "Voices; `default` is the one a request naming no voice gets (the voices file's default for a model that clones).",
              content: json({
                allOf: [
                  listOf({
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    object: { const: 'voice' },
                    name: { type: 'string' },
                    type: { enum: ['builtin', 'file', 'reference'] },
                    wav_path: { type: 'string', description: 'For voices of the voices file: the clip, relative to the file' },
                  },
                  }),
                  { type: 'object', properties: { default: { type: ['string', 'null'] } } },
                  CATALOGUE_RESPONSE,
                ],
              }),
            },
            ...errorResponses(['400', '401', '429', '503']),
          },
        },
      },
      '/admin/reload-voices': {
        post: {
          tags: [TAG],
          operationId: 'openai_reload_voices',
          summary: 'Read the voices file (openai.voicesFile) again, without a restart (admin key)',
          description:
            'New and changed entries are loaded, removed ones dropped (their clips stay on disk). A file with a bad entry is refused with 422 naming each bad entry, and the voices loaded before keep serving.',
          security: SECURITY,
          responses: {
            '200': {
              description: 'The voices now loaded',
              content: json({ type: 'object', properties: { object: { const: 'voices.reload' }, loaded: { type: 'array', items: { type: 'string' } }, added: { type: 'array', items: { type: 'string' } }, removed: { type: 'array', items: { type: 'string' } }, default: { type: ['string', 'null'] } } }),
            },
            '403': { description: 'The key does not have the admin role.', content: json({ $ref: '#/components/schemas/OpenAIError' }) },
            '409': { description: 'No voices file is configured.', content: json({ $ref: '#/components/schemas/OpenAIError' }) },
            '422': { description: 'The voices file has bad entries (each is named); nothing changed.', content: json({ $ref: '#/components/schemas/OpenAIError' }) },
            ...errorResponses(['401', '429']),
          },
        },
      },
      '/v1/models': {
        get: {
          tags: [TAG],
          operationId: 'openai_models',
          summary: 'TTS models: installed TTS plugins and the OpenAI names mapped to them',
          security: SECURITY,
          responses: {
            '200': { description: 'Models', content: json(listOf({ type: 'object', properties: { id: { type: 'string' }, object: { const: 'model' }, created: { type: 'integer' }, owned_by: { type: 'string' } } })) },
            ...errorResponses(['401', '429']),
          },
        },
      },
      '/v1/models/{model}': {
        get: {
          tags: [TAG],
          operationId: 'openai_model',
          summary: 'One TTS model',
          security: SECURITY,
          parameters: [{ name: 'model', in: 'path', required: true, schema: { type: 'string' }, example: model }],
          responses: { '200': { description: 'The model', content: json({ type: 'object' }) }, ...errorResponses(['401', '404', '429']) },
        },
      },
      '/v1/references/add': {
        post: {
          tags: [TAG],
          operationId: 'openai_references_add',
          summary: 'Register a reference voice for cloning (stored on the server)',
          security: SECURITY,
          requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: formBody(REFERENCE_FIELDS, REFERENCE_UPLOADS), example: { id: EXAMPLE_REFERENCE, text: 'The words spoken in the clip.' } } },
          },
          responses: { '201': { description: 'The stored reference voice', content: json({ type: 'object' }) }, ...errorResponses(['400', '401', '409', '413', '415', '429']) },
        },
      },
      '/v1/references': {
        get: {
          tags: [TAG],
          operationId: 'openai_references',
          summary: 'List reference voices',
          security: SECURITY,
          responses: { '200': { description: 'Reference voices', content: json(listOf({ type: 'object' })) }, ...errorResponses(['401', '429']) },
        },
      },
      '/v1/references/{id}': {
        delete: {
          tags: [TAG],
          operationId: 'openai_references_delete',
          summary: 'Delete a reference voice and its clip',
          security: SECURITY,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: EXAMPLE_REFERENCE }],
          responses: { '200': { description: 'Deleted', content: json({ type: 'object' }) }, ...errorResponses(['401', '404', '429']) },
        },
      },
    },
  };
}
