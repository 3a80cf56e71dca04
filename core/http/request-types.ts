// What the chain attaches to a request as it passes through.
import type { AwilixContainer } from 'awilix';
import type { UploadedFile } from '../plugin/types.ts';

export interface Principal {
  /** Stable id of the API key (never the key itself). */
  readonly keyId: string;
  readonly name: string;
  readonly role: 'admin' | 'user';
  readonly limits?: { readonly perMinute?: number; readonly perHour?: number };
}

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    scope: AwilixContainer;
    principal?: Principal;
    /** Form or JSON fields after parsing (before validation). */
    fields?: Record<string, unknown>;
    files?: Record<string, UploadedFile>;
  }
}
