// An error inside an ONNX worker thread that carries why, so the main thread can answer
// with the right catalogue error (missing file, corrupt model, stale resident id, ...).
import type { FailureKind } from './worker-protocol.ts';

export class WorkerFailure extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
