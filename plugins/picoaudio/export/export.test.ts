// The export recipe, rerun: shrunk random-init copies of PicoAudio's CLAP text branch and its
// timestamp-conditioned UNet (cross-attention, linear projections, the matrix folded in as two
// channels) go through export_picoaudio.py, each graph through the plugin's contract in
// onnxruntime-node, and its outputs against torch's at a batch it was not traced at, within
// 1e-4. Then the route runs on those graphs, decoding with AudioLDM's exported VAE and vocoder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { startTestHub } from '../../../test/support/test-hub.ts';
import { needTorch, PYTHON, worstDifference } from '../../../test/support/torch.ts';
import { smokeRobertaTokenizerJson } from '../../clap-text/smoke-tokenizer.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function recipe(script: string, args: string[]): string {
  const run = spawnSync(PYTHON, [join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PYTHONWARNINGS: 'ignore' } });
  const output = run.stdout + run.stderr;
  assert.equal(run.status, 0, output);
  return output;
}

describe('picoaudio export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports a shrunk random text encoder and UNet that match torch through the contracts, and the route runs on them', async (t) => {
    if (!needTorch(t)) return;
    const pico = mkdtempSync(join(tmpdir(), 'picoaudio-export-'));
    const ldm = mkdtempSync(join(tmpdir(), 'audioldm-export-'));
    const hub = await startTestHub();
    try {
      const output = recipe('plugins/picoaudio/export/export_picoaudio.py', ['--random', '--check', '--out', pico]);
      for (const graph of ['text_encoder', 'unet']) assert.match(output, new RegExp(`ok   picoaudio\\.${graph} \\(contract, run, PyTorch outputs\\)`));
      assert.ok(worstDifference(output) <= 1e-4);
      recipe('plugins/audioldm/export/export_audioldm.py', ['--random', '--small', '--out', ldm]);

      const install = (plugin: string, from: string) => {
        const dir = join(hub.dataDir, 'models', plugin);
        mkdirSync(dir, { recursive: true });
        for (const file of readdirSync(from)) copyFileSync(join(from, file), join(dir, file));
        writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(smokeRobertaTokenizerJson())); // 260 ids: the shrunk towers have 300
        return dir;
      };
      install('picoaudio', pico);
      writeFileSync(join(install('audioldm', ldm), 'scheduler_config.json'), '{}');
      const form = new FormData();
      form.set('text', 'dog barking at 0.5-1.5 and sneeze once');
      form.set('duration', '2');
      form.set('seed', '3');
      const res = await hub.call('/api/tta/picoaudio', { method: 'POST', body: form });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get('x-weight-state'), 'unverified');
      const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
      assert.equal(wav.audioChannels[0]!.length, 32000);
      assert.ok(wav.audioChannels[0]!.every(Number.isFinite));
    } finally {
      await hub.stop();
      rmSync(pico, { recursive: true, force: true });
      rmSync(ldm, { recursive: true, force: true });
    }
  });
});
