// Whether this process is one of a scale-out deployment, and its settings with their
// defaults. Apart from the Redis client: an embedded hub never loads ioredis or BullMQ.
import type { HubConfig } from './load-config.ts';

export type ScaleOut = Required<NonNullable<HubConfig['scaleOut']>>;

/** The scale-out settings with their defaults, or undefined for the embedded hub. */
export function scaleOutOf(config: HubConfig): ScaleOut | undefined {
  const section = config.scaleOut ?? {};
  const role = section.role ?? 'all';
  if (!section.redisUrl) {
    if (role !== 'all') throw new Error(`config: role '${role}' needs scaleOut.redisUrl (or HUB_REDIS_URL): it shares its work through Redis`);
    return undefined;
  }
  return { redisUrl: section.redisUrl, role, prefix: section.prefix ?? 'hub', workerPort: section.workerPort ?? 8100, stalledSeconds: section.stalledSeconds ?? 30 };
}
