// A real HTTP server on a free port that serves weight files, honours Range requests and
// records what it was asked, for download tests. `stallAfter` bytes of a file, it waits
// until `release()` before sending the rest.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WeightServer {
  readonly url: string;
  readonly requests: { path: string; range: string | undefined }[];
  stallAfter(path: string, bytes: number): void;
  release(): void;
  /** Ends the next response for `path` after `bytes`, as a dropped connection would. */
  dropAfter(path: string, bytes: number): void;
  close(): Promise<void>;
}

export async function startWeightServer(files: Readonly<Record<string, Uint8Array>>): Promise<WeightServer> {
  const requests: { path: string; range: string | undefined }[] = [];
  const stalls = new Map<string, number>();
  const drops = new Map<string, number>();
  let releases: (() => void)[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/weights\//, ''));
    requests.push({ path, range: req.headers.range });
    const body = files[path];
    if (!body) return void res.writeHead(404).end('not found');
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    if (start >= body.byteLength && match) return void res.writeHead(416).end();
    res.writeHead(match ? 206 : 200, {
      'Content-Length': String(body.byteLength - start),
      ...(match ? { 'Content-Range': `bytes ${start}-${body.byteLength - 1}/${body.byteLength}` } : {}),
    });
    const drop = drops.get(path);
    if (drop !== undefined) {
      drops.delete(path);
      // Let the bytes reach the client before the connection drops.
      return void res.write(body.subarray(start, drop), () => setTimeout(() => res.destroy(), 50));
    }
    const stall = stalls.get(path);
    if (stall !== undefined && stall > start) {
      res.write(body.subarray(start, stall));
      await new Promise<void>((resolve) => releases.push(resolve));
      return void res.end(body.subarray(stall));
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    stalls.clear();
    for (const resolve of releases) resolve();
    releases = [];
  };
  return {
    url: `http://127.0.0.1:${port}/weights`,
    requests,
    stallAfter: (path, bytes) => void stalls.set(path, bytes),
    dropAfter: (path, bytes) => void drops.set(path, bytes),
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
