// Errors cross the worker boundary as plain data; catalogue errors keep their code,
// status and field so a corrupt upload still answers 400/413/415, not 500.
import { HubError } from '../errors.ts';

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly hub?: { code: string; status: number; param?: string; headers: Record<string, string> };
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof HubError) {
    return { name: error.name, message: error.message, hub: { code: error.code, status: error.status, param: error.param, headers: { ...error.headers } } };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message };
}

export function deserializeError(data: SerializedError): Error {
  if (data.hub) return new HubError(data.hub.code, data.hub.status, data.message, { param: data.hub.param, headers: data.hub.headers });
  const error = data.name === 'RangeError' ? new RangeError(data.message) : data.name === 'TypeError' ? new TypeError(data.message) : new Error(data.message);
  return error;
}
