import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createSystemClock } from '../../contract/clock.ts';
import { ConfigError, databaseLocation, loadConfig } from '../config.ts';
import { createUserAdmin } from '../services/user-admin.ts';
import { createFileCheckpoint, loadAuditKey } from '../store/audit-key.ts';
import { openDatabase } from '../store/database.ts';
import { createStores } from '../store/stores.ts';
import { generatePassword, roles, UserError } from '../store/users.ts';

const usage = `Manage Linkdesk staff accounts (stored in $LINKDESK_DATA_DIR/linkdesk.sqlite).

  npm run user -- list
  npm run user -- add <username> --role <${roles.join('|')}> [--password-stdin]
  npm run user -- set-role <username> <${roles.join('|')}>
  npm run user -- reset-password <username> [--password-stdin]
  npm run user -- remove <username>

Without --password-stdin, you are asked for the password twice (hidden), or, when not on a
terminal, a strong one is generated and printed once. Every change is in the audit log.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
      write(text.startsWith(question) ? question : '');
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function obtainPassword(flags: Set<string>, username: string): Promise<{ password: string; generated: boolean }> {
  if (flags.has('--password-stdin')) return { password: await readStdin(), generated: false };
  if (process.stdin.isTTY) {
    const first = await askHidden('Password: ');
    const second = await askHidden('Again: ');
    if (first !== second) throw new UserError('weak_password', 'The two passwords differ.');
    return { password: first, generated: false };
  }
  return { password: generatePassword(username), generated: true };
}

async function run(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((arg) => arg.startsWith('--') && arg !== '--role'));
  const positional: string[] = [];
  let role: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--role') role = argv[++index];
    else if (!arg.startsWith('--')) positional.push(arg);
  }
  const [command, username, extra] = positional;
  if (!command || command === 'help' || flags.has('--help')) {
    console.log(usage);
    return command ? 0 : 2;
  }

  const clock = createSystemClock();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  // The same key and checkpoint as the server: the CLI's audit entries join the same chain.
  const auditKey = loadAuditKey({ key: config.auditKey, file: config.auditKeyFile });
  const db = await openDatabase(databaseLocation(config), { poolSize: 2 });
  const { users, sessions, audit } = createStores(db, clock, { auditKey, auditCheckpoint: createFileCheckpoint(join(config.dataDir, 'audit.head')) });
  // On a shared database the instances chain with LINKDESK_AUDIT_KEY; a CLI with a key of its own
  // would break the chain at its first entry.
  if (!(await audit.keyFits())) {
    console.error('The audit log in this database was written with another audit key. Run with the LINKDESK_AUDIT_KEY (or LINKDESK_AUDIT_KEY_FILE) the instances use.');
    await db.destroy();
    return 1;
  }
  const userAdmin = createUserAdmin({ users, sessions, audit });
  const who = { actor: `cli (${userInfo().username})`, role: 'cli' };
  const need = async (name: string | undefined) => {
    if (!name) throw new UserError('invalid_username', `Give a username.\n\n${usage}`);
    const user = await users.byUsername(name);
    if (!user) throw new UserError('not_found', `There is no user called ${name}. See npm run user -- list.`);
    return user;
  };

  try {
    switch (command) {
      case 'list': {
        const all = await users.list();
        if (all.length === 0) console.log('No staff accounts yet.');
        for (const user of all) console.log(`${user.username.padEnd(24)} ${user.role.padEnd(8)} since ${new Date(user.created_at).toISOString().slice(0, 10)}${user.sso ? '  (SSO)' : ''}`);
        return 0;
      }
      case 'add': {
        if (!username) throw new UserError('invalid_username', `Give a username.\n\n${usage}`);
        if (!role) throw new UserError('invalid_role', `Give a role with --role (${roles.join(', ')}).`);
        const { password, generated } = await obtainPassword(flags, username.toLowerCase());
        const user = await userAdmin.add(who, { username, password, role });
        console.log(`Added ${user.username} (${user.role}).${generated ? `\nPassword (shown once): ${password}` : ''}`);
        return 0;
      }
      case 'set-role': {
        const user = await need(username);
        await userAdmin.setRole(who, user.id, extra ?? '');
        console.log(`${user.username} is now ${extra}; their sessions were ended.`);
        return 0;
      }
      case 'reset-password': {
        const user = await need(username);
        const { password, generated } = await obtainPassword(flags, user.username);
        await userAdmin.resetPassword(who, user.id, password);
        console.log(`New password set for ${user.username}; their sessions were ended.${generated ? `\nPassword (shown once): ${password}` : ''}`);
        return 0;
      }
      case 'remove': {
        const user = await need(username);
        await userAdmin.remove(who, user.id);
        console.log(`Removed ${user.username}.`);
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UserError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await run(process.argv.slice(2));
