import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { PluginDeclarationError } from '../../core/plugin/validate-plugin.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const fixture = (name: string) => ({ name, source: join(ROOT, 'test/fixtures/plugins', name), enabled: true });

async function bootWith(entries: object[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-'));
  const path = join(dir, 'plugins.json');
  await writeFile(path, JSON.stringify({ plugins: entries }));
  try {
    await loadPlugins(path, ROOT);
  } catch (error) {
    assert.ok(error instanceof PluginDeclarationError, `expected a PluginDeclarationError, got ${error}`);
    return [...error.problems];
  }
  return [];
}

describe('a broken plugin declaration stops the boot', () => {
  it('names plugin, route and field of an invalid field schema', async () => {
    const problems = await bootWith([fixture('bad-schema')]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^plugin 'bad-schema': route POST \/vc\/bad: body: .*minimum must be number/);
  });

  it('names the unknown upload class and lists the known ones', async () => {
    const [problem] = await bootWith([fixture('bad-upload-class')]);
    assert.match(problem!, /plugin 'bad-upload-class': route POST \/vc\/bad-upload: uploads\[0\]\.class: must be equal to one of the allowed values \(content, reference\)/);
  });

  it('refuses two plugins that declare the same route', async () => {
    const problems = await bootWith([fixture('clash-a'), fixture('clash-b')]);
    assert.deepEqual(problems, ["plugin 'clash-b': route POST /tts/same: duplicate route, already declared by plugin 'clash-a'"]);
  });

  it('refuses a registry entry whose plugin declares another name', async () => {
    const problems = await bootWith([{ ...fixture('clash-a'), name: 'renamed' }]);
    assert.match(problems[0]!, /plugin 'renamed': declares name 'clash-a'/);
  });

  it('refuses two entries that load the same plugin name', async () => {
    const problems = await bootWith([fixture('clash-a'), { ...fixture('clash-a') }]);
    assert.ok(problems.some((p) => p.includes("name clash")), problems.join('\n'));
  });

  it('refuses a plugin that needs weights but declares no graphs', async () => {
    const [problem] = await bootWith([fixture('no-graphs')]);
    assert.match(problem!, /plugin 'no-graphs': declares no graphs/);
  });

  it('refuses a source folder that does not exist', async () => {
    const [problem] = await bootWith([{ name: 'ghost', source: 'plugins/ghost', enabled: true }]);
    assert.match(problem!, /source 'plugins\/ghost' is not a plugin folder/);
  });

  it('skips disabled entries without importing them', async () => {
    assert.deepEqual(await bootWith([{ name: 'ghost', source: 'plugins/ghost', enabled: false }]), []);
  });
});
