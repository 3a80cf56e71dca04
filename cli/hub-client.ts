// Calls to a running hub for the commands that act on its live state (tasks). The hub is
// --hub <url> or HUB_URL (default http://127.0.0.1:8000); the key is HUB_API_KEY, never a
// flag (it would sit in the shell history and in `ps`).
import { HubCallError, UsageError } from './exit.ts';

export interface HubTarget {
  readonly url: string;
  readonly key: string;
}

export function hubTarget(flag: string | undefined): HubTarget {
  const url = (flag ?? process.env.HUB_URL ?? 'http://127.0.0.1:8000').replace(/\/+$/, '');
  const key = process.env.HUB_API_KEY;
  if (!key) throw new UsageError('set HUB_API_KEY to a key of the hub (create one with: hub keys create --name me); the development key works in development');
  return { url, key };
}

/** JSON from the hub; a refusal or an unreachable hub becomes a HubCallError naming what to check. */
export async function callHub<T>(target: HubTarget, path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(target.url + path, { ...init, headers: { 'X-API-Key': target.key, ...init.headers } });
  } catch (error) {
    throw new HubCallError(`cannot reach the hub at ${target.url} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}); is it running? (hub start, or --hub <url>)`);
  }
  const body = (await res.json().catch(() => ({}))) as T & { detail?: string };
  if (!res.ok) throw new HubCallError(`the hub answered ${res.status}: ${body.detail ?? res.statusText}`);
  return body;
}
