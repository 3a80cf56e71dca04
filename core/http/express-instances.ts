// The request and response classes the hub's HTTP server makes: node's own, with express's
// prototypes from the start. Express gives every request and response it handles its
// prototype (Object.setPrototypeOf in app.handle), which does nothing to an object that
// already has it. Changed on each new object, it made V8 keep them and what they point to
// through garbage collections: a minimal express app kept ~4 MB alive through every
// scavenge (2.5-3.9 ms pauses) where node alone kept 3 KB (0.3 ms); made this way, the same
// app keeps 3 KB (0.5 ms) and answers twice the requests (--trace-gc-nvp, 16 connections).
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

export interface InstanceClasses {
  readonly IncomingMessage?: typeof IncomingMessage;
  readonly ServerResponse?: typeof ServerResponse;
}

type Construct = (this: object, ...args: unknown[]) => void;

/** A constructor running node's `base` on a new object whose prototype is `prototype`. */
function bornWith(base: Construct, prototype: object): Construct {
  // Node's own (a plain function in node 20, called on `this`); Reflect.construct would
  // work on a class too, but its objects were the slow, long-lived kind again.
  function Instance(this: object, ...args: unknown[]) {
    base.apply(this, args);
  }
  Instance.prototype = prototype;
  return Instance;
}

const isClass = (f: unknown) => /^class\b/.test(Function.prototype.toString.call(f));

/** Options for http.createServer whose requests and responses are born with `app`'s prototypes (none where node's are classes). */
export function expressInstanceClasses(app: Express): InstanceClasses {
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return {};
  return {
    IncomingMessage: bornWith(IncomingMessage as unknown as Construct, app.request) as unknown as typeof IncomingMessage,
    ServerResponse: bornWith(ServerResponse as unknown as Construct, app.response) as unknown as typeof ServerResponse,
  };
}
