// /api/openapi.json and /api/docs (Swagger UI). Open by default; behind the key when
// `server.openDocs` is false.
import type { Express, Request, RequestHandler, Response } from 'express';
import swaggerUi from 'swagger-ui-express';

export function mountDocs(app: Express, document: () => Record<string, unknown>, guard: RequestHandler | undefined): void {
  const chain: RequestHandler[] = guard ? [guard] : [];
  app.get('/api/openapi.json', ...chain, function openapi(_req, res) {
    res.json(document());
  });
  const html = swaggerUi.generateHTML(document(), {
    customSiteTitle: 'Speech Model Hub API',
    swaggerOptions: { url: '/api/openapi.json', persistAuthorization: true },
  });
  app.use('/api/docs', ...chain, swaggerUi.serveFiles(document(), {}), function docs(_req: Request, res: Response) {
    res.type('html').send(html);
  });
}

export const docsPaths = {
  '/api/openapi.json': {
    get: { tags: ['Utility'], summary: 'This OpenAPI document', operationId: 'openapi', security: [], responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } } },
  },
  '/api/docs': {
    get: { tags: ['Utility'], summary: 'Swagger UI', operationId: 'docs', security: [], responses: { '200': { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } } },
  },
};
