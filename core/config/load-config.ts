// Configuration = configs/default.json, deep-merged with the file named by HUB_CONFIG,
// then the documented environment variables, then programmatic overrides (tests).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { FromSchema } from '../plugin/schema-types.ts';
import { configSchema } from './schema.ts';

export type HubConfig = FromSchema<typeof configSchema> & { env: 'development' | 'production' | 'test'; rootDir: string };

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

const ROOT = resolve(import.meta.dirname, '..', '..');

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`config: cannot read ${path}: ${(error as Error).message}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

/** The environment variables the hub reads, documented in docs/operations.md. */
function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const server: Record<string, unknown> = {};
  if (env.PORT !== undefined) server.port = Number(env.PORT);
  if (env.HOST !== undefined) server.host = env.HOST;
  if (env.HUB_TRUST_PROXY !== undefined) server.trustProxy = env.HUB_TRUST_PROXY === 'true' ? true : env.HUB_TRUST_PROXY;
  const out: Record<string, unknown> = { server };
  if (env.HUB_DATA_DIR) out.dataDir = env.HUB_DATA_DIR;
  if (env.HUB_LOG_LEVEL) out.logLevel = env.HUB_LOG_LEVEL;
  if (env.HUB_REGISTRY) out.registry = env.HUB_REGISTRY;
  if (env.HUB_WARMUP) out.warmup = env.HUB_WARMUP === 'all' || env.HUB_WARMUP === 'none' ? env.HUB_WARMUP : env.HUB_WARMUP.split(',').map((name) => name.trim()).filter(Boolean);
  if (env.HUB_ADMIN_KEY) out.auth = { adminKey: env.HUB_ADMIN_KEY };
  if (env.HUB_ONNX_MEMORY_BUDGET_MB) out.onnx = { memoryBudgetMb: Number(env.HUB_ONNX_MEMORY_BUDGET_MB) };
  const scaleOut: Record<string, unknown> = {};
  if (env.HUB_REDIS_URL) scaleOut.redisUrl = env.HUB_REDIS_URL;
  if (env.HUB_ROLE) scaleOut.role = env.HUB_ROLE;
  if (env.HUB_WORKER_PORT !== undefined) scaleOut.workerPort = Number(env.HUB_WORKER_PORT);
  if (Object.keys(scaleOut).length) out.scaleOut = scaleOut;
  const nodeEnv = env.NODE_ENV;
  out.env = nodeEnv === 'production' || nodeEnv === 'test' ? nodeEnv : 'development';
  return out;
}

export function loadConfig(options: { env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {}): HubConfig {
  const env = options.env ?? process.env;
  let merged = readJson(resolve(ROOT, 'configs', 'default.json'));
  if (env.HUB_CONFIG) merged = deepMerge(merged, readJson(resolve(env.HUB_CONFIG)));
  merged = deepMerge(merged, fromEnvironment(env));
  if (options.overrides) merged = deepMerge(merged, options.overrides);

  const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(configSchema);
  if (!validate(merged)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`config is invalid: ${problems}`);
  }
  const config = merged as HubConfig;
  return { ...config, dataDir: resolve(ROOT, config.dataDir), registry: resolve(ROOT, config.registry), rootDir: ROOT };
}
