// Rows → the seed's objects (DubPrivate, VoicePrivate, VoicePublic), field for field. A dub
// also says how its vocals were separated and which converter re-voiced them
// (`separationMethod`, `conversionEngine`), and `taskId` names the hub task working on it, whose
// progress streams at /ws/progress/{taskId} and /api/tasks/{taskId}/events (hub fields the
// seed's open objects allow).
import type { DubRow, VoiceRow } from './store.ts';

/** What a dub and a voice share as jobs: their error, credits and times. */
function jobFields(row: DubRow | VoiceRow) {
  return {
    errorCode: row.error_code,
    errorMessage: row.error_message,
    apiCreditsUsed: row.api_credits_used,
    apiCreditsLeft: row.api_credits_left,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function dubView(row: DubRow, base: string) {
  const method = row.separation?.split('|')[0] ?? null;
  return {
    id: row.id,
    voiceId: row.voice_id,
    link: row.link,
    separate: row.separate === 1,
    status: row.status,
    inputDuration: row.input_duration,
    inputSource: row.input_source,
    pitchShift: row.pitch_shift,
    ...jobFields(row),
    dubUrl: row.status === 'done' ? `${base}/v1/me/dubs/${row.id}/audio` : null,
    requiredCredits: row.required_credits,
    separationMethod: method,
    conversionEngine: row.engine,
    taskId: row.task_id,
  };
}

export function voiceView(row: VoiceRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    separate: row.separate === 1,
    maxMinutes: row.max_minutes,
    ...jobFields(row),
    requiredCredits: row.required_credits,
    separationMethod: row.separation,
    referenceSeconds: row.reference_seconds,
    taskId: row.task_id,
  };
}

/** A catalogue entry: seed 001's VoicePublic, with `voice_id`/`description` for seed 003's clients. */
export function publicVoiceView(row: VoiceRow, base: string) {
  return {
    id: row.id,
    name: row.name,
    languages: JSON.parse(row.languages) as string[],
    genres: JSON.parse(row.genres) as string[],
    styles: JSON.parse(row.styles) as string[],
    avatarFormat: 'webp' as const,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    avatarUrl: `${base}/v1/voices/${row.id}/avatar.webp`,
    voice_id: row.id,
    description: `cloned voice (${(row.reference_seconds ?? 0).toFixed(1)} s of reference audio)`,
  };
}
