// `hub keys create|list|revoke`: the API keys in the hub's database (HUB_DATA_DIR,
// HUB_CONFIG as for the hub; safe while the hub runs). A created key is printed once.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../core/config/load-config.ts';
import { makeKeyStore, type KeyRecord } from '../core/security/key-store.ts';
import { checkedNewKey } from '../core/security/key-input.ts';
import { keyView } from '../core/security/keys-surface.ts';
import { openDatabase } from '../core/store/database.ts';
import { usePrivateUmask } from '../core/store/private-files.ts';
import { EXIT } from './exit.ts';
import { printJson, table } from './table.ts';

function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`must be a positive integer, got '${text}'`);
  return Number(text);
}

function status(record: KeyRecord, now: string): string {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt && record.expiresAt <= now) return 'expired';
  return 'active';
}

function keyTable(records: readonly KeyRecord[]): string {
  const now = new Date().toISOString();
  const when = (iso: string | undefined | null) => iso?.slice(0, 19).replace('T', ' ') ?? 'never';
  const rows = records.map((r) => [r.id, r.name, r.role, status(r, now), when(r.createdAt), when(r.lastUsedAt), when(r.expiresAt), `${r.limits.perMinute ?? '-'}/min ${r.limits.perHour ?? '-'}/h`]);
  return table([['ID', 'NAME', 'ROLE', 'STATUS', 'CREATED (UTC)', 'LAST USED', 'EXPIRES', 'LIMITS'], ...rows]);
}

/** Opens the key store of the configured data folder for one command. */
function withKeys<T>(work: (keys: ReturnType<typeof makeKeyStore>, dataDir: string) => T): T {
  const config = loadConfig();
  usePrivateUmask(); // the data folder is private, whoever writes to it
  const db = openDatabase({ config });
  try {
    return work(makeKeyStore({ db }), config.dataDir);
  } finally {
    db.close();
  }
}

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys in the hub database (safe while the hub runs)');

  keys
    .command('create')
    .description('create a key and print it once (the hub keeps only its hash)')
    .requiredOption('--name <name>', 'who or what the key is for')
    .option('--role <role>', 'user or admin', 'user')
    .option('--expires <when>', 'lifetime (30d, 12h) or a date (2027-01-01)')
    .option('--per-minute <n>', 'requests per minute per route', positiveInteger)
    .option('--per-hour <n>', 'requests per hour', positiveInteger)
    .option('--json', 'print the key and its record as JSON')
    .action((o: { name: string; role: string; expires?: string; perMinute?: number; perHour?: number; json?: boolean }) =>
      withKeys((store, dataDir) => {
        const { record, key } = store.create(checkedNewKey({ name: o.name, role: o.role, expires: o.expires, perMinute: o.perMinute, perHour: o.perHour }));
        if (o.json) process.stdout.write(JSON.stringify({ ...keyView(record), key }) + '\n');
        else
          process.stdout.write(
            `Created ${record.role} key '${record.name}' (id ${record.id}) in ${dataDir}.\n` +
              `Store it now; the hub keeps only its hash and cannot show it again:\n\n  ${key}\n\n` +
              `Use it as:  X-API-Key: ${key}\n`,
          );
      }),
    );

  keys
    .command('list')
    .description('every key with role, status, last use and limits (never the keys)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withKeys((store, dataDir) => {
        const records = store.list();
        if (o.json) printJson(records.map(keyView));
        else process.stdout.write(records.length ? keyTable(records) + '\n' : `no API keys in ${dataDir} yet; create one with: hub keys create --name NAME\n`);
      }),
    );

  keys
    .command('revoke')
    .description('revoke a key at once (the running hub refuses it from the next request)')
    .argument('<id>', 'the key id (see: hub keys list)')
    .action((id: string) =>
      withKeys((store) => {
        const record = store.get(id);
        if (!record) {
          process.stderr.write(`no API key has id '${id}' (see: hub keys list)\n`);
          process.exitCode = EXIT.failed;
          return;
        }
        store.revoke(id);
        process.stdout.write(record.revokedAt ? `key ${id} ('${record.name}') was already revoked\n` : `revoked key ${id} ('${record.name}')\n`);
      }),
    );
}
