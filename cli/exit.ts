// Exit codes of the `hub` command, documented in docs/operations.md:
//   0 done; 1 the operation failed (a check found problems, a download or export failed);
//   2 the command line is wrong (unknown command/option, bad value) or names something unknown;
//   3 the running hub could not be reached or refused the key.
export const EXIT = { ok: 0, failed: 1, usage: 2, hub: 3 } as const;

/** A mistake in the command line; the message says how to fix it. */
export class UsageError extends Error {}

/** The running hub is unreachable or refused the call. */
export class HubCallError extends Error {}
