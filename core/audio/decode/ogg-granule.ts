// Facts from an Ogg stream's pages that the WASM decoders do not act on: the Opus
// pre-skip and the last page's granule position, which together give the exact length
// (the encoder pads the final packet; RFC 7845 §4.4 says to trim to the granule).

const isPage = (b: Uint8Array, i: number) => b[i] === 0x4f && b[i + 1] === 0x67 && b[i + 2] === 0x67 && b[i + 3] === 0x53;

/** Last valid granule position in the file, scanning back from the end; undefined if none. */
export function lastGranule(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = bytes.length - 27; i >= 0; i--) {
    if (!isPage(bytes, i)) continue;
    const granule = view.getBigInt64(i + 6, true);
    if (granule >= 0n) return Number(granule);
  }
  return undefined;
}

/** Opus pre-skip from the OpusHead packet on the first page; undefined if absent. */
export function opusPreSkip(bytes: Uint8Array): number | undefined {
  if (bytes.length < 47 || !isPage(bytes, 0)) return undefined;
  const start = 27 + bytes[26]!;
  const head = String.fromCharCode(...bytes.subarray(start, start + 8));
  if (head !== 'OpusHead') return undefined;
  return bytes[start + 10]! | (bytes[start + 11]! << 8);
}
