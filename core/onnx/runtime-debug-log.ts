// onnxruntime-node 1.30 carries Microsoft's 1DS telemetry SDK, which opens an empty
// `mat-debug-<pid>.log` in the temp folder ($TMPDIR, else /tmp) when the first session of a
// process is created, and never removes it: one 0-byte file per hub process, forever.
// There is no option to stop it (it is read before any session option), so the process
// that loaded sessions removes its own file when it closes; an unlinked file the SDK still
// holds open costs nothing.
import { lstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function runtimeDebugLogPaths(pid = process.pid): string[] {
  return [...new Set([tmpdir(), process.env.TMPDIR ?? '/tmp', '/tmp'])].map((dir) => join(dir, `mat-debug-${pid}.log`));
}

/** Removes this process's empty SDK log; anything with content is left for a person to read. */
export function removeRuntimeDebugLog(pid = process.pid): void {
  for (const path of runtimeDebugLogPaths(pid)) {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.size === 0) rmSync(path, { force: true });
  }
}
