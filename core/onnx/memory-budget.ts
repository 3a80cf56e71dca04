// The byte budget for loaded sessions on the device they run on. A load that would pass it
// first unloads the least recently used sessions of idle plugins (never one that is running,
// queued, or holding a graph session); a load that could never fit, even alone, is refused.
import { freemem } from 'node:os';
import { errors } from '../errors.ts';
import type { OnnxConfig } from './session-settings.ts';

const MiB = 1024 * 1024;

/** The budget in bytes: the configured MiB, or 70 % of the memory free when the hub starts. */
export function budgetBytes(onnx: Pick<OnnxConfig, 'memoryBudgetMb'>, free = freemem()): number {
  return onnx.memoryBudgetMb > 0 ? onnx.memoryBudgetMb * MiB : Math.floor(free * 0.7);
}

export interface Resident {
  readonly key: string;
  readonly plugin: string;
  readonly bytes: number;
  readonly lastUsed: number;
  /** Running, queued, loading or held by a graph session. */
  readonly busy: boolean;
}

export type RoomPlan = { readonly kind: 'fits'; readonly evict: readonly Resident[] } | { readonly kind: 'never' } | { readonly kind: 'busy'; readonly short: number };

/**
 * What to unload so `need` more bytes fit: least recently used first, only sessions of
 * plugins with nothing busy, never the plugin that is loading.
 */
export function planRoom(budget: number, need: number, forPlugin: string, residents: readonly Resident[]): RoomPlan {
  if (need > budget) return { kind: 'never' };
  const used = residents.reduce((sum, r) => sum + r.bytes, 0);
  let short = used + need - budget;
  if (short <= 0) return { kind: 'fits', evict: [] };
  const busyPlugins = new Set(residents.filter((r) => r.busy).map((r) => r.plugin));
  const candidates = residents.filter((r) => r.plugin !== forPlugin && !busyPlugins.has(r.plugin) && r.bytes > 0).sort((a, b) => a.lastUsed - b.lastUsed);
  const evict: Resident[] = [];
  for (const candidate of candidates) {
    if (short <= 0) break;
    evict.push(candidate);
    short -= candidate.bytes;
  }
  return short <= 0 ? { kind: 'fits', evict } : { kind: 'busy', short };
}

export const mib = (bytes: number) => Math.ceil(bytes / MiB);

/**
 * The residents to unload so `need` bytes fit, and the reason to record on them; throws 507
 * for a load that can never fit and 503 for one blocked by sessions in use. `what` names the load.
 */
export function roomFor(budget: number, need: number, what: string, forPlugin: string, residents: readonly Resident[]): { evict: readonly Resident[]; reason: string } {
  const plan = planRoom(budget, need, forPlugin, residents);
  const used = residents.reduce((sum, r) => sum + r.bytes, 0);
  if (plan.kind === 'never') throw errors.memoryBudget(`${what}, more than the whole session memory budget of ${mib(budget)} MiB (onnx.memoryBudgetMb, env HUB_ONNX_MEMORY_BUDGET_MB)`);
  if (plan.kind === 'busy') throw errors.unavailable(`${what}; ${mib(used)} of the ${mib(budget)} MiB session memory budget are held by sessions in use right now; retry when they finish`);
  return { evict: plan.evict, reason: `unloaded to make room for ${what} (budget ${mib(budget)} MiB, ${mib(used)} MiB in use)` };
}
