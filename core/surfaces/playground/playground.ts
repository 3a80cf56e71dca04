// GET /playground: a static page for people who want to hear a model without writing a
// client (playground.js says what it does). Its own CSP allows only the hub's origin:
// scripts and styles from these files, fetches and the progress WebSocket to the hub
// ('self' covers ws: to the same host), and blob: for the audio and pictures the page makes
// from answers it fetched itself.
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { Surface } from '../../http/surface.ts';

export const PLAYGROUND_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob:; media-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const FILES: Readonly<Record<string, string>> = {
  '/playground': 'index.html',
  '/playground/': 'index.html',
  '/playground/playground.js': 'playground.js',
  '/playground/playground.css': 'playground.css',
  '/playground/icon.svg': 'icon.svg',
};

const TYPES: Readonly<Record<string, string>> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };

export function makePlaygroundSurface(): Surface {
  const bodies = new Map(Object.entries(FILES).map(([path, file]) => [path, { body: readFileSync(new URL(file, import.meta.url)), type: TYPES[file.split('.').pop()!]! }]));
  const serve: RequestHandler = function playground(req, res) {
    const file = bodies.get(req.path)!;
    res.setHeader('Content-Security-Policy', PLAYGROUND_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type(file.type).send(file.body);
  };
  return {
    name: 'playground',
    mount(app) {
      for (const path of bodies.keys()) app.get(path, serve);
    },
  };
}
