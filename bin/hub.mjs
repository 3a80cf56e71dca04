#!/usr/bin/env -S node --initial-old-space-size=128
// The `hub` command (package.json "bin"; `npx hub ...`). The CLI is TypeScript; tsx's loader
// runs it in this same process, so signals sent to this pid reach `hub start` directly.
// --initial-old-space-size: see docs/operations.md "Garbage collection headroom" (the same
// flag as `npm start`; test/install/launch-flags.test.ts keeps them equal).
import { register } from 'tsx/esm/api';

register();
await import('../cli/hub.ts');
