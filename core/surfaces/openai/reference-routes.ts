// Reference voices (seed 003): POST /v1/references/add (multipart: id, text, audio),
// GET /v1/references, DELETE /v1/references/{id}.
import type { RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { errors } from '../../errors.ts';
import { compileFieldValidator } from '../../http/validate-fields.ts';
import type { JsonSchemaObject, UploadDecl } from '../../plugin/types.ts';
import type { ReferenceStore, ReferenceVoice } from './reference-store.ts';

export const REFERENCE_ID = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

export const REFERENCE_FIELDS: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', pattern: REFERENCE_ID, description: 'Voice id to use as `voice` (letters, digits, _ . -; up to 64).' },
    text: { type: 'string', maxLength: 4096, default: '', description: 'Transcript of the clip (models that need one and get none may transcribe it).' },
  },
};

export const REFERENCE_UPLOADS: readonly UploadDecl[] = [{ name: 'audio', class: 'reference', required: true, accept: 'audio', description: 'Reference clip of the voice' }];

export function describeReference(voice: ReferenceVoice) {
  return { id: voice.id, object: 'reference', text: voice.text, format: voice.format, sample_rate: voice.sampleRate, duration: voice.duration, created_at: voice.createdAt };
}

export function makeReferenceHandlers(deps: { references: ReferenceStore; audio: AudioToolkit }): { add: RequestHandler; list: RequestHandler; remove: RequestHandler } {
  const validate = compileFieldValidator({ fields: REFERENCE_FIELDS });
  return {
    async add(req, res) {
      const fields = validate(req.fields ?? {}, req.is('application/json') ? 'json' : 'form');
      const upload = req.files!.audio!;
      // Decoding proves the clip is usable (and within the reference duration limit) before it is kept, and measures it.
      const pcm = await deps.audio.decode({ ...upload, field: 'audio', limitClass: 'reference' }, { mono: true });
      const duration = (pcm.channels[0]?.length ?? 0) / pcm.sampleRate;
      if (duration === 0) throw errors.badAudio('audio', 'the clip holds no samples');
      const voice = await deps.references.add(req.principal!, { id: fields.id as string, text: fields.text as string, source: upload, format: upload.format, sampleRate: pcm.sampleRate, duration });
      res.status(201).json(describeReference(voice));
    },
    list(req, res) {
      res.json({ object: 'list', data: deps.references.list(req.principal!).map(describeReference) });
    },
    async remove(req, res) {
      const id = String(req.params.id);
      await deps.references.remove(req.principal!, id);
      res.json({ id, object: 'reference', deleted: true });
    },
  };
}
