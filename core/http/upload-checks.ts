// Checks on uploads before any handler runs: a sane header within the duration limit of
// its class (413 naming the duration found), then required uploads present, not empty,
// a format the field accepts (sniffed from the bytes; 415 listing the accepted ones) and
// not contradicting the type the client declared.
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';
import type { UploadClass, UploadDecl, UploadedFile } from '../plugin/types.ts';
import { readHeaderFacts } from './audio-header.ts';
import { AUDIO_FORMATS } from './sniff-format.ts';
import './request-types.ts';

const ACCEPTED: Record<NonNullable<UploadDecl['accept']>, readonly string[]> = {
  audio: AUDIO_FORMATS,
  npy: ['npy'],
  'audio-or-npy': [...AUDIO_FORMATS, 'npy'],
};

/**
 * Declared media types that say nothing about the bytes: none, octet-stream, and
 * text/plain, which a multipart part without Content-Type has by default (RFC 7578 §4.4).
 */
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown', 'text/plain', '*/*', 'audio/*']);

/** Declared media types that name one format family; a file of a type not listed must be generic or audio/*. */
const DECLARED: Record<string, readonly string[]> = {
  'audio/wav': ['wav'], 'audio/x-wav': ['wav'], 'audio/wave': ['wav'], 'audio/vnd.wave': ['wav'],
  'audio/mpeg': ['mp3'], 'audio/mp3': ['mp3'], 'audio/mpeg3': ['mp3'], 'audio/x-mpeg-3': ['mp3'],
  'audio/flac': ['flac'], 'audio/x-flac': ['flac'],
  'audio/ogg': ['ogg-vorbis', 'ogg-opus', 'flac'], 'audio/opus': ['ogg-opus'], 'audio/vorbis': ['ogg-vorbis'], 'application/ogg': ['ogg-vorbis', 'ogg-opus', 'flac'],
  'audio/aac': [], 'audio/mp4': [], 'audio/x-m4a': [], 'audio/webm': [], 'video/mp4': [], 'video/webm': [],
  'application/x-npy': ['npy'], 'application/npy': ['npy'],
};

export type ClassLimits = Readonly<Record<UploadClass, { readonly maxBytes: number; readonly maxSeconds?: number }>>;

function checkDeclaredType(file: UploadedFile): void {
  const declared = file.declaredType.toLowerCase().split(';')[0]!.trim();
  if (GENERIC.has(declared)) return;
  const formats = DECLARED[declared];
  // An audio type we have no table entry for (audio/x-pn-wav, ...) still says "audio"; anything
  // else (application/x-msdownload, image/png, text/html) contradicts audio bytes outright.
  const agrees = formats ? formats.includes(file.format) : declared.startsWith('audio/') && file.format !== 'npy';
  if (!agrees) {
    throw errors.unsupportedMediaType(`${file.field}: declared as ${declared.slice(0, 80)} but its bytes are ${file.format === 'unknown' ? 'not that format' : file.format}; send the file with its true type or application/octet-stream`);
  }
}

/**
 * Run by the body reader on every sniffed file, so each surface that reads uploads gets it:
 * a sane header, and a duration within the class limit (413 naming the duration found).
 */
export async function checkUploadHeader(file: UploadedFile, classes: ClassLimits): Promise<void> {
  if (file.size === 0) return; // reported as empty by the upload checks
  if (file.format !== 'unknown') checkDeclaredType(file); // unknown bytes: the route's 415 lists what it accepts
  const facts = await readHeaderFacts(file.bytes ?? file.path, file.format, file.field);
  const maxSeconds = classes[file.limitClass].maxSeconds;
  if (maxSeconds !== undefined && facts.durationSeconds !== undefined && facts.durationSeconds > maxSeconds) {
    throw errors.payloadTooLarge(`${file.field}: the audio is ${facts.durationSeconds.toFixed(1)} s long; ${file.limitClass} uploads may be at most ${maxSeconds} s`);
  }
}

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
      checkDeclaredType(file);
    }
    next();
  };
}
