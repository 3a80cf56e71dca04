// Headers every response carries. Swagger UI needs its own inline script and styles, so
// the CSP allows 'self' plus inline for /api/docs only.
import type { RequestHandler } from 'express';

export function makeSecurityHeaders(): RequestHandler {
  return function securityHeaders(req, res, next) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader(
      'Content-Security-Policy',
      req.path.startsWith('/api/docs') ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:" : "default-src 'none'; frame-ancestors 'none'",
    );
    next();
  };
}
