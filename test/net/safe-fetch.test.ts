import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makeAddressPolicy } from '../../core/net/address-policy.ts';
import { FetchError, makeSafeFetcher, redact, type FetchLimits } from '../../core/net/safe-fetch.ts';

const limits: FetchLimits = { allow: [], connectTimeoutMs: 5000, idleTimeoutMs: 5000, maxRedirects: 3, maxBytes: 1 << 20 };

const refused = (kind: FetchError['kind'] = 'refused') => (error: unknown) => error instanceof FetchError && error.kind === kind;

async function read(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('the address policy', () => {
  const policy = makeAddressPolicy();
  it('refuses loopback, private, CGNAT, link-local/metadata, multicast, reserved and IPv4-embedding IPv6 addresses', () => {
    for (const address of [
      '127.0.0.1', '127.255.0.9', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.100.100.200',
      '169.254.169.254', '192.0.0.192', '224.0.0.1', '239.1.1.1', '240.0.0.1', '255.255.255.255', '198.18.0.1',
      '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1', 'fd00:ec2::254', 'fc00::1',
      'fe80::1', 'ff02::1', '64:ff9b::7f00:1', '2002:7f00:1::', '2001:0:7f00:1::', '2001:db8::1',
    ]) assert.ok(policy.refusal(address), `${address} should be refused`);
  });
  it('lets public addresses through, IPv4-mapped ones included', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::1']) {
      assert.equal(policy.refusal(address), undefined, address);
    }
  });
  it('opens exactly the ranges of its allow-list', () => {
    const lab = makeAddressPolicy(['127.0.0.1/32', 'fd00::/8']);
    assert.equal(lab.refusal('127.0.0.1'), undefined);
    assert.equal(lab.refusal('::ffff:127.0.0.1'), undefined);
    assert.equal(lab.refusal('fd12::1'), undefined);
    assert.ok(lab.refusal('127.0.0.2'));
    assert.ok(lab.refusal('10.0.0.1'));
  });
});

describe('the safe fetcher', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/file') return void res.end('hello weights');
      if (url.pathname === '/auth') return void res.end(req.headers.authorization ?? 'none');
      if (url.pathname === '/hop') return void res.writeHead(302, { Location: '/file' }).end();
      if (url.pathname === '/to-v6-loopback') return void res.writeHead(302, { Location: `http://[::1]:${(server.address() as AddressInfo).port}/file` }).end();
      if (url.pathname === '/to-metadata') return void res.writeHead(307, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (url.pathname === '/to-file') return void res.writeHead(302, { Location: 'file:///etc/passwd' }).end();
      if (url.pathname === '/loop') return void res.writeHead(302, { Location: '/loop' }).end();
      if (url.pathname === '/big') return void res.writeHead(200, { 'Content-Length': '5000' }).end('x'.repeat(5000));
      if (url.pathname === '/big-chunked') {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write('y'.repeat(500));
        return void res.end();
      }
      if (url.pathname === '/stall') {
        res.writeHead(200, { 'Content-Length': '100' });
        return void res.write('z'.repeat(10));
      }
      res.writeHead(404).end('SECRET-BODY-BYTES');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('with the default config, refuses loopback and private hosts in every spelling, before connecting', async () => {
    const fetcher = makeSafeFetcher(limits);
    const port = (server.address() as AddressInfo).port;
    const before = seen.length;
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '2130706433', '127.1', '0x7f.0.0.1', '017700000001', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '0.0.0.0', '10.0.0.1', '192.168.0.1', '169.254.169.254', '[fd00::1]']) {
      await assert.rejects(fetcher.get(`http://${host}:${port}/file`), refused(), host);
      await assert.rejects(fetcher.check(`http://${host}:${port}/file`), refused(), host);
    }
    assert.equal(seen.length, before, 'no request reached the server');
  });

  it('fetches only http and https', async () => {
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'] });
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hi', 'gopher://127.0.0.1/', 'not a url']) {
      await assert.rejects(fetcher.get(url), refused(), url);
    }
  });

  it('reaches an allow-listed address and follows redirects that stay allowed', async () => {
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'] });
    const direct = await fetcher.get(`${base}/file`);
    assert.equal(direct.status, 200);
    assert.equal(await read(direct.body), 'hello weights');
    const hopped = await fetcher.get(`${base}/hop`);
    assert.equal(hopped.url, `${base}/file`);
    assert.equal(await read(hopped.body), 'hello weights');
  });

  it('re-checks every redirect: to IPv6 loopback, to the metadata address, to file:, and stops loops', async () => {
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'] });
    await assert.rejects(fetcher.get(`${base}/to-v6-loopback`), refused());
    await assert.rejects(fetcher.get(`${base}/to-metadata`), refused());
    await assert.rejects(fetcher.get(`${base}/to-file`), refused());
    await assert.rejects(fetcher.get(`${base}/loop`), /more than 3 redirects/);
  });

  it('never puts URL credentials, the query or fetched bytes into an error', async () => {
    const fetcher = makeSafeFetcher(limits);
    const error = await fetcher.get(`http://admin:hunter2@127.0.0.1:1/x?token=s3cr3t`).catch((e: Error) => e);
    assert.ok(error instanceof FetchError);
    assert.doesNotMatch(error.message, /hunter2|admin|s3cr3t|token/);
    assert.equal(redact('https://u:p@example.org:8443/a/b?sig=1#f'), 'https://example.org:8443/a/b');
    const allowed = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'] });
    const closed = await allowed.get('http://admin:hunter2@127.0.0.1:1/x?token=s3cr3t').catch((e: Error) => e);
    assert.ok(closed instanceof FetchError && closed.kind === 'failed', String(closed));
    assert.doesNotMatch(closed.message, /hunter2|s3cr3t/);
  });

  it('sends URL credentials to their own host only', async () => {
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'] });
    const res = await fetcher.get(`http://admin:hunter2@127.0.0.1:${(server.address() as AddressInfo).port}/auth`);
    assert.equal(await read(res.body), `Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
  });

  it('cuts a body at the size limit, declared or streamed', async () => {
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'], maxBytes: 1000 });
    await assert.rejects(fetcher.get(`${base}/big`), refused('too-large'));
    const chunked = await fetcher.get(`${base}/big-chunked`);
    await assert.rejects(read(chunked.body), refused('too-large'));
  });

  it('resolves a name once and connects to the address it checked, whatever the DNS says next', async () => {
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.0.0.1', family: 4 }]];
    const asked: string[] = [];
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'] }, { resolver: async (host) => (asked.push(host), answers[asked.length - 1] ?? []) });
    const port = (server.address() as AddressInfo).port;
    const res = await fetcher.get(`http://weights.example:${port}/file`);
    assert.equal(await read(res.body), 'hello weights');
    assert.deepEqual(asked, ['weights.example'], 'one lookup: the connection used the checked address');
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const fetcher = makeSafeFetcher(limits, { resolver: async () => [{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }] });
    const error = await fetcher.get('http://mixed.example/x').catch((e: Error) => e);
    assert.ok(error instanceof FetchError && error.kind === 'refused');
    assert.doesNotMatch(error.message, /169\.254/, 'the private address a name resolved to is not told');
  });

  it('gives up on a body that stops arriving after the idle limit', { timeout: 20_000 }, async () => {
    const fetcher = makeSafeFetcher({ ...limits, allow: ['127.0.0.1/32'], idleTimeoutMs: 300 });
    const res = await fetcher.get(`${base}/stall`);
    const started = performance.now();
    await assert.rejects(read(res.body), (e: unknown) => e instanceof FetchError);
    assert.ok(performance.now() - started < 10_000);
  });
});
