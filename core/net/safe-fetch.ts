// The one way the hub reaches outside itself (weight downloads now, dubbing links later).
// http/https only; the host name is resolved once and every address it resolves to is
// checked against the address policy; the connection goes to the checked address (no
// second lookup a rebinding DNS server could answer differently); each redirect is checked
// the same way; bodies are cut at a size limit and stalls at an idle limit. Errors name the
// URL without its credentials or query and never carry a byte of what was fetched.
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { makeAddressPolicy, type AddressPolicy } from './address-policy.ts';

export interface FetchLimits {
  /** Address ranges reachable although the policy refuses them (tests, labs). */
  readonly allow: readonly string[];
  readonly connectTimeoutMs: number;
  /** Longest wait for the response headers, and for the next body chunk. */
  readonly idleTimeoutMs: number;
  readonly maxRedirects: number;
  /** Largest body accepted; a request may ask for less. */
  readonly maxBytes: number;
}

export interface SafeRequest {
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly maxBytes?: number;
}

export interface SafeResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The final URL after redirects, as `redact` shows it. */
  readonly url: string;
  /** The body, cut with a FetchError at the size limit or after an idle wait. */
  readonly body: AsyncIterable<Buffer>;
  /** Drops the connection without reading the body. */
  discard(): void;
}

export type FetchErrorKind = 'refused' | 'failed' | 'too-large' | 'timeout';

export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  constructor(kind: FetchErrorKind, message: string) {
    super(message);
    this.name = 'FetchError';
    this.kind = kind;
  }
}

export interface SafeFetcher {
  /** Parses and checks a URL, resolving its host, without connecting. Throws FetchError('refused'). */
  check(url: string): Promise<void>;
  get(url: string, request?: SafeRequest): Promise<SafeResponse>;
}

/** A URL fit for an error message or a log: scheme, host, port and path; no credentials, query or fragment. */
export function redact(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Every address of a host name (dns.lookup's `all`); tests put a scripted resolver here. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export function makeSafeFetcher(limits: FetchLimits, options: { policy?: AddressPolicy; resolver?: Resolver } = {}): SafeFetcher {
  const policy = options.policy ?? makeAddressPolicy(limits.allow);
  const resolver = options.resolver ?? systemResolver;
  /** The address to connect to, after every address of the host passed the policy. */
  const resolve = async (url: URL): Promise<{ address: string; family: 4 | 6 }> => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('refused', `${redact(url)}: only http and https URLs are fetched`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      addresses = await resolver(host).catch(() => {
        throw new FetchError('failed', `${redact(url)}: the host name does not resolve`);
      });
    }
    if (addresses.length === 0) throw new FetchError('failed', `${redact(url)}: the host name does not resolve`);
    for (const { address } of addresses) {
      const refusal = policy.refusal(address);
      // The address is named only when the URL named it: a resolved private address stays unsaid.
      if (refusal) throw new FetchError('refused', `${redact(url)}: refused, the host is ${refusal}`);
    }
    return { address: addresses[0]!.address, family: addresses[0]!.family === 6 ? 6 : 4 };
  };

  const parse = (raw: string, base?: URL): URL => {
    try {
      return new URL(raw, base);
    } catch {
      throw new FetchError('refused', 'not a valid URL');
    }
  };

  const once = (url: URL, target: { address: string; family: 4 | 6 }, request: SafeRequest): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const pinned: LookupFunction = (_host, options, callback) => {
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
        else callback(null, target.address, target.family);
      };
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send({
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        // A fresh socket each time: a pooled one may be connected to an address checked for another host.
        agent: false,
        lookup: pinned,
        servername: isIP(host) ? undefined : host,
        // Credentials in the URL go to its own host only (a redirect drops them below).
        auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
        headers: { 'user-agent': 'speech-model-hub', ...request.headers, host: url.host },
        signal: request.signal,
      });
      const connectTimer = setTimeout(() => req.destroy(new FetchError('timeout', `${redact(url)}: no connection within ${limits.connectTimeoutMs} ms`)), limits.connectTimeoutMs);
      req.once('socket', (socket) => socket.once('connect', () => clearTimeout(connectTimer)));
      req.setTimeout(limits.idleTimeoutMs, () => req.destroy(new FetchError('timeout', `${redact(url)}: no answer within ${limits.idleTimeoutMs} ms`)));
      req.once('response', (res) => {
        clearTimeout(connectTimer);
        resolve(res);
      });
      req.once('error', (error: Error & { code?: string }) => {
        clearTimeout(connectTimer);
        if (error instanceof FetchError || request.signal?.aborted) return reject(error);
        // The cause is a code (ECONNREFUSED, ...): never a message that could quote the peer.
        reject(new FetchError('failed', `${redact(url)}: ${error.code ?? 'the connection failed'}`));
      });
      req.end();
    });

  /** The body as chunks, stopped at the size limit, and at an idle wait by the request timeout. */
  async function* limited(res: IncomingMessage, url: URL, maxBytes: number): AsyncIterable<Buffer> {
    let seen = 0;
    try {
      for await (const chunk of res) {
        seen += (chunk as Buffer).byteLength;
        if (seen > maxBytes) throw new FetchError('too-large', `${redact(url)}: the body is larger than ${maxBytes} bytes`);
        yield chunk as Buffer;
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw new FetchError('failed', `${redact(url)}: the transfer broke off after ${seen} bytes (${(error as { code?: string }).code ?? 'connection closed'})`);
    } finally {
      res.destroy();
    }
    if (!res.complete) throw new FetchError('failed', `${redact(url)}: the transfer broke off after ${seen} bytes`);
  }

  return {
    async check(raw) {
      await resolve(parse(raw));
    },
    async get(raw, request = {}) {
      const maxBytes = Math.min(request.maxBytes ?? limits.maxBytes, limits.maxBytes);
      let url = parse(raw);
      for (let hops = 0; ; hops++) {
        const target = await resolve(url);
        const res = await once(url, target, request);
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status) && res.headers.location) {
          res.destroy();
          if (hops >= limits.maxRedirects) throw new FetchError('failed', `${redact(url)}: more than ${limits.maxRedirects} redirects`);
          const next = parse(res.headers.location, url);
          // Credentials never travel to where a redirect points.
          next.username = '';
          next.password = '';
          url = next;
          continue;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          throw new FetchError('too-large', `${redact(url)}: the body declares ${declared} bytes, more than the ${maxBytes} allowed`);
        }
        const finalUrl = url;
        return { status, headers: res.headers, url: redact(finalUrl), body: limited(res, finalUrl, maxBytes), discard: () => res.destroy() };
      }
    },
  };
}
