// A surface is a group of core routes (health, docs, tasks, models, the OpenAI-compatible
// API, ...). Each mounts itself and describes itself for the OpenAPI document.
import type { Express } from 'express';

export interface OpenApiFragment {
  readonly paths: Readonly<Record<string, unknown>>;
  /** Only for a tag that is not in core/openapi/tags.ts (the one list, where new tags belong). */
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly schemas?: Readonly<Record<string, unknown>>;
}

export interface Surface {
  readonly name: string;
  mount(app: Express): void;
  /**
   * Path prefixes under which this surface answers errors in a shape of its own (its router
   * ends with its own error handler and starts with `rejectMalformedPath()`).
   */
  readonly ownErrorShapeUnder?: readonly string[];
  readonly openapi?: OpenApiFragment;
}
