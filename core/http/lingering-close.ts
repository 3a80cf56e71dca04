// After answering a request whose body we stopped reading (413, a broken multipart body),
// the connection must close: the rest of the body would otherwise be read as the next
// request. Closing at once while the client still sends makes the kernel answer with a
// TCP reset, which can destroy our answer before the client reads it. So, as RFC 9112
// §9.6 describes, close in stages: send the answer and a FIN, discard what still arrives
// for a short while, then close.
import type { Request, Response } from 'express';
import type { Socket } from 'node:net';

const LINGER_MS = 2000;

export function closeAfterAnswer(req: Request, res: Response): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  const socket = req.socket as Socket & { destroySoon?: () => void };
  if (socket.destroyed) return;
  // Node calls destroySoon() once the response is flushed; stage the close instead.
  socket.destroySoon = function lingeringClose() {
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
    socket.end();
    req.removeAllListeners('data');
    req.resume();
  };
}
