// The services a scale-out deployment swaps in (config `scaleOut.redisUrl`, docs/operations.md
// "Scale-out"): rate-limit counters, the task queue, the progress bus and the speech cache's
// index go through Redis; everything else — plugins, routes, the task store, the result
// files — is unchanged.
// Registered over the embedded defaults by the composition root, so no other module knows
// which mode it runs in.
import { asFunction, type Resolver } from 'awilix';
import type { Redis } from 'ioredis';
import type { HubConfig } from './config/load-config.ts';
import { makeBullQueue } from './jobs/bullmq-queue.ts';
import { laneLimits } from './jobs/local-queue.ts';
import { makeRemoteCapabilities } from './jobs/capability-calls.ts';
import { makeRemoteDispatcher } from './jobs/remote-dispatch.ts';
import { makeRedisProgressBus } from './jobs/redis-progress-bus.ts';
import type { SystemTasks } from './jobs/system-task.ts';
import type { Logger } from './log/logger.ts';
import type { LoadedPlugin } from './registry/load-registry.ts';
import type { HealthCheck } from './surfaces/health.ts';
import type { CacheScan } from './surfaces/openai/cache-index.ts';
import { makeRedisCacheIndex } from './surfaces/openai/redis-cache-index.ts';
import { makeRedisRateLimitStores } from './security/redis-rate-limit-store.ts';
import type { ScaleOut } from './config/scale-out-settings.ts';
import { openRedis } from './store/redis.ts';

const quit = async (redis: Redis) => {
  await redis.quit().catch(() => redis.disconnect());
};

export function scaleOutRegistrations(scaleOut: ScaleOut): Record<string, Resolver<unknown>> {
  const { prefix } = scaleOut;
  const apiOnly: Record<string, Resolver<unknown>> =
    // An API-only process runs no plugin code for plugin routes: synchronous calls wait for a worker too.
    // The surfaces' capability calls (speech, transcription) go to a worker the same way.
    scaleOut.role === 'api' ? { syncDispatch: asFunction(makeRemoteDispatcher).singleton(), capabilities: asFunction(makeRemoteCapabilities).singleton() } : {};
  return {
    ...apiOnly,
    scaleOut: asFunction(() => scaleOut).singleton(),
    redisCommands: asFunction(() => openRedis(scaleOut, 'commands', 'commands')).singleton().disposer(quit),
    redisBlocking: asFunction(() => openRedis(scaleOut, 'blocking', 'queue')).singleton().disposer(quit),
    redisSubscriber: asFunction(() => openRedis(scaleOut, 'blocking', 'subscriber')).singleton().disposer(quit),

    healthChecks: asFunction(({ redisCommands }: { redisCommands: Redis }): HealthCheck[] => [
      {
        problem: () =>
          redisCommands.status === 'ready'
            ? undefined
            : `Redis is unreachable (${redisCommands.status}): tasks cannot be queued, cancelled or followed from other processes, and rate limits cannot be counted`,
      },
    ]).singleton(),

    speechCacheIndex: asFunction(({ redisCommands }: { redisCommands: Redis }) => (scan: CacheScan) => makeRedisCacheIndex({ redis: redisCommands, prefix, scan })).singleton(),
    rateLimitStores: asFunction(({ redisCommands }: { redisCommands: Redis }) => makeRedisRateLimitStores({ redis: redisCommands, prefix })).singleton(),
    progressBus: asFunction(({ redisCommands, redisSubscriber, logger }: { redisCommands: Redis; redisSubscriber: Redis; logger: Logger }) =>
      makeRedisProgressBus({ publisher: redisCommands, subscriber: redisSubscriber, prefix, logger }),
    )
      .singleton()
      .disposer((bus) => bus.close()),
    taskQueue: asFunction(
      (deps: { config: HubConfig; plugins: LoadedPlugin[]; systemTasks: SystemTasks; redisCommands: Redis; redisBlocking: Redis; redisSubscriber: Redis; logger: Logger }) =>
        makeBullQueue({
          commands: deps.redisCommands,
          blocking: deps.redisBlocking,
          subscriber: deps.redisSubscriber,
          prefix,
          lanes: [...deps.plugins.map((p) => p.decl.name), ...deps.systemTasks.lanes],
          consume: scaleOut.role !== 'api',
          stalledSeconds: scaleOut.stalledSeconds,
          limitsOf: laneLimits(deps.config.jobs),
          logger: deps.logger,
        }),
    )
      .singleton()
      .disposer((queue) => queue.close()),
  };
}
