// A weight download's progress as Server-Sent Events: the current state first, then every
// change until it completes or fails, with heartbeat comments so proxies keep the stream
// open. Shared by /api/models/progress and the voice studio's /models/progress.
import type { Response } from 'express';
import { isActive, type DownloadManager, type DownloadProgress } from '../onnx/download-manager.ts';

/** Tells EventSource how long to wait before reconnecting. */
const RETRY_MS = 2000;

export function streamDownload(deps: { downloads: DownloadManager; config: { onnx: { progressHeartbeatMs: number } } }, name: string, res: Response): void {
  let ended = false;
  const send = (progress: DownloadProgress) => {
    if (ended) return;
    res.write(`data: ${JSON.stringify(progress)}\n\n`);
    if (progress.status === 'complete' || progress.status === 'error') end();
  };
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.config.onnx.progressHeartbeatMs);
  heartbeat.unref();
  const unsubscribe = deps.downloads.subscribe(name, send);
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.write(`retry: ${RETRY_MS}\n\n`);
  // The current state first; an idle stream stays open for a download that starts later.
  const current = deps.downloads.progress(name);
  if (isActive(current.status) || current.status === 'idle') res.write(`data: ${JSON.stringify(current)}\n\n`);
  else send(current);
  res.once('close', end);
}
