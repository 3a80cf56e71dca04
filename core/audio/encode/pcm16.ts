// Float samples → interleaved signed 16-bit little-endian, clipped and rounded.

export function interleavePcm16(channels: readonly Float32Array[], start = 0, end = channels[0]?.length ?? 0): Uint8Array {
  const count = channels.length;
  const frames = Math.max(0, end - start);
  const out = new Int16Array(frames * count);
  for (let c = 0; c < count; c++) {
    const channel = channels[c]!;
    for (let i = 0; i < frames; i++) {
      const v = channel[start + i]!;
      const clipped = v >= 1 ? 1 : v <= -1 ? -1 : v || 0; // NaN → 0
      out[i * count + c] = Math.round(clipped * 32767);
    }
  }
  // Int16Array is host-endian; every platform Node runs on here is little-endian.
  return new Uint8Array(out.buffer);
}

export function interleaveFloat32(channels: readonly Float32Array[]): Uint8Array {
  const count = channels.length;
  const frames = channels[0]?.length ?? 0;
  const out = new Float32Array(frames * count);
  for (let c = 0; c < count; c++) for (let i = 0; i < frames; i++) out[i * count + c] = channels[c]![i]!;
  return new Uint8Array(out.buffer);
}
