// Requests through node:http and bare TCP sockets, for what fetch cannot express:
// bodies that lie about their length, broken framing, answers that arrive mid-upload.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The parsed JSON body, when it is JSON. */
  readonly json: Record<string, any> | undefined;
}

function parse(text: string): Record<string, any> | undefined {
  try {
    return JSON.parse(text) as Record<string, any>;
  } catch {
    return undefined;
  }
}

/** One request with a complete body (Buffer), through node:http. */
export function send(url: string, options: { method?: string; path: string; headers?: Record<string, string | number | string[]>; body?: Uint8Array | string }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url + options.path, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes on a TCP socket and reads until the server closes or a full answer arrived. */
export function sendRaw(url: string, bytes: string | Uint8Array, options: { endAfterWrite?: boolean } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const split = raw.indexOf('\r\n\r\n');
      const head = split < 0 ? raw : raw.slice(0, split);
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = split < 0 ? '' : Buffer.from(raw.slice(split + 4), 'latin1').toString('utf8');
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status: Number(statusLine?.split(' ')[1] ?? 0), headers, text: body, json: parse(body) });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (complete(Buffer.concat(chunks).toString('latin1'))) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish() : reject(error)));
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

function complete(raw: string): boolean {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(raw.slice(0, split))?.[1];
  return length !== undefined && Buffer.byteLength(raw.slice(split + 4), 'latin1') >= Number(length);
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

/**
 * Streams `total` bytes of body after `head` and reports the answer together with how many
 * body bytes were still unsent when it arrived. The client stops sending as soon as it has
 * the answer, as a well-behaved client does on an early error.
 */
export function uploadUntilAnswered(
  url: string,
  options: { path: string; headers: Record<string, string | number>; head: Uint8Array; total: number; chunkBytes?: number },
): Promise<RawAnswer & { unsentBytes: number }> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, 0x55);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url + options.path, { method: 'POST', headers: options.headers }, (res) => {
      answered = true;
      const unsentBytes = options.total - sent;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text), unsentBytes });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < options.total) {
        const piece = sent === 0 ? options.head : chunk.subarray(0, Math.min(chunk.length, options.total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
