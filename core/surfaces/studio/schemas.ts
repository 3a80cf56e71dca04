// The voicebox document's (seed 000) component schemas, as the seed writes them: request
// bodies are validated against these and responses are built to match them. The one
// addition is GenerationRequest.engine, the hub's way to pick a cloning TTS plugin.

const nullable = (schema: Record<string, unknown>, title: string) => ({ anyOf: [schema, { type: 'null' }], title });
const str = (title: string) => ({ type: 'string', title });
const dateTime = (title: string) => ({ type: 'string', format: 'date-time', title });
const LANGUAGE = { type: 'string', pattern: '^(en|zh)$', title: 'Language', default: 'en' };

export const STUDIO_SCHEMAS = {
  Body_add_profile_sample_profiles__profile_id__samples_post: {
    properties: { file: { type: 'string', format: 'binary', title: 'File' }, reference_text: str('Reference Text') },
    type: 'object',
    required: ['file', 'reference_text'],
    title: 'Body_add_profile_sample_profiles__profile_id__samples_post',
  },
  Body_transcribe_audio_transcribe_post: {
    properties: { file: { type: 'string', format: 'binary', title: 'File' }, language: nullable({ type: 'string' }, 'Language') },
    type: 'object',
    required: ['file'],
    title: 'Body_transcribe_audio_transcribe_post',
  },
  GenerationRequest: {
    properties: {
      profile_id: str('Profile Id'),
      text: { type: 'string', maxLength: 5000, minLength: 1, title: 'Text' },
      language: LANGUAGE,
      seed: nullable({ type: 'integer', minimum: 0.0 }, 'Seed'),
      model_size: { ...nullable({ type: 'string', pattern: '^(1\\.7B|0\\.6B)$' }, 'Model Size'), default: '1.7B' },
      engine: {
        ...nullable({ type: 'string', maxLength: 100 }, 'Engine'),
        description: 'Hub extension: the cloning TTS plugin to use (see GET /models/status). Default: the configured engine when installed, else any cloning TTS.',
      },
    },
    type: 'object',
    required: ['profile_id', 'text'],
    title: 'GenerationRequest',
    description: 'Request model for voice generation.',
  },
  GenerationResponse: {
    properties: {
      id: str('Id'),
      profile_id: str('Profile Id'),
      text: str('Text'),
      language: str('Language'),
      audio_path: str('Audio Path'),
      duration: { type: 'number', title: 'Duration' },
      seed: nullable({ type: 'integer' }, 'Seed'),
      created_at: dateTime('Created At'),
    },
    type: 'object',
    required: ['id', 'profile_id', 'text', 'language', 'audio_path', 'duration', 'seed', 'created_at'],
    title: 'GenerationResponse',
    description: 'Response model for voice generation.',
  },
  HTTPValidationError: {
    properties: { detail: { items: { $ref: '#/components/schemas/ValidationError' }, type: 'array', title: 'Detail' } },
    type: 'object',
    title: 'HTTPValidationError',
  },
  HealthResponse: {
    properties: {
      status: str('Status'),
      model_loaded: { type: 'boolean', title: 'Model Loaded' },
      model_downloaded: nullable({ type: 'boolean' }, 'Model Downloaded'),
      model_size: nullable({ type: 'string' }, 'Model Size'),
      gpu_available: { type: 'boolean', title: 'Gpu Available' },
      vram_used_mb: nullable({ type: 'number' }, 'Vram Used Mb'),
    },
    type: 'object',
    required: ['status', 'model_loaded', 'gpu_available'],
    title: 'HealthResponse',
    description: 'Response model for health check.',
  },
  HistoryListResponse: {
    properties: { items: { items: { $ref: '#/components/schemas/HistoryResponse' }, type: 'array', title: 'Items' }, total: { type: 'integer', title: 'Total' } },
    type: 'object',
    required: ['items', 'total'],
    title: 'HistoryListResponse',
    description: 'Response model for history list.',
  },
  HistoryResponse: {
    properties: {
      id: str('Id'),
      profile_id: str('Profile Id'),
      profile_name: str('Profile Name'),
      text: str('Text'),
      language: str('Language'),
      audio_path: str('Audio Path'),
      duration: { type: 'number', title: 'Duration' },
      seed: nullable({ type: 'integer' }, 'Seed'),
      created_at: dateTime('Created At'),
    },
    type: 'object',
    required: ['id', 'profile_id', 'profile_name', 'text', 'language', 'audio_path', 'duration', 'seed', 'created_at'],
    title: 'HistoryResponse',
    description: 'Response model for history entry (includes profile name).',
  },
  ModelDownloadRequest: {
    properties: { model_name: str('Model Name') },
    type: 'object',
    required: ['model_name'],
    title: 'ModelDownloadRequest',
    description: 'Request model for triggering model download.',
  },
  ModelStatus: {
    properties: {
      model_name: str('Model Name'),
      display_name: str('Display Name'),
      downloaded: { type: 'boolean', title: 'Downloaded' },
      size_mb: nullable({ type: 'number' }, 'Size Mb'),
      loaded: { type: 'boolean', title: 'Loaded', default: false },
    },
    type: 'object',
    required: ['model_name', 'display_name', 'downloaded'],
    title: 'ModelStatus',
    description: 'Response model for model status.',
  },
  ModelStatusListResponse: {
    properties: { models: { items: { $ref: '#/components/schemas/ModelStatus' }, type: 'array', title: 'Models' } },
    type: 'object',
    required: ['models'],
    title: 'ModelStatusListResponse',
    description: 'Response model for model status list.',
  },
  ProfileSampleResponse: {
    properties: { id: str('Id'), profile_id: str('Profile Id'), audio_path: str('Audio Path'), reference_text: str('Reference Text') },
    type: 'object',
    required: ['id', 'profile_id', 'audio_path', 'reference_text'],
    title: 'ProfileSampleResponse',
    description: 'Response model for profile sample.',
  },
  TranscriptionResponse: {
    properties: { text: str('Text'), duration: { type: 'number', title: 'Duration' } },
    type: 'object',
    required: ['text', 'duration'],
    title: 'TranscriptionResponse',
    description: 'Response model for transcription.',
  },
  ValidationError: {
    properties: {
      loc: { items: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, type: 'array', title: 'Location' },
      msg: str('Message'),
      type: str('Error Type'),
    },
    type: 'object',
    required: ['loc', 'msg', 'type'],
    title: 'ValidationError',
  },
  VoiceProfileCreate: {
    properties: {
      name: { type: 'string', maxLength: 100, minLength: 1, title: 'Name' },
      description: nullable({ type: 'string', maxLength: 500 }, 'Description'),
      language: LANGUAGE,
    },
    type: 'object',
    required: ['name'],
    title: 'VoiceProfileCreate',
    description: 'Request model for creating a voice profile.',
  },
  VoiceProfileResponse: {
    properties: {
      id: str('Id'),
      name: str('Name'),
      description: nullable({ type: 'string' }, 'Description'),
      language: str('Language'),
      created_at: dateTime('Created At'),
      updated_at: dateTime('Updated At'),
    },
    type: 'object',
    required: ['id', 'name', 'description', 'language', 'created_at', 'updated_at'],
    title: 'VoiceProfileResponse',
    description: 'Response model for voice profile.',
  },
} as const;

export type StudioSchemaName = keyof typeof STUDIO_SCHEMAS;
