// Reads a NumPy `.npy` file holding a float32 mel spectrogram without evaluating anything:
// the header is a Python dict literal, parsed here by a tiny grammar that accepts only the
// three keys the format defines. Format: numpy.lib.format (NEP 1), versions 1.0–3.0.
import { errors } from '../../core/errors.ts';

export interface NpyArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy itself refuses headers above 10 000 bytes unless told otherwise. */
const MAX_HEADER_BYTES = 10_000;
const MAX_RANK = 8;

const DTYPE_NAMES: Record<string, string> = {
  f2: 'float16', f4: 'float32', f8: 'float64', i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64', b1: 'bool', c8: 'complex64', c16: 'complex128',
};

function describeDtype(descr: string): string {
  const order = descr[0] === '>' ? 'big-endian ' : '';
  const name = DTYPE_NAMES[descr.replace(/^[<>=|]/, '')];
  return name ? `'${descr}' (${order}${name})` : `'${descr}'`;
}

/** The header dict: `{'descr': '<f4', 'fortran_order': False, 'shape': (80, 120), }`. */
interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
}

function parseHeader(text: string, field: string): NpyHeader {
  const bad = (why: string) => errors.invalidField(field, `not a valid .npy file: ${why}`);
  let at = 0;
  const skip = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const expect = (char: string) => {
    skip();
    if (text[at] !== char) throw bad(`header expected '${char}' at character ${at}`);
    at++;
  };
  const string = (): string => {
    skip();
    const quote = text[at];
    if (quote !== "'" && quote !== '"') throw bad(`header expected a quoted string at character ${at}`);
    const end = text.indexOf(quote, at + 1);
    if (end < 0) throw bad('header has an unterminated string');
    const value = text.slice(at + 1, end);
    at = end + 1;
    return value;
  };
  const boolean = (): boolean => {
    skip();
    for (const [word, value] of [['True', true], ['False', false]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    throw bad(`header expected True or False at character ${at}`);
  };
  const tuple = (): number[] => {
    expect('(');
    const dims: number[] = [];
    for (;;) {
      skip();
      if (text[at] === ')') break;
      const match = /^\d{1,15}/.exec(text.slice(at));
      if (!match) throw bad(`shape must be a tuple of non-negative integers (at character ${at})`);
      dims.push(Number(match[0]));
      at += match[0].length;
      skip();
      if (text[at] === ',') at++;
      else if (text[at] !== ')') throw bad(`shape expected ',' or ')' at character ${at}`);
    }
    at++;
    if (dims.length > MAX_RANK) throw bad(`shape has ${dims.length} dimensions`);
    return dims;
  };

  const found: { descr?: string; fortranOrder?: boolean; shape?: number[] } = {};
  expect('{');
  for (;;) {
    skip();
    if (text[at] === '}') break;
    const key = string();
    expect(':');
    if (key === 'descr') found.descr = string();
    else if (key === 'fortran_order') found.fortranOrder = boolean();
    else if (key === 'shape') found.shape = tuple();
    else throw bad(`header has an unexpected key '${key}'`);
    skip();
    if (text[at] === ',') at++;
    else if (text[at] !== '}') throw bad(`header expected ',' or '}' at character ${at}`);
  }
  at++;
  skip();
  if (at !== text.length) throw bad('header has text after its closing brace');
  if (found.descr === undefined || found.fortranOrder === undefined || found.shape === undefined) {
    throw bad("header must give 'descr', 'fortran_order' and 'shape'");
  }
  return { descr: found.descr, fortranOrder: found.fortranOrder, shape: found.shape };
}

/**
 * Parses a float32 little-endian, C-ordered array. Every refusal is a 400 naming the field
 * and saying what was expected and what was found; no input makes it allocate more than
 * the file's own size.
 */
export function readNpyFloat32(bytes: Uint8Array, field: string): NpyArray {
  const bad = (why: string) => errors.invalidField(field, `not a valid .npy file: ${why}`);
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw bad('it does not start with the \\x93NUMPY magic');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`format version ${major}.${bytes[7]} is not one of 1.0, 2.0, 3.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw bad('the file ends inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (headerLength > MAX_HEADER_BYTES) throw bad(`header of ${headerLength} bytes is longer than ${MAX_HEADER_BYTES}`);
  if (dataStart > bytes.length) throw bad(`header claims ${headerLength} bytes but the file ends first`);
  const raw = bytes.subarray(8 + lengthBytes, dataStart);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(raw);
  const header = parseHeader(text, field);

  if (header.descr !== '<f4' && header.descr !== '=f4') {
    throw errors.invalidField(field, `.npy dtype must be float32 little-endian ('<f4'); found ${describeDtype(header.descr)}`);
  }
  if (header.fortranOrder) throw errors.invalidField(field, `.npy array must be C-ordered; found fortran_order True (save it with np.ascontiguousarray)`);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - dataStart;
  if (!Number.isSafeInteger(count * 4) || count * 4 !== available) {
    throw bad(`shape (${header.shape.join(', ')}) needs ${count * 4} bytes of data but the file holds ${available}`);
  }
  // Copy: the upload's buffer offset need not be 4-byte aligned, and the caller owns the result.
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + 4 * i, true);
  return { shape: header.shape, data };
}

/** Writes a float32 C-ordered .npy (version 1.0): for tests and for clients' round trips. */
export function writeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad so the data starts on a 64-byte boundary, ending the header with a newline.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  for (let i = 0; i < data.length; i++) view.setFloat32(start + 4 * i, data[i]!, true);
  return out;
}
