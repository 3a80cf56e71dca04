// Fan-out of progress events to the WebSocket and SSE subscribers of each task. It keeps
// the latest event of every live task in memory, so a late subscriber starts from the
// current state even between two (throttled) database writes. In-process only; a
// scale-out deployment replaces it with Redis pub/sub behind the same interface.
import { isFinal, type ProgressEvent } from './types.ts';

export interface ProgressSubscriber {
  next(event: ProgressEvent): void;
  /** The channel is closing: the final event was sent, or the hub is shutting down. */
  end(reason: 'final' | 'shutdown'): void;
}

export interface ProgressBus {
  publish(event: ProgressEvent): void;
  latest(taskId: string): ProgressEvent | undefined;
  subscribe(taskId: string, subscriber: ProgressSubscriber): () => void;
  /** Ends every subscription (shutdown): clients reconnect and resume from the current state. */
  endAll(): void;
}

export function makeProgressBus(): ProgressBus {
  const latest = new Map<string, ProgressEvent>();
  const subscribers = new Map<string, Set<ProgressSubscriber>>();

  return {
    publish(event) {
      const final = isFinal(event);
      if (final) latest.delete(event.task_id);
      else latest.set(event.task_id, event);
      const listening = subscribers.get(event.task_id);
      if (!listening) return;
      for (const subscriber of listening) subscriber.next(event);
      if (final) {
        subscribers.delete(event.task_id);
        for (const subscriber of listening) subscriber.end('final');
      }
    },
    latest: (taskId) => latest.get(taskId),
    subscribe(taskId, subscriber) {
      let set = subscribers.get(taskId);
      if (!set) subscribers.set(taskId, (set = new Set()));
      set.add(subscriber);
      return () => {
        set.delete(subscriber);
        if (set.size === 0 && subscribers.get(taskId) === set) subscribers.delete(taskId);
      };
    },
    endAll() {
      const all = [...subscribers.values()].flatMap((set) => [...set]);
      subscribers.clear();
      for (const subscriber of all) subscriber.end('shutdown');
    },
  };
}
