// The composition root: the only place that registers services and resolves them. Every
// service is a factory over a small deps object; singletons that hold resources register
// a disposer, and `container.dispose()` closes them child-first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import { buildApp } from './app.ts';
import { makeAudioToolkit } from './audio/make-audio-toolkit.ts';
import type { HubConfig } from './config/load-config.ts';
import { makeBodyReader } from './http/body.ts';
import { makeDispatcher } from './http/dispatch.ts';
import { makeAsyncDispatcher } from './jobs/async-dispatch.ts';
import { makeJobs } from './jobs/jobs.ts';
import { laneLimits, makeLocalQueue } from './jobs/local-queue.ts';
import { makeProgressBus } from './jobs/progress-bus.ts';
import { makeProgressSockets } from './jobs/progress-socket.ts';
import { makeSystemTasks, type SystemTaskKind } from './jobs/system-task.ts';
import { makeCapabilityCallKind } from './jobs/capability-calls.ts';
import { makeTaskFiles } from './jobs/task-files.ts';
import { makeTaskStore } from './jobs/task-store.ts';
import { logDestination } from './log/destination.ts';
import { makeLogger, type Logger } from './log/logger.ts';
import { makeSafeFetcher } from './net/safe-fetch.ts';
import { makeDownloadManager, type DownloadManager } from './onnx/download-manager.ts';
import { makeIdleUnloader } from './onnx/idle-unload.ts';
import { makeSessionManager } from './onnx/session-manager.ts';
import { makeWeightInspector } from './onnx/weight-inspector.ts';
import { makePluginRuntime, type PluginRuntime } from './plugin/runtime.ts';
import { loadPlugins } from './registry/load-registry.ts';
import { makeCors } from './http/cors.ts';
import { makeGuards } from './security/guards.ts';
import { makeKeyStore } from './security/key-store.ts';
import { makeKeysSurface } from './security/keys-surface.ts';
import { makeMemoryRateLimitStores, type RateLimitStores } from './security/rate-limit-store.ts';
import { openDatabase, type Db } from './store/database.ts';
import { makeAudioToolsSurface } from './surfaces/audio-tools.ts';
import { makeHealthSurface } from './surfaces/health.ts';
import { makeModelsSurface } from './surfaces/models.ts';
import { makeTasksSurface } from './surfaces/tasks.ts';
import { makeOpenAiSurface } from './surfaces/openai/index.ts';
import { makeMemoryCacheIndex } from './surfaces/openai/cache-index.ts';
import { makeRootHealth } from './surfaces/root-health.ts';
import { makeStudioSurface } from './surfaces/studio/index.ts';
import { makeDubbingSurface } from './surfaces/dubbing/index.ts';
import { makeDubbingWork, type DubbingWork } from './surfaces/dubbing/work.ts';
import { makeProbesSurface } from './surfaces/probes.ts';
import { makePlaygroundSurface } from './surfaces/playground/playground.ts';
import { makeWarmup } from './plugin/warmup.ts';
import { makeMetrics } from './metrics/metrics.ts';
import { makeMetricsSurface, type MetricsSurface } from './metrics/metrics-surface.ts';
import { makeTextToolkit } from './text/make-text-toolkit.ts';
import { scaleOutOf } from './config/scale-out-settings.ts';

export async function composeContainer(config: HubConfig, logger?: Logger): Promise<AwilixContainer> {
  const container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
  const version = (JSON.parse(readFileSync(join(config.rootDir, 'package.json'), 'utf8')) as { version: string }).version;
  const plugins = await loadPlugins(config.registry, config.rootDir);

  container.register({
    container: asValue(container),
    config: asValue(config),
    metrics: asFunction(makeMetrics).singleton(),
    logger: asValue(logger ?? makeLogger({ level: config.logLevel, destination: await logDestination(config.env) })),
    version: asValue(version),
    plugins: asValue(plugins),

    db: asFunction(openDatabase).singleton().disposer((db: Db) => db.close()),
    weights: asFunction(makeWeightInspector).singleton(),
    graphs: asFunction(makeSessionManager).singleton().disposer((g) => g.dispose()),
    idleUnloader: asFunction(makeIdleUnloader).singleton().disposer((u) => u.stop()),
    fetcher: asFunction(({ config }: { config: HubConfig }) => makeSafeFetcher(config.fetch)).singleton(),
    downloads: asFunction(makeDownloadManager).singleton(),
    // Work of the hub itself that runs as tasks (weight downloads; dubbing and voice cloning;
    // capability calls from an API-only process).
    dubbingWork: asFunction(makeDubbingWork).singleton(),
    capabilityCallKind: asFunction(makeCapabilityCallKind).singleton(),
    systemTasks: asFunction(({ downloads, dubbingWork, capabilityCallKind }: { downloads: DownloadManager; dubbingWork: DubbingWork; capabilityCallKind: SystemTaskKind }) =>
      makeSystemTasks([downloads.kind, ...dubbingWork.list, capabilityCallKind]),
    ).singleton(),
    audio: asFunction(makeAudioToolkit).singleton().disposer((a) => a.close()),
    text: asFunction(makeTextToolkit).singleton().disposer((t) => t.close()),
    runtime: asFunction(makePluginRuntime).singleton().disposer((r) => r.dispose()),
    // What surfaces call plugins through; an API-only process swaps in stand-ins (core/scale-out.ts).
    capabilities: asFunction(({ runtime }: { runtime: PluginRuntime }) => runtime).singleton(),

    keys: asFunction(makeKeyStore).singleton(),
    rateLimitStores: asFunction(makeMemoryRateLimitStores).singleton().disposer((s: RateLimitStores) => s.shutdown()),
    guards: asFunction(makeGuards).singleton(),
    bodyReader: asFunction(({ config }: { config: HubConfig }) =>
      makeBodyReader({ limits: config.uploads, jsonLimitBytes: config.server.jsonLimitBytes, tempDir: join(config.dataDir, 'tmp', 'uploads') }),
    ).singleton(),
    syncDispatch: asFunction(makeDispatcher).singleton(),
    dispatch: asFunction(makeAsyncDispatcher).singleton(),

    // Jobs: scale-out (below) swaps taskQueue and progressBus for Redis-backed ones.
    taskStore: asFunction(makeTaskStore).singleton(),
    taskFiles: asFunction(({ config }: { config: HubConfig }) => makeTaskFiles({ root: join(config.dataDir, 'tasks') })).singleton(),
    taskQueue: asFunction(({ config }: { config: HubConfig }) => makeLocalQueue({ limitsOf: laneLimits(config.jobs) })).singleton(),
    progressBus: asFunction(makeProgressBus).singleton(),
    jobs: asFunction(makeJobs).singleton().disposer((j) => j.stop()),
    progressSockets: asFunction(makeProgressSockets).singleton().disposer((s) => s.close()),
    preRoute: asFunction(({ config }: { config: HubConfig }) => [makeCors({ config })]).singleton(),

    healthChecks: asValue([]), // scale-out adds Redis
    warmup: asFunction(makeWarmup).singleton(),
    healthSurface: asFunction(makeHealthSurface).singleton(),
    probesSurface: asFunction(makeProbesSurface).singleton(),
    playgroundSurface: asFunction(makePlaygroundSurface).singleton(),
    metricsSurface: asFunction(makeMetricsSurface).singleton().disposer((m: MetricsSurface) => m.close()),
    modelsSurface: asFunction(makeModelsSurface).singleton(),
    audioToolsSurface: asFunction(makeAudioToolsSurface).singleton(),
    keysSurface: asFunction(makeKeysSurface).singleton(),
    speechCacheIndex: asValue(makeMemoryCacheIndex), // scale-out: Redis
    openaiSurface: asFunction(makeOpenAiSurface).singleton(),
    tasksSurface: asFunction(makeTasksSurface).singleton(),
    rootHealth: asFunction(makeRootHealth).singleton(),
    studioSurface: asFunction(makeStudioSurface).singleton(),
    // Before the OpenAI surface: both answer under /v1, and the OpenAI router ends in a 404 fallback.
    dubbingSurface: asFunction(makeDubbingSurface).singleton(),
    surfaces: asFunction(({ healthSurface, probesSurface, metricsSurface, playgroundSurface, modelsSurface, tasksSurface, audioToolsSurface, keysSurface, dubbingSurface, openaiSurface, rootHealth, studioSurface }) => [healthSurface, probesSurface, metricsSurface, playgroundSurface, modelsSurface, tasksSurface, audioToolsSurface, keysSurface, dubbingSurface, openaiSurface, rootHealth, studioSurface]).singleton(),
    app: asFunction(buildApp).singleton(),
  });
  const scaleOut = scaleOutOf(config);
  // Loaded only here: an embedded hub needs neither ioredis nor BullMQ in memory.
  if (scaleOut) container.register((await import('./scale-out.ts')).scaleOutRegistrations(scaleOut));
  return container;
}
