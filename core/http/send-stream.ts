// Pipes a stored body (a task result) to the response. A client that closes the connection
// before the last byte (ERR_STREAM_PREMATURE_CLOSE, EPIPE, ECONNRESET) has only left: that
// is not an error of the hub, so nothing is thrown and nothing is logged as one; the file
// stream is closed either way.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

const CLIENT_LEFT = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

export async function sendStream(body: Readable, res: Response): Promise<void> {
  try {
    await pipeline(body, res);
  } catch (error) {
    // Judged by the code alone: a read error of our own file (EIO, ENOENT) is still an error.
    if (CLIENT_LEFT.has((error as NodeJS.ErrnoException).code ?? '')) {
      body.destroy();
      return;
    }
    throw error;
  }
}
