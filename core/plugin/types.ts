// The plugin contract: everything the core needs to know about a model plugin is a field
// of this declaration. The meta-schema in meta-schema.ts checks the same shape at boot.
import type { FromSchema } from './schema-types.ts';
import type { HandlerContext } from './context.ts';
import type { GraphContract } from './graph-contract.ts';

export const TASKS = ['tts', 'vc', 'svc', 'tta', 'codec', 'vocoder', 'asr', 'audio', 'text'] as const;
export type Task = (typeof TASKS)[number];

export { ELEMENT_TYPES, type Dim, type ElementType, type GraphContract, type TensorContract } from './graph-contract.ts';

export const UPLOAD_CLASSES = ['content', 'reference'] as const;
export type UploadClass = (typeof UPLOAD_CLASSES)[number];

export interface UploadDecl {
  readonly name: string;
  /** Which size and duration limits apply (configured per class). */
  readonly class: UploadClass;
  readonly required?: boolean;
  readonly description?: string;
  /** What the bytes may be: audio (sniffed: wav, mp3, flac, ogg), a .npy array, or either. */
  readonly accept?: 'audio' | 'npy' | 'audio-or-npy';
  /** Other names clients of existing implementations send for this field (accepted, not documented twice). */
  readonly aliases?: readonly string[];
}

export type JsonSchemaObject = {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
};

export type Produces = 'audio' | 'json';

/** Audio a handler returns; the core encodes it in the requested format. */
export interface AudioOutput {
  /** Mono samples, or one array per channel. Nominal range [-1, 1]. */
  readonly audio: Float32Array | readonly Float32Array[];
  readonly sampleRate: number;
  /** Extra response headers (e.g. `X-Seed`). */
  readonly headers?: Readonly<Record<string, string>>;
}

interface UploadFacts {
  readonly field: string;
  /** Client-supplied name, sanitised; never used as a path. */
  readonly filename: string;
  readonly size: number;
  readonly declaredType: string;
  /** Sniffed from the bytes: wav, mp3, flac, ogg-vorbis, ogg-opus, npy, or unknown. */
  format: string;
  readonly limitClass: UploadClass;
}

/**
 * An uploaded file: in memory up to `uploads.memoryBytes`, else in a temp file removed when
 * the request ends. `ctx.audio.decode(file)` takes either; `readUpload(file)` gives the bytes.
 */
export type UploadedFile = UploadFacts & ({ readonly bytes: Uint8Array; readonly path?: undefined } | { readonly path: string; readonly bytes?: undefined });

export type FilesOf<U extends readonly UploadDecl[] | undefined> = U extends readonly UploadDecl[]
  ? { -readonly [K in U[number] as K['name']]: K extends { required: true } ? UploadedFile : UploadedFile | undefined }
  : Record<string, never>;

export type InputOf<S, U extends readonly UploadDecl[] | undefined> = FromSchema<S> & { files: FilesOf<U> };

export type OutputOf<P extends Produces> = P extends 'audio' ? AudioOutput : unknown;

export interface RouteRateLimit {
  readonly perMinute?: number;
  readonly perHour?: number;
}

export interface RouteDecl<
  S extends JsonSchemaObject = JsonSchemaObject,
  U extends readonly UploadDecl[] | undefined = readonly UploadDecl[] | undefined,
  P extends Produces = Produces,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path relative to /api, e.g. `/tts/my-model`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly fields: S;
  readonly uploads?: U;
  readonly produces: P;
  readonly rateLimit?: RouteRateLimit;
  /** Safe to run again after a crash (jobs re-run it instead of failing it). */
  readonly idempotent?: boolean;
  /** Example field values for docs and the conformance suite. */
  readonly example?: Readonly<Record<string, unknown>>;
  readonly handler: (input: InputOf<S, U>, ctx: HandlerContext) => Promise<OutputOf<P>>;
}

/** Capabilities a plugin offers to other parts of the hub; shapes live in core/capabilities.ts. */
export type CapabilityMap = Readonly<Record<string, unknown>>;

export interface PluginDecl {
  readonly name: string;
  readonly title: string;
  readonly task: Task;
  readonly summary: string;
  readonly license: string;
  readonly sampleRate: number;
  readonly graphs?: Readonly<Record<string, GraphContract>>;
  readonly routes: readonly RouteDecl<any, any, any>[];
  readonly capabilities?: CapabilityMap;
  /** Weight-free plugins are always installed; others need their graph files. */
  readonly weightFree?: boolean;
  readonly load?: (ctx: HandlerContext) => Promise<void> | void;
  readonly unload?: () => Promise<void> | void;
}
