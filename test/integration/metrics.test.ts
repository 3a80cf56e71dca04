// GET /metrics: Prometheus text behind the admin key (or open on a separate address), and
// the counters move when the hub works: requests, uploads, graph runs, tasks, 429s.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../support/smoke.ts';
import { startTestHub, type TestHub } from '../support/test-hub.ts';
import { melData, npyBlob } from '../../plugins/mel-vocoder/test-support.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The value of one sample, e.g. `hub_http_requests_total{method="GET",...}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const [series, value] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) return Number(value);
  }
  return 0;
}

describe('GET /metrics', () => {
  let hub: TestHub;
  const scrape = async () => {
    const res = await hub.call('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  const vocode = (query = '') => {
    const form = new FormData();
    form.set('audio', npyBlob(melData(80, 10), [80, 10]), 'mel.npy');
    return hub.call(`/api/vocoder/hifigan${query}`, { method: 'POST', body: form });
  };

  before(async () => {
    hub = await startTestHub({ rateLimit: { perMinute: 6, perHour: 1000 } });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT));
  });
  after(() => hub.stop());

  it('takes the admin key', async () => {
    assert.equal((await hub.call('/metrics', { key: null })).status, 401);
    const made = await hub.call('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'plain', role: 'user' }) });
    const { key } = (await made.json()) as { key: string };
    assert.equal((await hub.call('/metrics', { key })).status, 403);
  });

  it('counts requests, upload bytes, graph runs, tasks and rate-limit refusals as they happen', async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) await (await hub.call('/api/health', { key: null })).arrayBuffer();
    const sync = await vocode();
    assert.equal(sync.status, 200, await sync.clone().text());
    await sync.arrayBuffer();
    const accepted = await vocode('?async=true');
    assert.equal(accepted.status, 202, await accepted.clone().text());
    const { task_id } = (await accepted.json()) as { task_id: string };
    for (let i = 0; i < 100; i++) {
      const state = (await (await hub.call(`/api/tasks/${task_id}`)).json()) as { status: string };
      if (state.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let refused = 0;
    for (let i = 0; i < 8 && refused === 0; i++) {
      const res = await vocode();
      await res.arrayBuffer();
      if (res.status === 429) refused++;
    }
    assert.equal(refused, 1, 'a rate limit answered 429');
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    assert.equal(delta('hub_http_requests_total', { method: 'GET', route: '/api/health', status_class: '2xx' }), 3, 'hub_http_requests_total { method: GET, route: /api/health, status_class: 2xx }');
    assert.equal(delta('hub_http_request_duration_seconds_count', { method: 'GET', route: '/api/health', status_class: '2xx' }), 3, 'hub_http_request_duration_seconds_count { method: GET, route: /api/health, status_class: 2xx }');
    assert.ok(delta('hub_http_requests_total', { method: 'POST', route: '/api/vocoder/hifigan', status_class: '2xx' }) >= 3);
    assert.equal(delta('hub_rate_limit_refusals_total', { route: '/api/vocoder/hifigan' }), 1, 'hub_rate_limit_refusals_total { route: /api/vocoder/hifigan }');
    assert.ok(delta('hub_request_bytes_total', { route: '/api/vocoder/hifigan' }) > 2 * 80 * 10 * 4, 'two mel uploads counted');
    assert.ok(delta('hub_graph_run_seconds_count', { plugin: 'hifigan' }) >= 2);
    assert.ok(delta('hub_queue_wait_seconds_count', { queue: 'graph' }) >= 2);
    assert.equal(delta('hub_tasks_total', { plugin: 'hifigan', status: 'done' }), 1, 'hub_tasks_total { plugin: hifigan, status: done }');
    assert.equal(delta('hub_queue_wait_seconds_count', { queue: 'task', name: 'hifigan' }), 1, 'hub_queue_wait_seconds_count { queue: task, name: hifigan }');
    assert.ok(sample(after, 'hub_session_resident_bytes', { plugin: 'hifigan' }) > 0);
    assert.match(after, /^# TYPE hub_session_evictions_total counter$/m);
    assert.match(after, /^# TYPE hub_worker_restarts_total counter$/m);
    assert.match(after, /^# TYPE hub_queue_depth gauge$/m);
    assert.match(after, /^nodejs_eventloop_lag_seconds [0-9.e-]+$/m);
    // Every hub metric is documented for operators.
    const documented = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const names = [...new Set([...after.matchAll(/^# TYPE (hub_\w+) /gm)].map((m) => m[1]!))];
    assert.ok(names.length >= 11, names.join(', '));
    for (const name of names) assert.ok(documented.includes(`\`${name}\``), `docs/operations.md does not document ${name}`);
    assert.ok(sample(after, 'process_resident_memory_bytes') > 0);
  });
});

describe('GET /metrics on a separate address', () => {
  it('is served open there and not on the hub port', async () => {
    const hub = await startTestHub({ metrics: { enabled: true, port: 0 } });
    try {
      assert.match(hub.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await fetch(hub.metricsUrl!);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /# TYPE hub_http_requests_total counter/);
      assert.equal((await hub.call('/metrics')).status, 404);
    } finally {
      await hub.stop();
    }
  });
});
