// The speech-server fields of the shared root /health, in seed 004's shape (the routing
// and metrics blocks an upstream router reads): which plugin answers when a request names
// no model, under which OpenAI name, whether it can run, its voices, and the load of the
// speech routes. vLLM's own engine settings (max_num_seqs, ...) have no meaning here: null.
import type { ModelTable, TtsProvider } from './models.ts';
import type { RequestMetrics } from '../../http/request-metrics.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';

export const SPEECH_HEALTH_SCHEMA = {
  type: 'object',
  properties: {
    engine: { type: ['string', 'null'], description: 'The TTS plugin that answers requests naming no model' },
    model: { type: ['string', 'null'] },
    served_as: { type: ['string', 'null'], description: 'The OpenAI model name it is served as' },
    engine_ready: { type: 'boolean' },
    engine_error: { type: ['string', 'null'] },
    voices_loaded: { type: 'array', items: { type: 'string' } },
    default_voice: { type: ['string', 'null'] },
    routing: { type: 'object', properties: { load_score: { type: 'number', minimum: 0, maximum: 1 }, accepts_requests: { type: 'boolean' } } },
    metrics: { type: 'object', properties: { in_flight: { type: 'integer' }, total_completed: { type: 'integer' }, total_errors: { type: 'integer' } } },
  },
} as const;

/** The voices a provider speaks with, as GET /v1/voices lists them. */
type VoicesOf = (provider: TtsProvider) => Promise<{ data: readonly { id: string }[]; default: string | null }>;

export function speechHealth(deps: { models: ModelTable; runtime: PluginRuntime; aliases: Readonly<Record<string, string>>; metrics: RequestMetrics; voicesOf: VoicesOf }) {
  return async () => {
    let engine: TtsProvider | undefined;
    let error: string | null = null;
    try {
      engine = deps.models.resolve(undefined);
    } catch (failure) {
      error = (failure as Error).message;
    }
    const listed = engine ? await deps.voicesOf(engine) : undefined;
    const voices = listed ? listed.data.map((v) => v.id) : [];
    const { inFlight, completed, errors } = deps.metrics.snapshot();
    return {
      engine: engine?.plugin ?? null,
      model: (engine && deps.runtime.get(engine.plugin)?.decl.title) ?? null,
      served_as: Object.entries(deps.aliases).find(([, plugin]) => plugin === engine?.plugin)?.[0] ?? engine?.plugin ?? null,
      engine_ready: engine !== undefined,
      engine_error: error,
      voices_loaded: voices,
      default_voice: listed?.default ?? null,
      // 0 when idle, towards 1 as requests pile up: a router prefers the lower score.
      routing: { load_score: inFlight / (inFlight + 1), accepts_requests: engine !== undefined },
      metrics: { in_flight: inFlight, total_completed: completed, total_errors: errors, max_num_seqs: null, max_model_len: null, gpu_memory_utilization: null },
    };
  };
}
