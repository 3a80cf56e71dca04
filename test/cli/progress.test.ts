// Download progress: a cli-progress bar with bytes and ETA on a terminal, plain lines
// (no control codes) anywhere else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downloadProgress } from '../../cli/progress.ts';

/** A stream that records what is written, as a terminal or as a pipe. */
function capture(isTTY: boolean) {
  const written: string[] = [];
  const stream = {
    isTTY,
    columns: 160,
    write: (text: string) => written.push(text) > 0,
    cursorTo: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => written.join('') };
}

const ticks = [
  { file: 'generator.onnx', bytes: 0, total: 4 * 2 ** 20, phase: 'downloading' as const },
  { file: 'generator.onnx', bytes: 2 * 2 ** 20, total: 4 * 2 ** 20, phase: 'downloading' as const },
  { file: 'generator.onnx', bytes: 3 * 2 ** 20, total: 4 * 2 ** 20, phase: 'verifying' as const },
  { file: 'config.json', bytes: 4 * 2 ** 20, total: 4 * 2 ** 20, phase: 'verifying' as const },
];

describe('download progress', () => {
  it('draws a bar with percentage, bytes and ETA on a terminal', () => {
    const out = capture(true);
    const progress = downloadProgress('hifigan', out.stream);
    for (const tick of ticks) progress.tick(tick);
    progress.stop();
    const text = out.text();
    assert.match(text, /hifigan \[[█░]+\] 100% \| 4\.0 MiB of 4\.0 MiB \| ETA \d+s \| verifying config\.json/);
    assert.match(text, /\] 0% \| 0\.0 KiB of 4\.0 MiB \| ETA \d+s \| generator\.onnx/); // later frames are throttled to its frame rate
  });

  it('writes one plain line per finished file elsewhere', () => {
    const out = capture(false);
    const progress = downloadProgress('hifigan', out.stream);
    for (const tick of ticks) progress.tick(tick);
    progress.stop();
    assert.equal(out.text(), 'hifigan: generator.onnx fetched (3.0 MiB so far)\nhifigan: config.json fetched (4.0 MiB so far)\n');
  });
});
