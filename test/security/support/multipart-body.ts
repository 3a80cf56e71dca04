// Builds multipart/form-data bodies byte by byte, so tests can send what FormData cannot:
// lying part headers, duplicate fields, non-UTF-8 values, path-like file names.
export interface Part {
  readonly name: string;
  readonly data: string | Uint8Array;
  readonly filename?: string;
  readonly type?: string;
  /** Extra raw header lines for the part. */
  readonly headers?: readonly string[];
}

export const BOUNDARY = 'hubtestboundary7MA4YWxkTrZu0gW';

export function multipartBody(parts: readonly Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const lines = [`--${boundary}`, `Content-Disposition: ${disposition}`];
    if (part.type) lines.push(`Content-Type: ${part.type}`);
    lines.push(...(part.headers ?? []));
    chunks.push(Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export const multipartType = (boundary = BOUNDARY) => `multipart/form-data; boundary=${boundary}`;
