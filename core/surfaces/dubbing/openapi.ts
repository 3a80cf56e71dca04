// The dubbing surface's part of the hub's OpenAPI document: seed 001's paths, operation ids
// and request bodies, with the objects it answers (named `Dubbing…` in the hub's document).
import type { OpenApiFragment } from '../../http/surface.ts';
import { KEY_SECURITY } from '../../openapi/components.ts';
import { TAGS } from '../../openapi/tags.ts';
import { GENRES, LANGUAGES, STYLES } from './catalogue.ts';
import { CREATE_DUB, CREATE_VOICE, PUBLISH_VOICE } from './schemas.ts';
import { DUB_STATUSES, VOICE_STATUSES } from './store.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/Dubbing${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const ok = (description: string, schema: unknown) => ({ '200': { description, content: json(schema) } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const uuidParam = (name: string, what: string) => ({ in: 'path', name, required: true, description: `UUID of the ${what}`, schema: { type: 'string', format: 'uuid' } });
const nullable = (type: string) => ({ type: [type, 'null'] });
const AUTH = { '401': error('Missing or invalid key (`Authorization: Api-Key <key>`): code `unauthorized`.'), '429': error('Over the rate limit.') };
const tag = TAGS.dubbing.name;

const DUB = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, voiceId: nullable('string'), link: nullable('string'), separate: { type: 'boolean' },
    status: { type: 'string', enum: DUB_STATUSES }, inputDuration: nullable('integer'), inputSource: { type: 'string', enum: ['upload', 'link'] },
    pitchShift: { type: 'integer' }, errorCode: nullable('string'), errorMessage: nullable('string'), apiCreditsUsed: { type: 'integer' },
    apiCreditsLeft: nullable('integer'), completedAt: nullable('string'), createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    dubUrl: nullable('string'), requiredCredits: nullable('number'),
    separationMethod: { ...nullable('string'), description: 'Hub field: what separated the vocals (a plugin, the weight-free fallback, or none).' },
    conversionEngine: { ...nullable('string'), description: 'Hub field: the voice-conversion plugin that re-voiced the vocals.' },
    taskId: { ...nullable('string'), description: 'Hub field: the task working on it; progress at /ws/progress/{taskId} and /api/tasks/{taskId}/events.' },
  },
  required: ['id', 'voiceId', 'link', 'separate', 'status', 'inputDuration', 'inputSource', 'pitchShift', 'errorCode', 'errorMessage', 'apiCreditsUsed', 'apiCreditsLeft', 'completedAt', 'createdAt', 'updatedAt', 'dubUrl', 'requiredCredits'],
};
const VOICE = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, status: { type: 'string', enum: VOICE_STATUSES }, separate: { type: 'boolean' },
    maxMinutes: { type: 'integer' }, errorCode: nullable('string'), errorMessage: nullable('string'), apiCreditsUsed: { type: 'integer' },
    apiCreditsLeft: nullable('integer'), completedAt: nullable('string'), createdAt: { type: 'string' }, updatedAt: { type: 'string' }, requiredCredits: { type: 'number' },
  },
  required: ['id', 'name', 'status', 'separate', 'maxMinutes', 'errorCode', 'errorMessage', 'apiCreditsUsed', 'apiCreditsLeft', 'completedAt', 'createdAt', 'updatedAt', 'requiredCredits'],
};
const PUBLIC_VOICE = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, name: { type: 'string' },
    languages: { type: 'array', items: { type: 'string', enum: LANGUAGES } }, genres: { type: 'array', items: { type: 'string', enum: GENRES } }, styles: { type: 'array', items: { type: 'string', enum: STYLES } },
    avatarFormat: { type: 'string', enum: ['webp', 'gif'] }, createdAt: { type: 'string' }, updatedAt: { type: 'string' }, avatarUrl: { type: 'string' },
  },
  required: ['id', 'name', 'languages', 'genres', 'styles', 'avatarFormat', 'createdAt', 'updatedAt', 'avatarUrl'],
};

export function dubbingOpenApi(): OpenApiFragment {
  const dubId = uuidParam('dubId', 'dub');
  const voiceId = uuidParam('voiceId', 'voice');
  return {
    schemas: {
      DubbingError: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] },
      DubbingDub: DUB,
      DubbingVoice: VOICE,
      DubbingPublicVoice: PUBLIC_VOICE,
      DubbingCreateDubRequest: CREATE_DUB,
      DubbingCreateVoiceRequest: CREATE_VOICE,
      DubbingPublishVoiceRequest: PUBLISH_VOICE,
    },
    paths: {
      '/v1/me': { get: { operationId: 'getMe', summary: 'Get your account details (apiCredits)', tags: [tag], security: KEY_SECURITY, responses: { ...ok('Your credits', { type: 'object', properties: { user: { type: 'object', properties: { apiCredits: { type: 'integer' } }, required: ['apiCredits'] } }, required: ['user'] }), ...AUTH } } },
      '/v1/me/dubs': {
        post: {
          operationId: 'createDub', summary: 'Create new dub (from a link, or upload to the returned uploadUrl)', tags: [tag], security: KEY_SECURITY,
          requestBody: { required: true, content: { 'application/json': { schema: ref('CreateDubRequest'), example: { voiceId: '123e4567-e89b-12d3-a456-426614174001', pitchShift: 0, separate: true } } } },
          responses: { ...ok('Dub created', { type: 'object', properties: { dub: ref('Dub'), uploadUrl: nullable('string') }, required: ['dub', 'uploadUrl'] }), '400': error('voice_not_found'), '422': error('invalid_request, link_refused'), ...AUTH },
        },
      },
      '/v1/me/dubs/{dubId}': { get: { operationId: 'getDubById', summary: 'Get dub by ID (poll at most every 3 s)', tags: [tag], security: KEY_SECURITY, parameters: [dubId], responses: { ...ok('The dub', { type: 'object', properties: { dub: ref('Dub') }, required: ['dub'] }), '404': error('not_found'), ...AUTH } } },
      '/v1/me/dubs/{dubId}/preprocess': { post: { operationId: 'preprocessDub', summary: 'Preprocess dub (decode, duration check, separation)', tags: [tag], security: KEY_SECURITY, parameters: [dubId], responses: { ...ok('Preprocessing started', { type: 'object', properties: { dub: ref('Dub') }, required: ['dub'] }), '400': error('dub_is_not_new'), '404': error('not_found'), '409': error('upload_missing'), ...AUTH } } },
      '/v1/me/dubs/{dubId}/generate': { post: { operationId: 'generateDub', summary: 'Generate dub (10 credits per minute of input)', tags: [tag], security: KEY_SECURITY, parameters: [dubId], responses: { ...ok('Generation started', { type: 'object', properties: { dub: ref('Dub') }, required: ['dub'] }), '400': error('dub_is_not_in_preprocessed_state'), '403': error('insufficient_credits'), '404': error('not_found'), ...AUTH } } },
      '/v1/me/dubs/{dubId}/audio': { get: { operationId: 'getDubAudio', summary: 'Download a done dub (the dubUrl)', tags: [tag], security: KEY_SECURITY, parameters: [dubId], responses: { '200': { description: 'The dub', content: { 'audio/mpeg': { schema: { type: 'string', format: 'binary' } } } }, '404': error('not_found'), '409': error('dub_not_done'), ...AUTH } } },
      '/v1/me/voices': { post: { operationId: 'createVoice', summary: 'Create new voice (returns upload URLs)', tags: [tag], security: KEY_SECURITY, requestBody: { required: true, content: { 'application/json': { schema: ref('CreateVoiceRequest'), example: { name: 'My Custom Voice', numberOfFiles: 1, maxMinutes: 5, separate: true } } } }, responses: { ...ok('Voice created', { type: 'object', properties: { voice: ref('Voice'), uploadUrls: { type: 'array', items: { type: 'string', format: 'uri' } } }, required: ['voice', 'uploadUrls'] }), '422': error('invalid_request'), ...AUTH } } },
      '/v1/me/voices/{voiceId}': { get: { operationId: 'getVoiceById', summary: 'Get voice by ID (poll at most every 3 s)', tags: [tag], security: KEY_SECURITY, parameters: [voiceId], responses: { ...ok('The voice', { type: 'object', properties: { voice: ref('Voice') }, required: ['voice'] }), '404': error('not_found'), ...AUTH } } },
      '/v1/me/voices/{voiceId}/clone': { post: { operationId: 'cloneVoice', summary: 'Start voice cloning (10 credits per maxMinute)', tags: [tag], security: KEY_SECURITY, parameters: [voiceId], responses: { ...ok('Cloning started', { type: 'object', properties: { voice: ref('Voice') }, required: ['voice'] }), '400': error('voice_is_not_new'), '403': error('insufficient_credits'), '404': error('not_found'), '409': error('upload_missing'), ...AUTH } } },
      '/v1/uploads/{token}': { put: { operationId: 'putUpload', summary: 'Upload a file to a presigned URL (the URL is the credential)', tags: [tag], security: [], parameters: [{ in: 'path', name: 'token', required: true, schema: { type: 'string' } }], requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, responses: { ...ok('Stored', { type: 'object', properties: { uploaded: { type: 'boolean' }, bytes: { type: 'integer' }, format: { type: 'string' } } }), '404': error('not_found'), '409': error('upload_closed'), '413': error('payload_too_large'), '415': error('unsupported_media_type'), '422': error('unsupported_container, empty_upload') } } },
      '/v1/voices/{voiceId}': { put: { operationId: 'publishVoice', summary: 'Put a done voice in the public catalogue (admin role)', tags: [tag], security: KEY_SECURITY, parameters: [voiceId], requestBody: { required: true, content: { 'application/json': { schema: ref('PublishVoiceRequest'), example: { languages: ['english'], genres: ['pop'], styles: ['singing'] } } } }, responses: { ...ok('Published', { type: 'object', properties: { voice: ref('PublicVoice') }, required: ['voice'] }), '403': error('forbidden'), '404': error('not_found'), ...AUTH } } },
      '/v1/voices/{voiceId}/avatar.webp': { get: { operationId: 'getVoiceAvatar', summary: 'A public voice\'s avatar', tags: [tag], security: [], parameters: [voiceId], responses: { '200': { description: 'WebP image', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } }, '404': error('not_found') } } },
    },
  };
}
