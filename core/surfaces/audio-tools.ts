// /api/audio/spectrogram and /api/audio/waveform: pictures of an uploaded file, for people
// judging vocoders and codecs by eye. Core routes, behind the same guards, streamed body
// reader, upload checks and field validation as plugin routes; the decode enforces the
// upload class's duration limit (413).
import express, { type Request, type RequestHandler } from 'express';
import type { AudioToolkit } from '../audio/toolkit.ts';
import { COLORMAP_NAMES } from '../audio/pictures/colormaps.ts';
import { IMAGE_LIMITS } from '../audio/pictures/image-limits.ts';
import type { makeBodyReader } from '../http/body.ts';
import type { Guards } from '../http/guards.ts';
import type { Surface } from '../http/surface.ts';
import { makeUploadChecks } from '../http/upload-checks.ts';
import { makeFieldValidation } from '../http/validate-fields.ts';
import { errorResponses, KEY_SECURITY } from '../openapi/components.ts';
import { TAGS } from '../openapi/tags.ts';
import type { JsonSchemaObject, UploadDecl, UploadedFile } from '../plugin/types.ts';
import '../http/request-types.ts';

const UPLOADS: readonly UploadDecl[] = [{ name: 'audio', class: 'content', required: true, description: 'Audio file (WAV, MP3, FLAC, Ogg Vorbis/Opus)' }];

const common = {
  width: { type: 'integer', minimum: IMAGE_LIMITS.minSide, maximum: IMAGE_LIMITS.maxWidth, default: 1000, description: 'Image width, pixels.' },
  format: { type: 'string', enum: ['png', 'webp'], default: 'png', description: 'Image format (or send Accept: image/webp).' },
  colormap: { type: 'string', enum: COLORMAP_NAMES, default: 'magma', description: 'Perceptual colour map.' },
} as const;

const SPECTROGRAM_FIELDS: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...common,
    height: { type: 'integer', minimum: IMAGE_LIMITS.minSide, maximum: IMAGE_LIMITS.maxHeight, default: 320, description: 'Image height, pixels.' },
    scale: { type: 'string', enum: ['mel', 'linear'], default: 'mel', description: 'Frequency axis.' },
    dynamic_range_db: { type: 'number', minimum: 20, maximum: 150, default: 80, description: 'Levels shown below the loudest, dB.' },
  },
};

const WAVEFORM_FIELDS: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...common,
    height: { type: 'integer', minimum: IMAGE_LIMITS.minSide, maximum: IMAGE_LIMITS.maxHeight, default: 200, description: 'Image height, pixels.' },
  },
};

interface ToolRoute {
  readonly path: string;
  readonly summary: string;
  readonly fields: JsonSchemaObject;
  render(audio: Float32Array, sampleRate: number, fields: Record<string, unknown>, format: 'png' | 'webp'): ReturnType<AudioToolkit['renderSpectrogram']>;
}

function imageFormat(req: Request, field: unknown): 'png' | 'webp' {
  if (field === 'png' || field === 'webp') return field;
  return req.get('accept')?.includes('image/webp') ? 'webp' : 'png';
}

export function makeAudioToolsSurface(deps: { guards: Guards; bodyReader: ReturnType<typeof makeBodyReader>; audio: AudioToolkit }): Surface {
  const routes: ToolRoute[] = [
    {
      path: '/audio/spectrogram',
      summary: 'Render a spectrogram of an audio file as PNG or WebP',
      fields: SPECTROGRAM_FIELDS,
      render: (audio, sampleRate, f, format) =>
        deps.audio.renderSpectrogram(audio, sampleRate, {
          width: f.width as number, height: f.height as number, format, scale: f.scale as 'mel' | 'linear',
          colormap: f.colormap as (typeof COLORMAP_NAMES)[number], dynamicRangeDb: f.dynamic_range_db as number,
        }),
    },
    {
      path: '/audio/waveform',
      summary: 'Render a waveform overview of an audio file as PNG or WebP',
      fields: WAVEFORM_FIELDS,
      render: (audio, _rate, f, format) =>
        deps.audio.renderWaveform(audio, { width: f.width as number, height: f.height as number, format, colormap: f.colormap as (typeof COLORMAP_NAMES)[number] }),
    },
  ];

  return {
    name: 'audio-tools',
    mount(app) {
      const router = express.Router();
      for (const route of routes) {
        const chain: RequestHandler[] = [
          deps.guards.authenticate(),
          deps.guards.rateLimit(`POST ${route.path}`),
          deps.bodyReader({ method: 'POST', uploads: UPLOADS }),
          makeUploadChecks(UPLOADS),
          makeFieldValidation({ fields: route.fields }),
        ];
        router.post(route.path, ...chain, async function renderPicture(req, res) {
          const file = req.files!.audio as UploadedFile;
          const controller = new AbortController();
          res.once('close', () => controller.abort(new Error('client went away')));
          const pcm = await deps.audio.decode(file, { mono: true, signal: controller.signal, consume: true });
          const fields = req.fields ?? {};
          const image = await route.render(pcm.channels[0]!, pcm.sampleRate, fields, imageFormat(req, fields.format));
          res.setHeader('Cache-Control', 'no-store');
          res.status(200).type(image.contentType).end(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength));
        });
      }
      app.use('/api', router);
    },
    openapi: {
      paths: Object.fromEntries(
        routes.map((route) => [
          `/api${route.path}`,
          {
            post: {
              tags: [TAGS.audio.name],
              security: KEY_SECURITY,
              summary: route.summary,
              operationId: route.path === '/audio/spectrogram' ? 'renderSpectrogram' : 'renderWaveform',
              requestBody: {
                required: true,
                content: {
                  'multipart/form-data': {
                    schema: {
                      type: 'object',
                      required: ['audio'],
                      properties: { audio: { type: 'string', format: 'binary', description: UPLOADS[0]!.description }, ...route.fields.properties },
                    },
                  },
                },
              },
              responses: {
                '200': {
                  description: 'The picture.',
                  content: { 'image/png': { schema: { type: 'string', format: 'binary' } }, 'image/webp': { schema: { type: 'string', format: 'binary' } } },
                },
                ...errorResponses(true),
              },
            },
          },
        ]),
      ),
    },
  };
}
