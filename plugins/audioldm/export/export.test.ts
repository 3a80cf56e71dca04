// The export recipe, rerun: shrunk random-init copies of AudioLDM's four networks (plain
// torch re-declarations of the diffusers/transformers layouts) go through export_audioldm.py,
// each graph through the plugin's contract in onnxruntime-node, and its outputs against
// torch's at shapes it was not traced at (an odd latent length for the UNet's skip sizes,
// a padded row for the text tower), within 1e-4. Then the route runs on those graphs as an
// installed plugin: contracts, export and pipeline fit together.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { startTestHub } from '../../../test/support/test-hub.ts';
import { needTorch, PYTHON, runRecipe, worstDifference } from '../../../test/support/torch.ts';
import { smokeRobertaTokenizerJson } from '../../clap-text/smoke-tokenizer.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('audioldm export recipe (python3-torch)', { timeout: 600_000 }, () => {
  it('exports shrunk random text encoder, UNet, VAE decoder and vocoder that match torch through the contracts', async (t) => {
    if (!needTorch(t)) return;
    const run = await runRecipe('plugins/audioldm/export/export_audioldm.py', ['--random', '--small', '--check']);
    for (const graph of ['text_encoder', 'unet', 'vae_decoder', 'vocoder']) assert.match(run.output, new RegExp(`ok   audioldm\\.${graph} \\(contract, run, PyTorch outputs\\)`));
    assert.ok(worstDifference(run.output) <= 1e-4);
    console.log(`# audioldm: ${run.seconds.toFixed(1)} s, max |onnx - torch| ${worstDifference(run.output).toExponential(1)}`);
  });
});

describe('audioldm route on exported graphs (python3-torch)', { timeout: 600_000 }, () => {
  it('generates through the hub from the recipe’s shrunk graphs, as real (unverified) weights', async (t) => {
    if (!needTorch(t)) return;
    const out = mkdtempSync(join(tmpdir(), 'audioldm-export-'));
    const hub = await startTestHub();
    try {
      const run = spawnSync(PYTHON, ['plugins/audioldm/export/export_audioldm.py', '--random', '--small', '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const dir = join(hub.dataDir, 'models', 'audioldm');
      mkdirSync(dir, { recursive: true });
      for (const file of readdirSync(out)) copyFileSync(join(out, file), join(dir, file));
      // the shrunk text tower has 300 ids: the smoke tokenizer's 260 fit; the scheduler as the conversion script builds it
      writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(smokeRobertaTokenizerJson()));
      writeFileSync(join(dir, 'scheduler_config.json'), JSON.stringify({ beta_start: 0.0015, beta_end: 0.0195, beta_schedule: 'scaled_linear' }));
      const form = new FormData();
      for (const [k, v] of Object.entries({ text: 'a dog barking', num_inference_steps: '10', audio_length_in_s: '1.3', seed: '4' })) form.set(k, v);
      const res = await hub.call('/api/tta/audioldm', { method: 'POST', body: form });
      assert.equal(res.status, 200, await res.clone().text());
      // real files without pinned checksums (the registry pins none for audioldm) read as unverified
      assert.equal(res.headers.get('x-weight-state'), 'unverified');
      const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
      assert.equal(wav.audioChannels[0]!.length, 20800);
      assert.ok(wav.audioChannels[0]!.every(Number.isFinite));
    } finally {
      await hub.stop();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
