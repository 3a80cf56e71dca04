// After the body is read: required uploads present, and each file's sniffed format is
// one the field accepts (415 listing the accepted formats otherwise).
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';
import type { UploadDecl } from '../plugin/types.ts';
import { AUDIO_FORMATS } from './sniff-format.ts';
import './request-types.ts';

const ACCEPTED: Record<NonNullable<UploadDecl['accept']>, readonly string[]> = {
  audio: AUDIO_FORMATS,
  npy: ['npy'],
  'audio-or-npy': [...AUDIO_FORMATS, 'npy'],
};

export function makeUploadChecks(uploads: readonly UploadDecl[]): RequestHandler {
  return function checkUploads(req, _res, next) {
    const files = req.files ?? {};
    for (const decl of uploads) {
      const file = files[decl.name];
      if (!file) {
        if (decl.required) throw errors.missingUpload(decl.name);
        continue;
      }
      if (file.size === 0) throw errors.badAudio(decl.name, 'the uploaded file is empty');
      const accepted = ACCEPTED[decl.accept ?? 'audio'];
      if (!accepted.includes(file.format)) {
        const what = file.format === 'unknown' ? 'its bytes are not a recognised format' : `it is ${file.format}`;
        throw errors.unsupportedMediaType(`${decl.name}: ${what}; accepted formats: ${accepted.join(', ')}`);
      }
    }
    next();
  };
}
