// /api/openapi.json and /api/docs (Swagger UI). Open by default; behind the key when
// `server.openDocs` is false.
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import swaggerUi from 'swagger-ui-express';
import { KEY_SECURITY } from '../openapi/components.ts';
import { TAGS } from '../openapi/tags.ts';

/** The Swagger UI plugin that plays and offers audio answers (a browser script). */
const AUDIO_RESULTS_PATH = '/api/docs/audio-results.js';
const audioResultsScript = readFileSync(join(import.meta.dirname, 'swagger-audio-results.js'), 'utf8');

export function mountDocs(app: Express, document: () => Record<string, unknown>, guard: RequestHandler | undefined): void {
  const chain: RequestHandler[] = guard ? [guard] : [];
  app.get('/api/openapi.json', ...chain, function openapi(_req, res) {
    res.json(document());
  });
  const html = swaggerUi.generateHTML(document(), {
    customSiteTitle: 'Speech Model Hub API',
    customJs: AUDIO_RESULTS_PATH,
    swaggerOptions: { url: '/api/openapi.json', persistAuthorization: true },
  });
  app.get(AUDIO_RESULTS_PATH, ...chain, function audioResultsPlugin(_req: Request, res: Response) {
    res.type('text/javascript').send(audioResultsScript);
  });
  // Swagger UI's page and static files answer GET and HEAD only; any other method falls
  // through to the 405 of the fallback (the docs are read, never changed).
  const readOnly: RequestHandler = (req, _res, next) => next(req.method === 'GET' || req.method === 'HEAD' ? undefined : 'router');
  const docsRouter = express.Router();
  docsRouter.use(readOnly, ...chain, swaggerUi.serveFiles(document(), {}), function docs(_req: Request, res: Response) {
    res.type('html').send(html);
  });
  app.use('/api/docs', docsRouter);
}

/** The docs' own operations: open, or behind the key when `server.openDocs` is false. */
export function docsPaths(guarded: boolean): Record<string, unknown> {
  const security = guarded ? KEY_SECURITY : [];
  return {
    '/api/openapi.json': {
      get: { tags: [TAGS.utility.name], summary: 'This OpenAPI document', operationId: 'openapi', security, responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } } },
    },
    '/api/docs': {
      get: { tags: [TAGS.utility.name], summary: 'Swagger UI', operationId: 'docs', security, responses: { '200': { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } } },
    },
  };
}
