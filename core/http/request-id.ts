// Gives every request an id (or keeps a sane one from the client) for logs and replies.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import './request-types.ts';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function makeRequestId(): RequestHandler {
  return function requestId(req, res, next) {
    const given = req.get('x-request-id');
    req.id = given && SAFE_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}
