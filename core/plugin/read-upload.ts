// An upload's bytes wherever the body reader kept them (memory or a temp file).
import { readFile } from 'node:fs/promises';
import { assertNotMoved } from '../audio/moved-bytes.ts';
import type { UploadedFile } from './types.ts';

export async function readUpload(file: UploadedFile): Promise<Uint8Array> {
  if (file.bytes) assertNotMoved(file.bytes, `upload '${file.field}'`);
  return file.bytes ?? new Uint8Array(await readFile(file.path));
}
