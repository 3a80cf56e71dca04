// Starts an audio worker thread. Node 20 does not apply `--import tsx` from a Worker's
// execArgv before it loads the entry module (ERR_UNKNOWN_FILE_EXTENSION for .ts), so this
// plain-JS entry registers tsx's loader in the thread first, then imports the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
