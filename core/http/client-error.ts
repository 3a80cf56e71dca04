// Requests Node's HTTP parser rejects before express sees them (a negative Content-Length,
// Content-Length with chunked encoding, oversized headers, a broken request line) get the
// same `{"detail": ...}` shape as every other error instead of Node's bare 400.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log/logger.ts';

const ANSWERS: Record<string, readonly [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'request headers are larger than the server accepts'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request was not received in time'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'Bad Request', 'Content-Length is not a valid non-negative integer'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'Bad Request', 'Content-Length and Transfer-Encoding: chunked were both sent'],
  HPE_INVALID_TRANSFER_ENCODING: [400, 'Bad Request', 'Transfer-Encoding is not valid'],
  HPE_INVALID_CHUNK_SIZE: [400, 'Bad Request', 'a chunk of the chunked body has an invalid size'],
  HPE_INVALID_METHOD: [400, 'Bad Request', 'the request method is not valid'],
  HPE_INVALID_HEADER_TOKEN: [400, 'Bad Request', 'a request header has an invalid name or value'],
};

/**
 * `logger`: a request express never saw (headers that never completed) gets its own log
 * line; one it did see is logged by the access log, with the status set here.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, logger?: Pick<Logger, 'info'>): void {
  const response = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, detail] = ANSWERS[error.code ?? ''] ?? [400, 'Bad Request', `malformed HTTP request (${error.code ?? 'parse error'})`];
  // The access log reads the response's status when it closes: the real outcome, not 200.
  if (response) response.statusCode = status;
  else logger?.info('request refused by the HTTP parser', { status, code: error.code });
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
