// `npm run keys -- <command>`: manage the hub's API keys in its database (HUB_DATA_DIR,
// HUB_CONFIG as for the hub; safe while the hub runs). A created key is printed once.
//
//   create --name NAME [--role user|admin] [--expires 30d|2027-01-01] [--per-minute N] [--per-hour N] [--json]
//   list [--json]
//   revoke ID
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/load-config.ts';
import { usePrivateUmask } from '../core/store/private-files.ts';
import { isHubError } from '../core/errors.ts';
import { makeKeyStore, type KeyRecord } from '../core/security/key-store.ts';
import { checkedNewKey } from '../core/security/key-input.ts';
import { keyView } from '../core/security/keys-surface.ts';
import { openDatabase } from '../core/store/database.ts';

const USAGE = `usage: npm run keys -- <command>
  create --name NAME [--role user|admin] [--expires 30d|12h|2027-01-01] [--per-minute N] [--per-hour N] [--json]
  list [--json]
  revoke ID`;

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a positive integer, got '${text}'`);
  return Number(text);
}

class UsageError extends Error {}

function status(record: KeyRecord, now: string): string {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt && record.expiresAt <= now) return 'expired';
  return 'active';
}

function table(records: readonly KeyRecord[]): string {
  const now = new Date().toISOString();
  const rows = records.map((r) => [
    r.id,
    r.name,
    r.role,
    status(r, now),
    r.createdAt.slice(0, 19).replace('T', ' '),
    r.lastUsedAt?.slice(0, 19).replace('T', ' ') ?? 'never',
    r.expiresAt?.slice(0, 19).replace('T', ' ') ?? 'never',
    `${r.limits.perMinute ?? '-'}/min ${r.limits.perHour ?? '-'}/h`,
  ]);
  const header = ['ID', 'NAME', 'ROLE', 'STATUS', 'CREATED (UTC)', 'LAST USED', 'EXPIRES', 'LIMITS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      'per-minute': { type: 'string' },
      'per-hour': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const config = loadConfig();
  usePrivateUmask(); // the data folder is private, whoever writes to it
  const db = openDatabase({ config });
  try {
    const keys = makeKeyStore({ db });
    switch (command) {
      case 'create': {
        if (!values.name) throw new UsageError('create needs --name');
        const input = checkedNewKey({ name: values.name, role: values.role, expires: values.expires, perMinute: integer('per-minute', values['per-minute']), perHour: integer('per-hour', values['per-hour']) });
        const { record, key } = keys.create(input);
        if (values.json) {
          process.stdout.write(JSON.stringify({ ...keyView(record), key }) + '\n');
        } else {
          process.stdout.write(
            `Created ${record.role} key '${record.name}' (id ${record.id}) in ${config.dataDir}.\n` +
              `Store it now; the hub keeps only its hash and cannot show it again:\n\n  ${key}\n\n` +
              `Use it as:  X-API-Key: ${key}\n`,
          );
        }
        return 0;
      }
      case 'list': {
        const records = keys.list();
        if (values.json) process.stdout.write(JSON.stringify(records.map(keyView)) + '\n');
        else process.stdout.write(records.length ? table(records) + '\n' : `no API keys in ${config.dataDir} yet; create one with: npm run keys -- create --name NAME\n`);
        return 0;
      }
      case 'revoke': {
        const id = positionals[0];
        if (!id) throw new UsageError('revoke needs the key id (see: npm run keys -- list)');
        const record = keys.get(id);
        if (!record) {
          process.stderr.write(`no API key has id '${id}'\n`);
          return 1;
        }
        keys.revoke(id);
        process.stdout.write(record.revokedAt ? `key ${id} ('${record.name}') was already revoked\n` : `revoked key ${id} ('${record.name}')\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } finally {
    db.close();
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (isHubError(error)) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
