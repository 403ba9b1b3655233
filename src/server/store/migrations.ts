import type { Db } from './store.ts';

/** Forward-only schema migrations, applied in order inside one transaction each. */
const migrations: string[] = [
  `
  CREATE TABLE refresh_cooldowns (
    link_id     TEXT PRIMARY KEY,
    ends_at     INTEGER NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('linkdesk', 'belvo')),
    updated_at  INTEGER NOT NULL
  );
  CREATE TABLE sync_deletes (
    id          INTEGER PRIMARY KEY,
    link_id     TEXT NOT NULL,
    at          INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('reserved', 'done'))
  );
  CREATE INDEX sync_deletes_at ON sync_deletes (at);
  CREATE TABLE rate_limits (
    name           TEXT PRIMARY KEY,
    blocked_until  INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  );
  CREATE TABLE operations (
    request_id    TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('delete', 'refresh')),
    link_id       TEXT NOT NULL,
    external_id   TEXT,
    institution   TEXT,
    resources     TEXT,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    requested_at  INTEGER NOT NULL,
    requested_by  TEXT,
    completed_at  INTEGER,
    detail        TEXT
  );
  CREATE INDEX operations_link ON operations (link_id, requested_at);
  CREATE INDEX operations_pending ON operations (state, kind);
  CREATE TABLE webhooks (
    id            INTEGER PRIMARY KEY,
    webhook_id    TEXT UNIQUE,
    received_at   INTEGER NOT NULL,
    webhook_type  TEXT,
    webhook_code  TEXT,
    link_id       TEXT,
    request_id    TEXT,
    outcome       TEXT NOT NULL CHECK (outcome IN ('processed', 'unmatched', 'unknown', 'malformed')),
    problem       TEXT,
    payload       TEXT NOT NULL
  );
  CREATE INDEX webhooks_link ON webhooks (link_id, received_at);
  `,
];

export function migrate(db: Db) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
  );
  migrations.forEach((sql, index) => {
    const version = index + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    })();
  });
}
