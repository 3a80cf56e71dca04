// Headers every response carries. Swagger UI needs its own inline script and styles, so
// the CSP allows 'self' plus inline for /api/docs only. API answers hold a caller's
// data (audio made from their voice), so no cache keeps them unless a route says otherwise.
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
// blob: for media and images: Swagger UI shows answers (audio, pictures) from object URLs of their bytes.
const DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; frame-ancestors 'none'";

/** `trustProxy`: the server's setting; with none, a request is secure when its own connection is (no header to weigh). */
export function makeSecurityHeaders(options: { trustProxy: boolean | string | number }): RequestHandler {
  // express's req.secure asks the trust-proxy function on every request (~1 µs of a health probe).
  const behindProxy = options.trustProxy !== false && options.trustProxy !== 0;
  return function securityHeaders(req, res, next) {
    const docs = req.path.startsWith('/api/docs');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', docs ? DOCS_CSP : API_CSP);
    if (!docs) res.setHeader('Cache-Control', 'no-store');
    // Only meaningful over TLS (RFC 6797 §7.2: ignored on plain HTTP).
    if ((req.socket as TLSSocket).encrypted === true || (behindProxy && req.secure)) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}
