// Builds conformance requests from a route's own declaration: a valid form from its
// example values and generated audio, and invalid variants that break one rule each.
import type { RouteDecl } from '../../core/plugin/types.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';
import { wavBlobFor } from '../support/test-hub.ts';

type Schema = { type?: string | string[]; enum?: unknown[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number };

export function validForm(plugin: LoadedPlugin, route: RouteDecl): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(route.example ?? {})) form.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  for (const upload of route.uploads ?? []) {
    if (!upload.required && !(route.example && upload.name in route.example)) continue;
    if (upload.accept === 'npy') continue; // npy-only inputs are covered by the plugin's own tests
    form.set(upload.name, wavBlobFor({ seconds: 1, sampleRate: plugin.decl.sampleRate, frequency: 220 }), `${upload.name}.wav`);
  }
  return form;
}

export interface InvalidCase {
  readonly what: string;
  readonly body: FormData | undefined;
  readonly query: string;
  readonly status: number;
  readonly detail: RegExp;
}

function withField(plugin: LoadedPlugin, route: RouteDecl, name: string, value: string): FormData {
  const form = validForm(plugin, route);
  form.set(name, value);
  return form;
}

/** One broken value per constrained field, a missing required field, a missing upload, a non-audio upload. */
export function invalidCases(plugin: LoadedPlugin, route: RouteDecl): InvalidCase[] {
  const cases: InvalidCase[] = [];
  const isGet = route.method === 'GET';
  const send = (name: string, value: string) =>
    isGet ? { body: undefined, query: `?${new URLSearchParams({ ...(route.example as Record<string, string>), [name]: value })}` } : { body: withField(plugin, route, name, value), query: '' };
  for (const [name, raw] of Object.entries(route.fields.properties)) {
    const schema = raw as Schema;
    const types = [schema.type ?? []].flat();
    // Out of the declared range or choices: 422; not even of the field's type: 400.
    let bad: string | undefined;
    let status = 422;
    const numeric = types.includes('integer') || types.includes('number');
    if (schema.enum) bad = numeric ? String(Math.max(...(schema.enum as number[])) + 1) : 'not-one-of-the-allowed-values';
    else if (numeric) {
      if (schema.maximum !== undefined) bad = String(schema.maximum * 10 + 1e6);
      else [bad, status] = ['not-a-number', 400];
    } else if (types.includes('string') && schema.maxLength !== undefined) bad = 'x'.repeat(schema.maxLength + 1);
    if (bad !== undefined) cases.push({ what: `an invalid '${name}'`, ...send(name, bad), status, detail: new RegExp(`^${name}`) });
  }
  for (const name of route.fields.required ?? []) {
    if (isGet) continue;
    const form = validForm(plugin, route);
    form.delete(name);
    cases.push({ what: `a missing '${name}'`, body: form, query: '', status: 400, detail: new RegExp(`^${name}: is required`) });
  }
  if (!isGet) cases.push({ what: 'an unknown field', body: withField(plugin, route, 'no_such_field_xyz', '1'), query: '', status: 400, detail: /^no_such_field_xyz/ });
  for (const upload of route.uploads ?? []) {
    if (upload.required) {
      const form = validForm(plugin, route);
      form.delete(upload.name);
      cases.push({ what: `a missing upload '${upload.name}'`, body: form, query: '', status: 400, detail: new RegExp(`^${upload.name}`) });
    }
    const notAudio = validForm(plugin, route);
    notAudio.set(upload.name, new Blob(['this is plain text, not audio'], { type: 'audio/wav' }), 'fake.wav');
    cases.push({ what: `a text file posing as '${upload.name}'`, body: notAudio, query: '', status: 415, detail: new RegExp(`^${upload.name}`) });
  }
  return cases;
}
