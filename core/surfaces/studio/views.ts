// Rows as the seed's response models. `audio_path` is the file's path relative to the
// hub's data directory (never an absolute server path); generated audio is fetched with
// GET /audio/{generation_id}.
import type { Request } from 'express';
import { errors } from '../../errors.ts';
import type { Generation, Profile, Sample, Viewer } from './store.ts';

const stored = (file: string) => `studio/${file}`;

export const profileView = (p: Profile) => ({ id: p.id, name: p.name, description: p.description, language: p.language, created_at: p.created_at, updated_at: p.updated_at });

export const sampleView = (s: Sample) => ({ id: s.id, profile_id: s.profile_id, audio_path: stored(s.file), reference_text: s.reference_text });

export const generationView = (g: Generation) => ({
  id: g.id,
  profile_id: g.profile_id,
  text: g.text,
  language: g.language,
  audio_path: stored(g.file),
  duration: g.duration,
  seed: g.seed,
  created_at: g.created_at,
});

export const historyView = (g: Generation) => ({ ...generationView(g), profile_name: g.profile_name });

/** Who is asking: their key owns what they make; the admin role sees everything. */
export function viewerOf(req: Request): Viewer {
  if (!req.principal) throw errors.unauthenticated('missing API key');
  return { owner: req.principal.keyId, admin: req.principal.role === 'admin' };
}

/** A path parameter as text (express gives a string for a matched `:name`). */
export const param = (req: Request, name: string): string => String(req.params[name]);
