// The progress bus of a scale-out deployment: every event is applied to this process's own
// bus at once and published on one Redis channel; each process applies what the others
// publish. So a WebSocket or SSE client on any API process follows a task that a worker
// process runs, and `latest` answers from memory on every process. One channel for all
// tasks: each process keeps the latest state of every live task anyway, and pattern
// subscriptions per task would cost Redis more than the few bytes of a progress event.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { makeProgressBus, type ProgressBus } from './progress-bus.ts';
import type { ProgressEvent } from './types.ts';

interface Envelope {
  /** The publishing process: it applied the event already and skips its own echo. */
  readonly from: string;
  readonly event: ProgressEvent;
}

export function makeRedisProgressBus(deps: { publisher: Redis; subscriber: Redis; prefix: string; logger: Logger }): ProgressBus & { close(): Promise<void> } {
  const local = makeProgressBus();
  const channel = `${deps.prefix}:progress`;
  const self = randomUUID();

  deps.subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const envelope = JSON.parse(text) as Envelope;
    if (envelope.from !== self) local.publish(envelope.event);
  });
  void deps.subscriber.subscribe(channel).catch((error: Error) => deps.logger.error('progress channel subscription failed', { error: error.message }));

  return {
    ...local,
    publish(event) {
      local.publish(event);
      // Progress is best effort while Redis is away: the task state in the store stays exact.
      deps.publisher.publish(channel, JSON.stringify({ from: self, event } satisfies Envelope)).catch(() => {});
    },
    async close() {
      local.endAll();
      await deps.subscriber.unsubscribe(channel).catch(() => {});
    },
  };
}
