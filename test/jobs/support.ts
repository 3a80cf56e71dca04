// Helpers for the jobs tests: a hub whose registry adds the slow-steps fixture, and
// clients that follow a task over SSE and over a WebSocket until the hub closes them.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type { ProgressEvent } from '../../core/jobs/types.ts';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The default registry's audio-info plus the slow-steps fixture. */
export const JOBS_REGISTRY = join(ROOT, 'test', 'jobs', 'registry.json');

/** Every progress message is sent (no throttle), so tests can compare whole sequences. */
export async function startJobsHub(overrides: Record<string, unknown> = {}): Promise<TestHub> {
  return startTestHub({ registry: JOBS_REGISTRY, jobs: { progressIntervalMs: 0, persistIntervalMs: 0 }, ...overrides });
}

export interface Accepted {
  task_id: string;
  status: string;
  status_url: string;
  progress_url: string;
  events_url: string;
  result_url: string;
}

export async function submit(hub: TestHub, path: string, fields: Record<string, unknown> | FormData, options: { key?: string; query?: string } = {}): Promise<Accepted> {
  const body = fields instanceof FormData ? fields : JSON.stringify(fields);
  const headers: Record<string, string> = options.query ? {} : { Prefer: 'respond-async' };
  if (!(fields instanceof FormData)) headers['content-type'] = 'application/json';
  const res = await hub.call(`/api${path}${options.query ?? ''}`, { method: 'POST', body, headers, key: options.key });
  assert.equal(res.status, 202, await res.clone().text());
  const accepted = (await res.json()) as Accepted;
  assert.equal(res.headers.get('location'), accepted.status_url);
  return accepted;
}

export async function statusOf(hub: TestHub, id: string, key?: string): Promise<Record<string, any>> {
  const res = await hub.call(`/api/tasks/${id}`, { key });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Record<string, any>;
}

/** Polls the status until the predicate holds (tasks move on their own; no fixed sleeps). */
export async function waitForStatus(hub: TestHub, id: string, predicate: (task: Record<string, any>) => boolean, key?: string): Promise<Record<string, any>> {
  for (let i = 0; i < 1000; i++) {
    const task = await statusOf(hub, id, key);
    if (predicate(task)) return task;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`task ${id} never reached the expected state`);
}

/**
 * Opens the task's SSE stream; resolves once the hub has answered (it subscribes before it
 * answers), with a promise of every event until the hub ends the stream.
 */
export async function openEventStream(hub: TestHub, id: string, key: string = DEV_KEY): Promise<{ events: Promise<ProgressEvent[]> }> {
  const res = await hub.call(`/api/tasks/${id}/events`, { key });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events = res.text().then((text) =>
    text
      .split('\n\n')
      .flatMap((block) => block.split('\n').filter((line) => line.startsWith('data: ')))
      .map((line) => JSON.parse(line.slice(6)) as ProgressEvent),
  );
  return { events };
}

export async function sseEvents(hub: TestHub, id: string, key: string = DEV_KEY): Promise<ProgressEvent[]> {
  return (await openEventStream(hub, id, key)).events;
}

export function wsUrl(hub: TestHub, id: string, query = ''): string {
  return `${hub.url.replace(/^http/, 'ws')}/ws/progress/${id}${query}`;
}

/** Opens the WebSocket and resolves once it is open, with a promise of every message until close. */
export async function openProgressSocket(url: string, headers: Record<string, string> = { 'X-API-Key': DEV_KEY }) {
  const ws = new WebSocket(url, { headers });
  const events: ProgressEvent[] = [];
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as ProgressEvent));
  const closed = new Promise<{ events: ProgressEvent[]; code: number }>((resolve) => ws.once('close', (code) => resolve({ events, code })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/** A refused handshake: the HTTP status and JSON body the hub answered instead of upgrading. */
export function refusedHandshake(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the WebSocket was upgraded'));
    });
    ws.once('error', () => {}); // the ws client also reports the refusal as an error
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
    });
  });
}

export function assertOrderedProgress(events: readonly ProgressEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i]!.progress >= events[i - 1]!.progress, `progress went back at ${i}: ${JSON.stringify(events)}`);
  }
}
