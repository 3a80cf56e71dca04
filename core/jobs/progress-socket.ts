// WebSocket progress at /ws/progress/{task_id}. The handshake request runs through the
// express app like any other request (request id, security headers, the same guards), so
// a missing key, a bad key or someone else's task is refused with an HTTP status before
// anything is upgraded. Only the route's last handler upgrades the socket.
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express, Request, Response } from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import { errors } from '../errors.ts';
import type { Jobs } from './jobs.ts';
import { isFinal, type ProgressEvent } from './types.ts';

const HEARTBEAT_MS = 30_000;
/** A client this far behind gets only the final message; progress is a state, not a log. */
const MAX_BUFFERED_BYTES = 1 << 20;
const WS_PATH = /^\/ws\//;

export interface ProgressSockets {
  /** The HTTP server's `upgrade` listener. */
  upgradeListener(app: Express): (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Last handler of GET /ws/progress/{task_id}: checks the task is visible, then upgrades and follows it. */
  accept(req: Request, res: Response, taskId: string): void;
  /** Closes every socket with 1001 (going away). */
  close(): void;
}

/** Upgrades elsewhere never reach the app: a body-carrying request would hang its body reader. */
function refuseElsewhere(socket: Duplex, path: string): void {
  const body = JSON.stringify({ detail: `no WebSocket endpoint at ${path}` });
  socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export function makeProgressSockets(deps: { jobs: Jobs }): ProgressSockets {
  const server = new WebSocketServer({ noServer: true, maxPayload: 1024, clientTracking: true });
  const pending = new WeakMap<IncomingMessage, { socket: Duplex; head: Buffer }>();
  const alive = new WeakSet<WebSocket>();
  let heartbeat: NodeJS.Timeout | undefined;

  const startHeartbeat = () => {
    heartbeat ??= setInterval(() => {
      for (const client of server.clients) {
        if (!alive.has(client)) {
          client.terminate();
          continue;
        }
        alive.delete(client);
        client.ping();
      }
    }, HEARTBEAT_MS).unref();
  };

  const follow = (ws: WebSocket, req: Request, taskId: string) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', () => ws.terminate());
    const send = (event: ProgressEvent) => {
      if (isFinal(event) || ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(JSON.stringify(event));
    };
    try {
      const following = deps.jobs.follow(taskId, req.principal, {
        next: send,
        end: (reason) => ws.close(reason === 'final' ? 1000 : 1001, reason === 'final' ? 'task finished' : 'hub shutting down'),
      });
      send(following.first);
      if (isFinal(following.first)) ws.close(1000, 'task finished');
      else ws.once('close', following.stop);
    } catch {
      ws.close(1008, 'task not found'); // removed between the handshake check and the upgrade
    }
    startHeartbeat();
  };

  return {
    upgradeListener(app) {
      return function onUpgrade(req, socket, head) {
        socket.on('error', () => socket.destroy());
        const path = (req.url ?? '').split('?')[0]!;
        if (req.method !== 'GET' || !WS_PATH.test(path)) return refuseElsewhere(socket, path);
        pending.set(req, { socket, head });
        // A response bound to the raw socket: a refusal from the chain is written as plain HTTP.
        const res = new ServerResponse(req);
        res.shouldKeepAlive = false;
        res.assignSocket(socket as Socket);
        res.once('finish', () => socket.end());
        (app as unknown as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
      };
    },

    accept(req, res, taskId) {
      const upgrade = pending.get(req);
      if (!upgrade) throw errors.upgradeRequired('this is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)');
      pending.delete(req);
      deps.jobs.get(taskId, req.principal); // 404 before the upgrade
      res.statusCode = 101; // for the access log; ws writes the real status line
      server.handleUpgrade(req, upgrade.socket, upgrade.head, (ws) => follow(ws, req, taskId));
    },

    close() {
      clearInterval(heartbeat);
      for (const client of server.clients) client.close(1001, 'hub shutting down');
    },
  };
}
