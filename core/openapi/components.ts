// Shared OpenAPI components: the security schemes and the error responses every route can give.

const ERRORS = {
  '400': ['BadRequest', 'Invalid parameters: the detail names the field and the rule.'],
  '401': ['Unauthorized', 'Missing or unknown API key.'],
  '403': ['Forbidden', 'The key lacks the role this route needs.'],
  '413': ['PayloadTooLarge', 'An upload or the request is over its size or duration limit.'],
  '415': ['UnsupportedMediaType', 'The upload is not an accepted format (WAV, MP3, FLAC, OGG).'],
  '422': ['Unprocessable', 'A well-formed value the route cannot serve: outside its declared range, length or choices, or not usable in the chosen mode; the detail names the field and the limit.'],
  '429': ['TooManyRequests', 'Rate limit exceeded; see Retry-After.'],
  '503': ['Unavailable', 'Weights missing or the model queue is full; see the detail and Retry-After.'],
} as const;

/** What a guarded operation declares: the key in `X-API-Key` or as a bearer token. */
export const KEY_SECURITY = [{ ApiKeyAuth: [] }, { BearerAuth: [] }];

export function errorResponses(withUploads: boolean): Record<string, { $ref: string }> {
  const codes = Object.keys(ERRORS).filter((code) => withUploads || (code !== '413' && code !== '415'));
  return Object.fromEntries(codes.map((code) => [code, { $ref: `#/components/responses/${ERRORS[code as keyof typeof ERRORS][0]}` }]));
}

export function errorComponents(extraSchemas: Record<string, unknown>): Record<string, unknown> {
  return {
    securitySchemes: {
      ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      BearerAuth: { type: 'http', scheme: 'bearer', description: 'The same API key, as sent by OpenAI clients.' },
    },
    schemas: {
      Error: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
      ...extraSchemas,
    },
    responses: Object.fromEntries(
      Object.values(ERRORS).map(([name, description]) => [
        name,
        { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      ]),
    ),
  };
}
