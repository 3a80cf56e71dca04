// Whether an ONNX file is a smoke graph, judged from the file itself: smoke-graph.ts writes
// `hub.smoke = 1` into the model's metadata_props, so a smoke graph reads as smoke however it
// arrived (smoke install, a download, a copied folder) and a real graph never does.
//
// Only the ModelProto's top-level fields are walked, each skipped by its length, so a
// multi-GB graph costs a handful of small reads; answers are kept per size and mtime.
import { closeSync, openSync, readSync } from 'node:fs';
import { signatureOf } from './weight-markers.ts';

export const SMOKE_METADATA_KEY = 'hub.smoke';

/** ModelProto.metadata_props (onnx.proto: `repeated StringStringEntryProto metadata_props = 14`). */
const METADATA_FIELD = 14;
/** A metadata entry longer than this is not ours; it is skipped unread. */
const MAX_ENTRY_BYTES = 64 * 1024;

const known = new Map<string, { signature: string; smoke: boolean }>();

function readVarint(fd: number, position: number): { value: number; next: number } | undefined {
  const bytes = Buffer.alloc(10);
  const got = readSync(fd, bytes, 0, 10, position);
  let value = 0;
  for (let i = 0; i < got; i++) {
    value += (bytes[i]! & 0x7f) * 2 ** (7 * i);
    if ((bytes[i]! & 0x80) === 0) return { value, next: position + i + 1 };
  }
  return undefined;
}

/** The key and value of one StringStringEntryProto (key = 1, value = 2, both strings). */
function entryOf(bytes: Buffer): { key: string; value: string } {
  const out = { key: '', value: '' };
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at++]!;
    let length = 0;
    for (let shift = 0; at < bytes.length; shift += 7) {
      const b = bytes[at++]!;
      length += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
    }
    const text = bytes.subarray(at, at + length).toString('utf8');
    if (tag === 0x0a) out.key = text;
    else if (tag === 0x12) out.value = text;
    at += length;
  }
  return out;
}

/** The metadata_props of the ONNX file at `path` (empty when it has none or is not ONNX). */
export function readOnnxMetadata(path: string, size: number): Record<string, string> {
  const metadata: Record<string, string> = {};
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return metadata;
  }
  try {
    let position = 0;
    while (position < size) {
      const tag = readVarint(fd, position);
      if (!tag) break;
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (wire === 0) {
        const value = readVarint(fd, tag.next);
        if (!value) break;
        position = value.next;
      } else if (wire === 2) {
        const length = readVarint(fd, tag.next);
        if (!length) break;
        if (field === METADATA_FIELD && length.value <= MAX_ENTRY_BYTES) {
          const bytes = Buffer.alloc(length.value);
          readSync(fd, bytes, 0, length.value, length.next);
          const { key, value } = entryOf(bytes);
          metadata[key] = value;
        }
        position = length.next + length.value;
      } else if (wire === 5) position = tag.next + 4;
      else if (wire === 1) position = tag.next + 8;
      else break; // groups are not used by onnx.proto: this is not an ONNX model
    }
  } finally {
    closeSync(fd);
  }
  return metadata;
}

/** True when the file at `path` is a smoke graph; false when it is absent, real, or not ONNX. */
export function isSmokeGraphFile(path: string): boolean {
  const stat = signatureOf(path);
  if (!stat) {
    known.delete(path);
    return false;
  }
  const signature = `${stat.size}:${stat.mtimeMs}`;
  const cached = known.get(path);
  if (cached?.signature === signature) return cached.smoke;
  const smoke = readOnnxMetadata(path, stat.size)[SMOKE_METADATA_KEY] === '1';
  known.set(path, { signature, smoke });
  return smoke;
}
