// A minimal Ogg muxer (RFC 3533) for one logical stream: packets → pages with lacing,
// granule positions and the Ogg CRC-32 (polynomial 0x04c11db7, not reflected).

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc;
}

export class OggWriter {
  private readonly serial: number;
  private sequence = 0;
  private readonly pages: Uint8Array[] = [];
  private pending: Uint8Array[] = [];
  private pendingSegments = 0;

  constructor(serial: number) {
    this.serial = serial >>> 0;
  }

  /** Adds a packet; `flush` ends the page after it (headers must sit alone on their pages). */
  packet(data: Uint8Array, granule: number, options: { flush?: boolean; last?: boolean } = {}): void {
    const segments = Math.floor(data.length / 255) + 1;
    if (this.pendingSegments + segments > 255) this.writePage(this.lastGranule, false);
    this.pending.push(data);
    this.pendingSegments += segments;
    this.lastGranule = granule;
    if (options.flush || options.last || this.pendingBytes() > 4096) this.writePage(granule, options.last ?? false);
  }

  bytes(): Uint8Array {
    const total = this.pages.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const page of this.pages) {
      out.set(page, offset);
      offset += page.length;
    }
    return out;
  }

  private lastGranule = 0;

  private pendingBytes(): number {
    return this.pending.reduce((n, p) => n + p.length, 0);
  }

  private writePage(granule: number, last: boolean): void {
    if (this.pending.length === 0) return;
    const lacing: number[] = [];
    for (const packet of this.pending) {
      let left = packet.length;
      while (left >= 255) (lacing.push(255), (left -= 255));
      lacing.push(left);
    }
    const body = this.pendingBytes();
    const page = new Uint8Array(27 + lacing.length + body);
    const view = new DataView(page.buffer);
    page.set([0x4f, 0x67, 0x67, 0x53], 0);
    page[4] = 0;
    page[5] = (this.sequence === 0 ? 2 : 0) | (last ? 4 : 0);
    view.setBigInt64(6, BigInt(granule), true);
    view.setUint32(14, this.serial, true);
    view.setUint32(18, this.sequence++, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    let offset = 27 + lacing.length;
    for (const packet of this.pending) {
      page.set(packet, offset);
      offset += packet.length;
    }
    view.setUint32(22, crc32(page), true);
    this.pages.push(page);
    this.pending = [];
    this.pendingSegments = 0;
  }
}
