import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHubError } from '../../core/errors.ts';
import { readNpyFloat32, writeNpyFloat32 } from './npy.ts';

/** A .npy file with a hand-written header, as numpy would lay it out (version 1.0). */
function npyWith(header: string, payload: Uint8Array = new Uint8Array(), version = 1): Uint8Array {
  const text = header + '\n';
  const lengthBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + text.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[8 + lengthBytes + i] = text.charCodeAt(i);
  out.set(payload, 8 + lengthBytes + text.length);
  return out;
}

const floats = (...values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

function refusal(bytes: Uint8Array): string {
  try {
    readNpyFloat32(bytes, 'audio');
  } catch (error) {
    assert.ok(isHubError(error), `expected a catalogue error, got ${error}`);
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('the file was accepted');
}

describe('reading .npy mel files', () => {
  it('reads what it writes, shape and values', () => {
    const data = Float32Array.from({ length: 80 * 3 }, (_, i) => i / 7 - 5);
    const array = readNpyFloat32(writeNpyFloat32(data, [1, 80, 3]), 'audio');
    assert.deepEqual(array.shape, [1, 80, 3]);
    assert.deepEqual([...array.data], [...data]);
  });

  it('starts the data of written files on a 64-byte boundary, as numpy does', () => {
    const bytes = writeNpyFloat32(new Float32Array(6), [2, 3]);
    assert.equal((bytes.length - 24) % 64, 0);
  });

  it('reads the header layout numpy writes, with double quotes and version 2.0 too', () => {
    assert.deepEqual(readNpyFloat32(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", floats(1, 2)), 'audio').shape, [2]);
    assert.deepEqual([...readNpyFloat32(npyWith('{"shape": (1, 2), "descr": "<f4", "fortran_order": False}', floats(3, 4), 2), 'audio').data], [3, 4]);
  });

  it('refuses a file without the numpy magic', () => {
    assert.match(refusal(new TextEncoder().encode('RIFF....WAVEfmt ')), /^audio: not a valid \.npy file: .*magic/);
  });

  it('names the expected and the found dtype', () => {
    const message = refusal(npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)));
    assert.match(message, /must be float32 little-endian \('<f4'\); found '<f8' \(float64\)/);
    assert.match(refusal(npyWith("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4))), /found '>f4' \(big-endian float32\)/);
  });

  it('refuses Fortran-ordered arrays', () => {
    assert.match(refusal(npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", floats(1))), /must be C-ordered; found fortran_order True/);
  });

  it('refuses a shape the data does not fill, without allocating for the claim', () => {
    const message = refusal(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000, 100000), }", floats(1)));
    assert.match(message, /needs \d+ bytes of data but the file holds 4/);
    assert.match(refusal(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", floats(1, 2, 3))), /needs 16 bytes of data but the file holds 12/);
  });

  it('refuses headers that are not the plain dict literal (no evaluation)', () => {
    assert.match(refusal(npyWith("{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,), }")), /expected a quoted string/);
    assert.match(refusal(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")), /non-negative integers/);
    assert.match(refusal(npyWith("{'descr': '<f4', 'shape': (1,), }", floats(1))), /must give 'descr', 'fortran_order' and 'shape'/);
    assert.match(refusal(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", floats(1))), /unexpected key 'x'/);
  });

  it('refuses a header longer than the file or than numpy allows', () => {
    const truncated = npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }").subarray(0, 20);
    assert.match(refusal(truncated), /the file ends first/);
    const huge = new Uint8Array(12);
    huge.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(huge.buffer).setUint32(8, 0xffffffff, true);
    assert.match(refusal(huge), /longer than 10000/);
  });
});
