// Runs fuzz cases against a hub over real HTTP and checks the property every answer must
// have: a 4xx in the surface's error shape (OpenAI's `{error: {message}}` under /v1,
// `{detail}` elsewhere, a string or the studio's list of issues), never a 5xx, and within
// 10 s. Lanes run in parallel, each a fast-check property with its own seed (seed + lane),
// so a failure is shrunk to a small counterexample and replays from its seed.
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { fuzzCases, type FuzzCase } from './cases.ts';
import { fuzzOperations, type JsonSchema } from './operations.ts';

export const HANG_MS = 10_000;

export interface FuzzOptions {
  readonly url: string;
  readonly key: string;
  readonly document: JsonSchema;
  readonly cases: number;
  readonly seed: number;
  /** Parallel clients. */
  readonly lanes: number;
}

export interface FuzzReport {
  readonly cases: number;
  readonly routes: number;
  readonly seconds: number;
  /** Cases per status code, to show the answers were not all alike. */
  readonly statuses: Readonly<Record<number, number>>;
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

function send(agent: Agent, url: string, key: string, c: FuzzCase): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'x-api-key': key, ...c.headers };
    if (c.body) headers['content-length'] = c.body.length;
    // A path given as is: a URL object would resolve `..` and `%2e%2e` before sending.
    const req = request({ host: hostname, port, method: c.op.method, path: c.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(HANG_MS, () => req.destroy(new Error(`no answer within ${HANG_MS / 1000} s`)));
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Throws (for fast-check) unless the answer is a 4xx in the operation's error shape. */
export function checkAnswer(c: FuzzCase, answer: Answer): void {
  const where = `${c.op.method} ${c.path.slice(0, 120)} [${c.kind}]`;
  if (answer.status < 400 || answer.status > 499) throw new Error(`${where}: answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(`${where}: ${answer.status} body is not JSON: ${answer.text.slice(0, 200)}`);
  }
  const shaped =
    c.op.shape === 'openai' ? typeof body?.error?.message === 'string'
    : c.op.shape === 'code' ? typeof body?.code === 'string' && typeof body?.message === 'string'
    : typeof body?.detail === 'string' || Array.isArray(body?.detail);
  if (!shaped) throw new Error(`${where}: ${answer.status} body is not in the ${c.op.shape} error shape: ${answer.text.slice(0, 200)}`);
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { arbitrary, routes } = fuzzCases(fuzzOperations(options.document));
  const agent = new Agent({ keepAlive: true, maxSockets: options.lanes });
  const statuses: Record<number, number> = {};
  const perLane = Math.ceil(options.cases / options.lanes);
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: options.lanes }, (_, lane) =>
        fc.assert(
          fc.asyncProperty(arbitrary, async (c) => {
            const answer = await send(agent, options.url, options.key, c);
            statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
            checkAnswer(c, answer);
          }),
          { seed: options.seed + lane, numRuns: perLane, includeErrorInReport: true },
        ),
      ),
    );
  } finally {
    agent.destroy();
  }
  const cases = Object.values(statuses).reduce((a, b) => a + b, 0);
  return { cases, routes, seconds: (performance.now() - started) / 1000, statuses };
}
