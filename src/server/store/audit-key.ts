import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The audit chain's key: 32 random bytes, kept outside the database so that a copy (or an edit) of
 * the database file alone cannot recompute the chain. Given as LINKDESK_AUDIT_KEY, or read from a
 * file that the first start creates (mode 0600).
 */
export function loadAuditKey(options: { key: string | null; file: string }): Buffer {
  if (options.key) return Buffer.from(options.key, 'hex');
  mkdirSync(dirname(options.file), { recursive: true });
  try {
    writeFileSync(options.file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readFileSync(options.file, 'utf8').trim();
  if (!/^[0-9a-f]{64,128}$/i.test(text)) {
    throw new Error(`${options.file} does not hold an audit key (64 to 128 hex digits). Restore it from a backup; without it the audit chain cannot be verified.`);
  }
  if ((statSync(options.file).mode & 0o077) !== 0) chmodSync(options.file, 0o600);
  return Buffer.from(text, 'hex');
}

/** The newest entry's id and keyed hash, kept outside the table so that removing the newest rows shows. */
export interface AuditHead {
  id: number;
  hash: string;
  /** HMAC of id and hash: a head cannot be written without the key. */
  mac: string;
}

export interface AuditCheckpoint {
  read(): AuditHead | null;
  write(head: AuditHead): void;
}

export function createMemoryCheckpoint(): AuditCheckpoint {
  let head: AuditHead | null = null;
  return {
    read: () => head,
    write(next) {
      if (!head || next.id >= head.id) head = next;
    },
  };
}

/** A file next to the key, replaced atomically; a head older than the one on disk is not written. */
export function createFileCheckpoint(file: string): AuditCheckpoint {
  const read = (): AuditHead | null => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<AuditHead>;
      if (typeof parsed.id !== 'number' || typeof parsed.hash !== 'string' || typeof parsed.mac !== 'string') return { id: -1, hash: '', mac: '' };
      return { id: parsed.id, hash: parsed.hash, mac: parsed.mac };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { id: -1, hash: '', mac: '' };
    }
  };
  return {
    read,
    write(head) {
      const current = read();
      if (current && current.id > head.id) return;
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(head), { mode: 0o600 });
      renameSync(temporary, file);
    },
  };
}
