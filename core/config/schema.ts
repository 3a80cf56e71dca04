// JSON Schema of the server configuration. Every section has defaults, so an empty
// override file is valid; unknown keys are errors, so typos do not pass silently.
const uploadClass = {
  type: 'object',
  additionalProperties: false,
  required: ['maxBytes', 'maxSeconds'],
  properties: {
    maxBytes: { type: 'integer', minimum: 1 },
    maxSeconds: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['server', 'dataDir', 'logLevel', 'registry', 'auth', 'rateLimit', 'uploads', 'audio', 'onnx', 'fetch', 'downloads', 'openai', 'jobs', 'studio', 'dubbing'],
  properties: {
    env: { type: 'string', enum: ['development', 'production', 'test'] },
    server: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'port', 'trustProxy', 'jsonLimitBytes', 'shutdownGraceMs', 'openDocs', 'corsOrigins', 'timeouts'],
      properties: {
        /** Slow or silent clients are cut in seconds (answered 408 where an answer is possible). */
        timeouts: {
          type: 'object',
          additionalProperties: false,
          required: ['headersSeconds', 'bodyIdleSeconds', 'requestSeconds', 'keepAliveSeconds'],
          properties: {
            /** Longest wait for a request's complete headers (a connection that sends nothing included). */
            headersSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 600 },
            /** Longest silence while a request body is still arriving. */
            bodyIdleSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 600 },
            /** Longest time for a whole request, headers and body, however steadily it trickles. */
            requestSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
            /** How long an idle keep-alive connection stays open after an answer. */
            keepAliveSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 600 },
          },
        },
        host: { type: 'string' },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        trustProxy: { type: ['boolean', 'string', 'integer'] },
        jsonLimitBytes: { type: 'integer', minimum: 1 },
        shutdownGraceMs: { type: 'integer', minimum: 0 },
        openDocs: { type: 'boolean' },
        corsOrigins: { type: 'array', items: { type: 'string' } },
      },
    },
    dataDir: { type: 'string', minLength: 1 },
    /** Plugins whose graphs load at boot: 'all' (every plugin with weights), 'none', or a list of names (env HUB_WARMUP). Readiness waits for them. */
    warmup: { anyOf: [{ type: 'string', enum: ['all', 'none'] }, { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }] },
    /** GET /metrics (Prometheus): with the admin key on the hub's own port, or open on a separate address (host, port) that only a scraper should reach. */
    metrics: {
      type: 'object',
      additionalProperties: false,
      required: ['enabled'],
      properties: {
        enabled: { type: 'boolean' },
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    logLevel: { type: 'string', enum: ['debug', 'info', 'warn', 'error', 'silent'] },
    registry: { type: 'string', minLength: 1 },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['devKey'],
      properties: {
        devKey: { type: 'string', minLength: 8 },
        adminKey: { type: 'string', minLength: 16 },
      },
    },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['perMinute', 'perHour', 'tasksPerMinute', 'failedAuth'],
      properties: {
        /** Requests a minute per endpoint per key (seed 002: 10). */
        perMinute: { type: 'integer', minimum: 1 },
        /** Requests an hour per key across all endpoints (seed 002: 100). */
        perHour: { type: 'integer', minimum: 1 },
        /** Requests a minute per key to the task routes (/api/tasks*, progress streams) together; they do not spend perHour. */
        tasksPerMinute: { type: 'integer', minimum: 1 },
        /** Operator overrides per route id (`POST /tts/<plugin>`); `cost` (units a request counts) is off (1) unless set here. */
        routes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: { perMinute: { type: 'integer', minimum: 1 }, perHour: { type: 'integer', minimum: 1 }, cost: { type: 'integer', minimum: 1, maximum: 100 } },
          },
        },
        /** Failed authentications allowed per client address and per key id before 429 (brute-force guard). */
        failedAuth: {
          type: 'object',
          additionalProperties: false,
          required: ['perAddress', 'perKeyId', 'windowSeconds'],
          properties: {
            perAddress: { type: 'integer', minimum: 1 },
            perKeyId: { type: 'integer', minimum: 1 },
            windowSeconds: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    jobs: {
      type: 'object',
      additionalProperties: false,
      required: ['concurrency', 'queueBound', 'resultTtlSeconds', 'resultBudget', 'cleanupIntervalSeconds', 'progressIntervalMs', 'persistIntervalMs'],
      properties: {
        /** Tasks of one plugin that run at once (default for every plugin). */
        concurrency: { type: 'integer', minimum: 1 },
        /** Tasks of one plugin that may wait; beyond it submissions get 503 + Retry-After. */
        queueBound: { type: 'integer', minimum: 0 },
        plugins: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: { concurrency: { type: 'integer', minimum: 1 }, queueBound: { type: 'integer', minimum: 0 } },
          },
        },
        resultTtlSeconds: { type: 'integer', minimum: 1 },
        /** Bytes of stored results one key may keep, and all keys together; the oldest expire first. */
        resultBudget: {
          type: 'object',
          additionalProperties: false,
          required: ['perKeyBytes', 'totalBytes'],
          properties: { perKeyBytes: { type: 'integer', minimum: 1 }, totalBytes: { type: 'integer', minimum: 1 } },
        },
        cleanupIntervalSeconds: { type: 'integer', minimum: 1 },
        /** Least time between two progress messages of one task (the latest state is sent). */
        progressIntervalMs: { type: 'integer', minimum: 0 },
        /** Least time between two progress writes of one task to the database. */
        persistIntervalMs: { type: 'integer', minimum: 0 },
      },
    },
    uploads: {
      type: 'object',
      additionalProperties: false,
      required: ['classes', 'maxRequestBytes', 'maxFiles', 'maxFields', 'maxFieldBytes', 'memoryBytes'],
      properties: {
        classes: {
          type: 'object',
          additionalProperties: false,
          required: ['content', 'reference'],
          properties: { content: uploadClass, reference: uploadClass },
        },
        maxRequestBytes: { type: 'integer', minimum: 1 },
        maxFiles: { type: 'integer', minimum: 0 },
        maxFields: { type: 'integer', minimum: 1 },
        maxFieldBytes: { type: 'integer', minimum: 1 },
        /** An uploaded file up to this size stays in memory; a larger one goes to a temp file. */
        memoryBytes: { type: 'integer', minimum: 0 },
      },
    },
    audio: {
      type: 'object',
      additionalProperties: false,
      required: ['workers', 'maxQueue', 'jobTimeoutSeconds'],
      properties: {
        /** Worker threads for decoding, resampling, features and encoding (0 runs them on the event loop: debugging only). */
        workers: { type: 'integer', minimum: 0, maximum: 64 },
        /** Audio jobs that may wait for a worker; beyond it calls get 503 + Retry-After. */
        maxQueue: { type: 'integer', minimum: 1 },
        /** A job running longer is stopped (a decode then answers 400, anything else 503). */
        jobTimeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    onnx: {
      type: 'object',
      additionalProperties: false,
      required: ['workers', 'intraOpNumThreads', 'executionProviders', 'graphOptimizationLevel', 'spinWait', 'concurrency', 'queueSize', 'queueDeadlineMs', 'graphs', 'progressHeartbeatMs', 'batchWindowMs', 'maxBatch', 'memoryBudgetMb', 'idleUnloadSeconds'],
      properties: {
        /** Worker threads that own ONNX sessions; 0 = about a quarter of the cores (1 to 4). */
        workers: { type: 'integer', minimum: 0, maximum: 64 },
        /** Threads per session; 0 = cores / workers, so workers x threads is about the core count. */
        intraOpNumThreads: { type: 'integer', minimum: 0, maximum: 256 },
        /** Tried in order for every session; CPU is always the last resort (with a warning). */
        executionProviders: { type: 'array', minItems: 1, items: { enum: ['cuda', 'tensorrt', 'cpu'] } },
        graphOptimizationLevel: { enum: ['disabled', 'basic', 'extended', 'all'] },
        /** Session pool threads busy-wait between ops (lower latency for one caller on idle cores). */
        spinWait: { type: 'boolean' },
        /** Runs of one graph at once (each on its own copy of the session, in its own worker). */
        concurrency: { type: 'integer', minimum: 1, maximum: 64 },
        /** Runs of one graph that may wait; beyond it a call gets 503 + Retry-After. */
        queueSize: { type: 'integer', minimum: 0 },
        /** How long a run may wait for its turn before it gets 503 + Retry-After. */
        queueDeadlineMs: { type: 'integer', minimum: 1 },
        /** Overrides per graph, keyed `<plugin>/<graph>`. */
        graphs: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              concurrency: { type: 'integer', minimum: 1, maximum: 64 },
              queueSize: { type: 'integer', minimum: 0 },
              queueDeadlineMs: { type: 'integer', minimum: 1 },
              batchWindowMs: { type: 'number', minimum: 0, maximum: 1000 },
              maxBatch: { type: 'integer', minimum: 1, maximum: 1024 },
            },
          },
        },
        /** Dynamic batching of graphs whose contract marks a batch axis: how long a run waits for others to join it. */
        batchWindowMs: { type: 'number', minimum: 0, maximum: 1000 },
        /** Most items stacked into one batched run; 1 turns batching off. */
        maxBatch: { type: 'integer', minimum: 1, maximum: 1024 },
        /** Bytes loaded sessions may hold, in MiB; 0 = 70 % of the RAM free at boot (env HUB_ONNX_MEMORY_BUDGET_MB). */
        memoryBudgetMb: { type: 'number', minimum: 0 },
        /** Interval of the heartbeat comments on download-progress event streams. */
        progressHeartbeatMs: { type: 'integer', minimum: 100 },
        /** A plugin whose sessions ran nothing for this long is unloaded (0: never). */
        idleUnloadSeconds: { type: 'number', minimum: 0 },
      },
    },
    fetch: {
      type: 'object',
      additionalProperties: false,
      required: ['allow', 'connectTimeoutMs', 'idleTimeoutMs', 'maxRedirects', 'maxBytes'],
      properties: {
        /** Address ranges (`127.0.0.1/32`, `fd00::/8`) the fetcher may reach although they are not public: tests and labs only. */
        allow: { type: 'array', items: { type: 'string', pattern: '^[0-9a-fA-F:.]+(/[0-9]{1,3})?$' } },
        connectTimeoutMs: { type: 'integer', minimum: 1 },
        /** Longest wait for response headers or the next body chunk. */
        idleTimeoutMs: { type: 'integer', minimum: 1 },
        maxRedirects: { type: 'integer', minimum: 0, maximum: 20 },
        /** Largest body fetched (a weight file included). */
        maxBytes: { type: 'integer', minimum: 1 },
      },
    },
    downloads: {
      type: 'object',
      additionalProperties: false,
      required: ['retries'],
      properties: {
        /** The only folder `POST /api/models/download` may copy weights from (default <dataDir>/import). */
        importDir: { type: 'string', minLength: 1 },
        /** Times a broken transfer is resumed (HTTP Range) before the task fails. */
        retries: { type: 'integer', minimum: 0, maximum: 20 },
      },
    },
    openai: {
      type: 'object',
      additionalProperties: false,
      required: ['defaultModel', 'models', 'chunkLength', 'cache'],
      properties: {
        /** The TTS plugin used when a request names no model. */
        defaultModel: { type: 'string', minLength: 1 },
        /** OpenAI model names (tts-1, ...) → installed TTS plugin names. */
        models: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
        /** Default characters per synthesised chunk (seed range 100-300). */
        chunkLength: { type: 'integer', minimum: 100, maximum: 300 },
        /** Seed 004's voices.json: named reference clips every cloning model can speak with (relative paths: from the project root). */
        voicesFile: { type: 'string', minLength: 1 },
        cache: {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'maxBytes', 'maxAgeSeconds'],
          properties: {
            enabled: { type: 'boolean' },
            maxBytes: { type: 'integer', minimum: 0 },
            /** Zero or less turns the cache off (seed 004's CACHE_TTL_MINUTES <= 0). */
            maxAgeSeconds: { type: 'integer' },
          },
        },
      },
    },
    /**
     * Scale-out mode (docs/operations.md, "Scale-out"): set `redisUrl` and rate-limit counters,
     * the job queue (BullMQ) and progress events go through Redis, so several API processes and
     * separate worker processes act as one hub. Absent: the embedded single-process hub.
     */
    scaleOut: {
      type: 'object',
      additionalProperties: false,
      properties: {
        /** redis://[user:password@]host:port[/db]; also HUB_REDIS_URL. */
        redisUrl: { type: 'string', pattern: '^rediss?://' },
        /** What this process does: `all` (HTTP and tasks), `api` (HTTP only) or `worker` (tasks only); also --role / HUB_ROLE. */
        role: { type: 'string', enum: ['all', 'api', 'worker'] },
        /** Prefix of every Redis key the hub writes, so hubs can share one Redis. */
        prefix: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', maxLength: 64 },
        /** Port of a worker process's health endpoint (GET /health); 0 picks a free one; also HUB_WORKER_PORT. */
        workerPort: { type: 'integer', minimum: 0, maximum: 65535 },
        /** A worker that stops renewing its lock on a task for this long is taken as dead; the task is recovered. */
        stalledSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
      },
    },
    studio: {
      type: 'object',
      additionalProperties: false,
      required: ['prefix', 'defaultEngine', 'minSampleSeconds', 'maxSampleSeconds', 'maxReferenceSeconds', 'maxHistoryLimit'],
      properties: {
        /** Where the voice studio (voicebox API) is mounted: '' for the root, or a path such as '/studio'. */
        prefix: { type: 'string', pattern: '^(/[A-Za-z0-9._~-]+)*$', maxLength: 100 },
        /** The cloning TTS plugin used when a request names no engine and it is installed; otherwise any cloning TTS. */
        defaultEngine: { type: 'string', minLength: 1 },
        /** Profile samples shorter than this are refused (422). */
        minSampleSeconds: { type: 'number', exclusiveMinimum: 0 },
        /** Profile samples longer than this are refused (422). */
        maxSampleSeconds: { type: 'number', exclusiveMinimum: 0 },
        /** A profile's samples are combined into one reference clip of at most this length. */
        maxReferenceSeconds: { type: 'number', exclusiveMinimum: 0 },
        /** Largest `limit` GET /history accepts (422 beyond). */
        maxHistoryLimit: { type: 'integer', minimum: 1 },
      },
    },
    /** The dubbing surface (seed 001's VoiceDub API): credits, limits and the mix it writes. */
    dubbing: {
      type: 'object',
      additionalProperties: false,
      required: ['initialCredits', 'maxInputMinutes', 'sampleRate', 'format', 'uploadTtlSeconds', 'maxReferenceSeconds', 'linkTimeoutSeconds'],
      properties: {
        /** Credits a key starts with the first time it uses the surface. */
        initialCredits: { type: 'integer', minimum: 0 },
        /** Longest dub input (the seed's 30 minutes). */
        maxInputMinutes: { type: 'number', exclusiveMinimum: 0 },
        /** Rate the pipeline works and writes at. */
        sampleRate: { type: 'integer', minimum: 8000, maximum: 48000 },
        /** Format of the finished dub (one the hub encodes). */
        format: { type: 'string', enum: ['mp3', 'wav', 'flac', 'opus'] },
        /** How long a presigned upload URL stays valid. */
        uploadTtlSeconds: { type: 'integer', minimum: 60 },
        /** Reference audio a cloned voice keeps for zero-shot conversion. */
        maxReferenceSeconds: { type: 'number', exclusiveMinimum: 0 },
        /** Longest a dub's link may take to download, whole (stalls are cut sooner, at fetch.idleTimeoutMs). */
        linkTimeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
      },
    },
  },
} as const;
