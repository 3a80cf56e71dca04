// /profiles: voice profiles and their reference samples. A sample is checked before it is
// kept: a recognised audio format (415 otherwise), decodable (415), and between
// `minSampleSeconds` and `maxSampleSeconds` long (422 otherwise).
import type { RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { errors, isHubError } from '../../errors.ts';
import { AUDIO_FORMATS } from '../../http/sniff-format.ts';
import type { UploadedFile } from '../../plugin/types.ts';
import type { StudioFiles } from './files.ts';
import type { StudioStore } from './store.ts';
import { invalid, validateBody } from './validation.ts';
import { param, profileView, sampleView, viewerOf } from './views.ts';

const EXTENSIONS: Record<string, string> = { wav: 'wav', mp3: 'mp3', flac: 'flac', 'ogg-vorbis': 'ogg', 'ogg-opus': 'opus' };

export interface ProfileRouteDeps {
  readonly store: StudioStore;
  readonly files: StudioFiles;
  readonly audio: AudioToolkit;
  readonly minSampleSeconds: number;
  readonly maxSampleSeconds: number;
}

const profileFields = (body: Record<string, unknown>) => ({
  name: body.name as string,
  description: (body.description as string | null | undefined) ?? null,
  language: body.language as string,
});

/** The uploaded audio of a form's `field`: 422 when absent, 415 when it is not audio. */
export function audioUpload(files: Record<string, UploadedFile> | undefined, field: string): UploadedFile {
  const file = files?.[field];
  if (!file) throw invalid(['body', field], 'Field required', 'missing');
  if (file.size === 0) throw errors.unsupportedMediaType(`${field}: the uploaded file is empty`);
  if (!(AUDIO_FORMATS as readonly string[]).includes(file.format)) {
    throw errors.unsupportedMediaType(`${field}: ${file.format === 'unknown' ? 'its bytes are not a recognised audio format' : `it is ${file.format}`}; accepted: ${AUDIO_FORMATS.join(', ')}`);
  }
  return file;
}

/** Decodes an upload; a file that claims a format but does not decode is 415 (not audio we can read). */
export async function decodeUpload(audio: AudioToolkit, file: UploadedFile, options: { maxSeconds: number; limitClass: 'content' | 'reference' }) {
  try {
    const facts = { format: file.format, field: file.field, limitClass: options.limitClass };
    const source = file.bytes ? { ...facts, bytes: file.bytes } : { ...facts, path: file.path! };
    const pcm = await audio.decode(source, { mono: true, maxSeconds: options.maxSeconds });
    return { samples: pcm.channels[0] ?? new Float32Array(0), sampleRate: pcm.sampleRate };
  } catch (error) {
    if (isHubError(error) && error.code === 'bad_audio') throw errors.unsupportedMediaType(error.message);
    throw error;
  }
}

export function makeProfileRoutes(deps: ProfileRouteDeps): Record<string, RequestHandler> {
  const { store, files } = deps;
  return {
    list(req, res) {
      res.json(store.listProfiles(viewerOf(req)).map(profileView));
    },
    create(req, res) {
      const body = validateBody('VoiceProfileCreate', req.fields);
      res.json(profileView(store.createProfile(viewerOf(req), profileFields(body))));
    },
    get(req, res) {
      res.json(profileView(store.profile(viewerOf(req), param(req, 'profile_id'))));
    },
    update(req, res) {
      const viewer = viewerOf(req);
      const id = param(req, 'profile_id');
      store.profile(viewer, id); // 404 before 422, as a path that names nothing comes first
      const body = validateBody('VoiceProfileCreate', req.fields);
      res.json(profileView(store.updateProfile(viewer, id, profileFields(body))));
    },
    async remove(req, res) {
      const removed = store.deleteProfile(viewerOf(req), param(req, 'profile_id'));
      await Promise.all(removed.map((file) => files.remove(file)));
      res.json({ message: 'Profile deleted successfully' });
    },

    async addSample(req, res) {
      const viewer = viewerOf(req);
      const profile = store.profile(viewer, param(req, 'profile_id'));
      const upload = audioUpload(req.files, 'file');
      const text = req.fields?.reference_text;
      if (text === undefined) throw invalid(['body', 'reference_text'], 'Field required', 'missing');
      if (typeof text !== 'string') throw invalid(['body', 'reference_text'], 'Input should be a valid string', 'string_type');
      let pcm;
      try {
        // The decoder stops (413) as soon as the audio passes the limit: a long file costs little.
        pcm = await decodeUpload(deps.audio, upload, { maxSeconds: deps.maxSampleSeconds, limitClass: 'reference' });
      } catch (error) {
        if (isHubError(error) && error.code === 'payload_too_large') throw invalid(['body', 'file'], `Audio should be at most ${deps.maxSampleSeconds} seconds long`, 'audio_too_long');
        throw error;
      }
      const duration = pcm.samples.length / pcm.sampleRate;
      if (duration < deps.minSampleSeconds) throw invalid(['body', 'file'], `Audio should be at least ${deps.minSampleSeconds} seconds long; it is ${duration.toFixed(2)} s`, 'audio_too_short');
      if (duration > deps.maxSampleSeconds) throw invalid(['body', 'file'], `Audio should be at most ${deps.maxSampleSeconds} seconds long; it is ${duration.toFixed(2)} s`, 'audio_too_long');
      const file = await files.adopt('samples', upload.bytes ? { bytes: upload.bytes } : { path: upload.path! }, EXTENSIONS[upload.format] ?? 'audio');
      try {
        res.json(sampleView(store.addSample(viewer, profile.id, { file, format: upload.format, duration, reference_text: text })));
      } catch (error) {
        await files.remove(file);
        throw error;
      }
    },
    samples(req, res) {
      res.json(store.samples(viewerOf(req), param(req, 'profile_id')).map(sampleView));
    },
    async removeSample(req, res) {
      const file = store.deleteSample(viewerOf(req), param(req, 'sample_id'));
      await files.remove(file);
      res.json({ message: 'Sample deleted successfully' });
    },
  };
}
