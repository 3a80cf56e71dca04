// The studio's routes as declarations: method, path, the seed's operation facts (id,
// summary, tag, request and response models) and the handler's name. The router mounts
// them and the OpenAPI fragment is built from them, so the two cannot drift.
import type { StudioSchemaName } from './schemas.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface StudioRoute {
  readonly method: Method;
  /** Seed path, `{name}` for parameters, relative to the studio prefix. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: 'General' | 'Profiles' | 'Generation' | 'History' | 'Models';
  /** JSON body model, or multipart form model (file uploads). */
  readonly body?: { readonly model: StudioSchemaName; readonly multipart?: boolean };
  /** Response model; `array:` a list of it; undefined: any JSON (the seed's `{}`). */
  readonly response?: StudioSchemaName | `array:${StudioSchemaName}`;
  readonly responseTitle?: string;
  readonly query?: readonly { readonly name: string; readonly schema: Record<string, unknown> }[];
  /** The seed lists no 422 for routes that take nothing. */
  readonly validates: boolean;
  readonly handler: string;
  readonly open?: boolean;
  readonly admin?: boolean;
  /** Extra answers the hub gives beyond the seed's 200/422. */
  readonly errors: readonly string[];
}

const nullableString = (title: string) => ({ anyOf: [{ type: 'string' }, { type: 'null' }], title });

export const STUDIO_ROUTES: readonly StudioRoute[] = [
  { method: 'GET', path: '/', operationId: 'root__get', summary: 'Root', description: 'Root endpoint.', tag: 'General', validates: false, handler: 'root', open: true, errors: [] },
  { method: 'GET', path: '/profiles', operationId: 'list_profiles_profiles_get', summary: 'List Profiles', description: 'List all voice profiles.', tag: 'Profiles', response: 'array:VoiceProfileResponse', responseTitle: 'Response List Profiles Profiles Get', validates: false, handler: 'profiles.list', errors: ['401'] },
  { method: 'POST', path: '/profiles', operationId: 'create_profile_profiles_post', summary: 'Create Profile', description: 'Create a new voice profile.', tag: 'Profiles', body: { model: 'VoiceProfileCreate' }, response: 'VoiceProfileResponse', validates: true, handler: 'profiles.create', errors: ['401'] },
  { method: 'GET', path: '/profiles/{profile_id}', operationId: 'get_profile_profiles__profile_id__get', summary: 'Get Profile', description: 'Get a voice profile by ID.', tag: 'Profiles', response: 'VoiceProfileResponse', validates: true, handler: 'profiles.get', errors: ['401', '404'] },
  { method: 'PUT', path: '/profiles/{profile_id}', operationId: 'update_profile_profiles__profile_id__put', summary: 'Update Profile', description: 'Update a voice profile.', tag: 'Profiles', body: { model: 'VoiceProfileCreate' }, response: 'VoiceProfileResponse', validates: true, handler: 'profiles.update', errors: ['401', '404'] },
  { method: 'DELETE', path: '/profiles/{profile_id}', operationId: 'delete_profile_profiles__profile_id__delete', summary: 'Delete Profile', description: 'Delete a voice profile.', tag: 'Profiles', validates: true, handler: 'profiles.remove', errors: ['401', '404'] },
  { method: 'POST', path: '/profiles/{profile_id}/samples', operationId: 'add_profile_sample_profiles__profile_id__samples_post', summary: 'Add Profile Sample', description: 'Add a sample to a voice profile.', tag: 'Profiles', body: { model: 'Body_add_profile_sample_profiles__profile_id__samples_post', multipart: true }, response: 'ProfileSampleResponse', validates: true, handler: 'profiles.addSample', errors: ['401', '404', '413', '415'] },
  { method: 'GET', path: '/profiles/{profile_id}/samples', operationId: 'get_profile_samples_profiles__profile_id__samples_get', summary: 'Get Profile Samples', description: 'Get all samples for a profile.', tag: 'Profiles', response: 'array:ProfileSampleResponse', responseTitle: 'Response Get Profile Samples Profiles Profile Id Samples Get', validates: true, handler: 'profiles.samples', errors: ['401', '404'] },
  { method: 'DELETE', path: '/profiles/samples/{sample_id}', operationId: 'delete_profile_sample_profiles_samples__sample_id__delete', summary: 'Delete Profile Sample', description: 'Delete a profile sample.', tag: 'Profiles', validates: true, handler: 'profiles.removeSample', errors: ['401', '404'] },
  { method: 'POST', path: '/generate', operationId: 'generate_speech_generate_post', summary: 'Generate Speech', description: 'Generate speech from text using a voice profile.', tag: 'Generation', body: { model: 'GenerationRequest' }, response: 'GenerationResponse', validates: true, handler: 'generation.generate', errors: ['400', '401', '404', '503'] },
  {
    method: 'GET', path: '/history', operationId: 'list_history_history_get', summary: 'List History', description: 'List generation history with optional filters.', tag: 'History', response: 'HistoryListResponse', validates: true, handler: 'history.list', errors: ['401'],
    query: [
      { name: 'profile_id', schema: nullableString('Profile Id') },
      { name: 'search', schema: nullableString('Search') },
      { name: 'limit', schema: { type: 'integer', default: 50, title: 'Limit' } },
      { name: 'offset', schema: { type: 'integer', default: 0, title: 'Offset' } },
    ],
  },
  { method: 'GET', path: '/history/stats', operationId: 'get_stats_history_stats_get', summary: 'Get Stats', description: 'Get generation statistics.', tag: 'History', validates: false, handler: 'history.stats', errors: ['401'] },
  { method: 'GET', path: '/history/{generation_id}', operationId: 'get_generation_history__generation_id__get', summary: 'Get Generation', description: 'Get a generation by ID.', tag: 'History', response: 'HistoryResponse', validates: true, handler: 'history.get', errors: ['401', '404'] },
  { method: 'DELETE', path: '/history/{generation_id}', operationId: 'delete_generation_history__generation_id__delete', summary: 'Delete Generation', description: 'Delete a generation.', tag: 'History', validates: true, handler: 'history.remove', errors: ['401', '404'] },
  { method: 'POST', path: '/transcribe', operationId: 'transcribe_audio_transcribe_post', summary: 'Transcribe Audio', description: 'Transcribe audio file to text.', tag: 'Generation', body: { model: 'Body_transcribe_audio_transcribe_post', multipart: true }, response: 'TranscriptionResponse', validates: true, handler: 'generation.transcribe', errors: ['401', '413', '415', '503'] },
  { method: 'GET', path: '/audio/{generation_id}', operationId: 'get_audio_audio__generation_id__get', summary: 'Get Audio', description: 'Serve generated audio file.', tag: 'Generation', validates: true, handler: 'generation.audio', errors: ['401', '404'] },
  {
    method: 'POST', path: '/models/load', operationId: 'load_model_models_load_post', summary: 'Load Model', description: 'Manually load TTS model.', tag: 'Models', validates: true, handler: 'models.load', admin: true, errors: ['401', '403', '503'],
    query: [{ name: 'model_size', schema: { type: 'string', default: '1.7B', title: 'Model Size' } }],
  },
  { method: 'POST', path: '/models/unload', operationId: 'unload_model_models_unload_post', summary: 'Unload Model', description: 'Unload TTS model to free memory.', tag: 'Models', validates: false, handler: 'models.unload', admin: true, errors: ['401', '403', '503'] },
  { method: 'GET', path: '/models/progress/{model_name}', operationId: 'get_model_progress_models_progress__model_name__get', summary: 'Get Model Progress', description: 'Get model download progress via Server-Sent Events.', tag: 'Models', validates: true, handler: 'models.progress', errors: ['401', '404'] },
  { method: 'GET', path: '/models/status', operationId: 'get_model_status_models_status_get', summary: 'Get Model Status', description: 'Get status of all available models.', tag: 'Models', response: 'ModelStatusListResponse', validates: false, handler: 'models.status', errors: ['401'] },
  { method: 'POST', path: '/models/download', operationId: 'trigger_model_download_models_download_post', summary: 'Trigger Model Download', description: 'Trigger download of a specific model.', tag: 'Models', body: { model: 'ModelDownloadRequest' }, validates: true, handler: 'models.download', admin: true, errors: ['400', '401', '403', '404', '409'] },
];
