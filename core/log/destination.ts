// Where log lines go: JSON lines on stderr, except a person's terminal in development,
// which gets pino-pretty. pino-pretty is a development dependency, absent from
// production installs (`npm ci --omit=dev`), so it is loaded only when wanted and found.
import type { DestinationStream } from 'pino';

export async function logDestination(env: string | undefined, stream: { readonly isTTY?: boolean; readonly fd: number } = process.stderr): Promise<DestinationStream | undefined> {
  if (env !== 'development' || !stream.isTTY) return undefined;
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({ destination: stream.fd, sync: true, translateTime: 'SYS:HH:MM:ss.l' });
  } catch {
    return undefined;
  }
}
