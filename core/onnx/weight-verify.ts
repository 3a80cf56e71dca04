// A full check of a plugin's weight folder for `npm run weights -- verify`: every file with a
// registry sha256 is hashed again (stamps ignored), and every graph is opened and compared
// with its contract. Sessions open on the calling thread: this is for the CLI, not the hub.
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { compareContract } from './contract-check.ts';
import type { WeightInspector } from './providers.ts';
import { sha256Of } from './weight-pull.ts';
import { signatureOf } from './weight-markers.ts';

export interface VerifyReport {
  readonly plugin: string;
  readonly state: string;
  readonly problems: readonly string[];
}

export async function verifyPlugin(weights: WeightInspector, plugin: LoadedPlugin): Promise<VerifyReport> {
  const name = plugin.decl.name;
  const state = weights.state(plugin);
  if (plugin.decl.weightFree) return { plugin: name, state, problems: [] };
  const dir = weights.dir(plugin);
  // Smoke graphs stand in for the graph files only; other files are the real install's business.
  const graphFiles = new Set(Object.values(plugin.decl.graphs ?? {}).map((g) => g.file));
  const missing = weights.missingFiles(plugin).filter((file) => state !== 'smoke' || graphFiles.has(file));
  const problems: string[] = missing.map((file) => `missing ${file}`);
  const verified: { path: string; sha256: string }[] = [];
  for (const file of weights.files(plugin)) {
    if (!file.sha256 || !signatureOf(join(dir, file.path)) || state === 'smoke') continue;
    const found = await sha256Of(join(dir, file.path));
    if (found === file.sha256) verified.push({ path: file.path, sha256: found });
    else problems.push(`${file.path}: sha256 ${found}, the registry says ${file.sha256}`);
  }
  for (const [graph, contract] of Object.entries(plugin.decl.graphs ?? {})) {
    const path = join(dir, contract.file);
    if (!signatureOf(path)) continue;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path);
    } catch (error) {
      problems.push(`graph '${graph}': ${contract.file} is not a loadable ONNX model (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    problems.push(...compareContract(contract, session.inputMetadata, session.outputMetadata).map((p) => `graph '${graph}': ${p}`));
    await session.release();
  }
  if (verified.length) weights.markVerified(plugin, verified);
  if (problems.length === 0) weights.clearFailure(plugin);
  return { plugin: name, state: weights.state(plugin), problems };
}
