// Every audio route takes `response_format` (or an Accept header); the core adds the
// field to the route's schema so each plugin gets it without declaring it.
import type { Request } from 'express';
import type { JsonSchemaObject, RouteDecl } from '../plugin/types.ts';

const MIME_TO_FORMAT: Record<string, string> = {
  'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav',
  'audio/mpeg': 'mp3', 'audio/mp3': 'mp3',
  'audio/flac': 'flac', 'audio/x-flac': 'flac',
  'audio/ogg': 'opus', 'audio/opus': 'opus',
  'audio/pcm': 'pcm', 'audio/l16': 'pcm',
};

export function withResponseFormat(route: RouteDecl, formats: readonly string[]): JsonSchemaObject {
  if (route.produces !== 'audio' || 'response_format' in route.fields.properties) return route.fields;
  return {
    ...route.fields,
    properties: {
      ...route.fields.properties,
      response_format: { type: 'string', enum: formats, description: 'Audio format of the response (or send an Accept header).' },
    },
  };
}

/** The field wins; else the first Accept type we can encode; else the default (first) format. */
export function negotiateFormat(req: Request, field: unknown, formats: readonly string[]): string {
  if (typeof field === 'string' && formats.includes(field)) return field;
  const accept = req.get('accept');
  if (accept) {
    for (const part of accept.split(',')) {
      const format = MIME_TO_FORMAT[part.split(';')[0]!.trim().toLowerCase()];
      if (format && formats.includes(format)) return format;
    }
  }
  return formats[0]!;
}
