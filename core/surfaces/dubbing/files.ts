// The dubbing surface's files under <dataDir>/dubbing: one private folder per dub or voice,
// named by the id the hub made (never by anything a client sent). Stems are raw float32
// channels (`<name>.<channel>.f32`): read back exactly, with no codec between the steps.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir } from '../../store/private-files.ts';

export function makeDubbingFiles(root: string) {
  ensurePrivateDir(root);
  const folder = async (relative: string) => {
    const path = join(root, relative);
    await mkdir(path, { recursive: true, mode: 0o700 });
    return path;
  };
  return {
    root,
    folder,
    path: (relative: string, name: string) => join(root, relative, name),
    async writeChannels(relative: string, name: string, channels: readonly Float32Array[]) {
      const dir = await folder(relative);
      for (const [i, channel] of channels.entries()) await writeFile(join(dir, `${name}.${i}.f32`), new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength), { mode: 0o600 });
    },
    async readChannels(relative: string, name: string, count: number): Promise<Float32Array[]> {
      const out: Float32Array[] = [];
      for (let i = 0; i < count; i++) {
        const bytes = await readFile(join(root, relative, `${name}.${i}.f32`));
        out.push(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
      }
      return out;
    },
    async write(relative: string, name: string, bytes: Uint8Array) {
      await writeFile(join(await folder(relative), name), bytes, { mode: 0o600 });
    },
    remove: (relative: string) => rm(join(root, relative), { recursive: true, force: true }),
  };
}

export type DubbingFiles = ReturnType<typeof makeDubbingFiles>;
