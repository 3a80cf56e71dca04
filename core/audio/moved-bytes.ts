// Bytes a decode moved to its worker (`consume: true`) are gone from this thread: reading
// them again would see an empty file. What moved is remembered here, so a second read
// fails with a message that names the cause instead of decoding nothing.
const moved = new WeakSet<ArrayBufferLike>();

/** The whole buffer behind `bytes`, when it can move without taking anything else along. */
export function movableBuffer(bytes: Uint8Array): ArrayBuffer | undefined {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? buffer : undefined;
}

export function markMoved(buffer: ArrayBuffer): void {
  moved.add(buffer);
}

export function assertNotMoved(bytes: Uint8Array, what: string): void {
  if (moved.has(bytes.buffer)) throw new Error(`${what}: its bytes were moved to an audio worker by an earlier decode with consume: true; they can be read once`);
}
