#!/usr/bin/env node
// The `hub` command (package.json "bin"; `npx hub ...`). The CLI is TypeScript; tsx's loader
// runs it in this same process, so signals sent to this pid reach `hub start` directly.
import { register } from 'tsx/esm/api';

register();
await import('../cli/hub.ts');
