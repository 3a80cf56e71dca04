// A request body that stops arriving is cut after `seconds` of silence with 408, however
// long the request may take in all (Node's requestTimeout bounds the whole request; it
// knows nothing of silence). Armed only while a body is still coming: once it has all
// arrived the socket's idle timer is cleared, so a handler that computes for minutes is
// never cut. The answer is the connection layer's `{"detail": ...}` (as Node's own 408).
import type { RequestHandler } from 'express';
import { closeAfterAnswer } from './lingering-close.ts';
import { whenClosed } from './response-closed.ts';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function makeBodyIdleTimeout(seconds: number): RequestHandler {
  const ms = Math.round(seconds * 1000);
  return function bodyIdleTimeout(req, res, next) {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!BODY_METHODS.has(req.method) || !hasBody || req.complete) return next();
    const disarm = () => req.socket?.setTimeout(0);
    // IncomingMessage.setTimeout: Node emits the socket's timeout on the request while it is
    // incomplete, and with a listener there it leaves the socket to us.
    req.setTimeout(ms, function bodyStalled() {
      if (req.complete) return;
      disarm();
      if (res.headersSent) return void req.socket.destroy();
      closeAfterAnswer(req, res);
      res.status(408).json({ detail: `the request body stopped arriving: nothing for ${seconds} s` });
    });
    req.once('end', disarm);
    whenClosed(res, disarm);
    next();
  };
}
