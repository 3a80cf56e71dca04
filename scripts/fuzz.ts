// `npm run fuzz -- [--cases N] [--seed S] [--lanes L] [--url URL --key KEY]`: the hostile-
// input suite of test/fuzz as a long run. Without --url it starts a hub of its own (the
// project's registry, a temporary data folder, limits out of the way) and checks after the
// run that the hub still answers and left no file in its data folder. A failure prints the
// shrunk counterexample and the seed that replays it.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from '../core/hub.ts';
import { runFuzz } from '../test/fuzz/run.ts';

const DEV_KEY = 'amphion-dev-key-change-in-production';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cases: { type: 'string', default: '5000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) }, lanes: { type: 'string', default: '4' }, url: { type: 'string' }, key: { type: 'string' } },
  });
  const cases = Number(values.cases);
  const seed = Number(values.seed);
  const lanes = Number(values.lanes);
  if (![cases, seed, lanes].every((n) => Number.isInteger(n) && n >= 0) || lanes < 1) {
    console.error('usage: npm run fuzz -- [--cases N] [--seed S] [--lanes L] [--url URL --key KEY]');
    return 2;
  }
  const dataDir = values.url ? undefined : await mkdtemp(join(tmpdir(), 'hub-fuzz-'));
  const hub = dataDir
    ? await startHub({
        overrides: {
          server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 },
          dataDir,
          logLevel: 'error',
          rateLimit: { perMinute: 1e9, perHour: 1e9, tasksPerMinute: 1e9, failedAuth: { perAddress: 1e9, perKeyId: 1e9, windowSeconds: 1 } },
        },
      })
    : undefined;
  const url = values.url ?? hub!.url;
  const key = values.key ?? DEV_KEY;
  try {
    const document = (await (await fetch(`${url}/api/openapi.json`, { headers: { 'x-api-key': key } })).json()) as Record<string, unknown>;
    console.log(`fuzzing ${url}: ${cases} cases, seed ${seed}, ${lanes} lanes (lane i replays with seed ${seed} + i)`);
    const report = await runFuzz({ url, key, document, cases, seed, lanes });
    console.log(`ok: ${report.cases} cases over ${report.routes} routes in ${report.seconds.toFixed(1)} s (${(report.cases / report.seconds).toFixed(0)}/s); statuses ${JSON.stringify(report.statuses)}`);
    if (dataDir) {
      const health = await fetch(`${url}/api/health`);
      const left = (await readdir(join(dataDir, 'tmp'), { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => !e.isDirectory());
      if (health.status !== 200 || left.length) {
        console.error(`after the run: health ${health.status}, ${left.length} file(s) left under ${join(dataDir, 'tmp')}`);
        return 1;
      }
    }
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await hub?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
