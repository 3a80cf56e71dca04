// Progress of a long job on stderr: a cli-progress bar with bytes and ETA on a terminal;
// on anything else (logs, CI, a pipe) one plain line per finished file, no control codes.
import cliProgress from 'cli-progress';
import type { DownloadTick } from '../core/onnx/weight-download.ts';
import { mib } from './table.ts';

export interface Progress {
  tick(tick: DownloadTick): void;
  stop(): void;
}

export function downloadProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {done} of {size} | ETA {eta_formatted} | {file}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      tick(t) {
        const payload = { done: mib(t.bytes), size: t.total ? mib(t.total) : '?', file: t.phase === 'verifying' ? `verifying ${t.file}` : t.file };
        if (!started) {
          bar.start(Math.max(t.total, 1), t.bytes, payload);
          started = true;
        }
        if (t.total) bar.setTotal(t.total);
        bar.update(t.bytes, payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastFile = '';
  return {
    tick(t) {
      if (t.phase === 'verifying' && t.file !== lastFile) {
        lastFile = t.file;
        stream.write(`${label}: ${t.file} fetched (${mib(t.bytes)} so far)\n`);
      }
    },
    stop() {},
  };
}
