import type { Db } from './database.ts';

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
  `
  CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('viewer', 'support', 'qa', 'admin')),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE sign_in_failures (
    id    INTEGER PRIMARY KEY,
    key   TEXT NOT NULL,
    at    INTEGER NOT NULL
  );
  CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
  CREATE TABLE audit_log (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    at                INTEGER NOT NULL,
    actor             TEXT NOT NULL,
    role              TEXT,
    action            TEXT NOT NULL,
    phase             TEXT NOT NULL CHECK (phase IN ('attempt', 'result')),
    correlation_id    TEXT NOT NULL,
    link_id           TEXT,
    external_id       TEXT,
    belvo_request_id  TEXT,
    outcome           TEXT NOT NULL,
    detail            TEXT,
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL
  );
  CREATE INDEX audit_at ON audit_log (at);
  CREATE INDEX audit_link ON audit_log (link_id, at);
  CREATE INDEX audit_actor ON audit_log (actor, at);
  -- Append-only: the application has no way to change or remove an entry, and neither has SQL
  -- run through this database. Each entry also carries a hash of the previous one, so an edit
  -- made around these triggers shows up when the chain is verified.
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  // Sign-in through an OpenID Connect provider. A person who signs in that way is a users row whose
  // `identity` is `oidc:<issuer>#<sub>` and whose password_hash is '' (no argon2 hash matches it,
  // and the store refuses password sign-in for such rows). `oidc_logins` holds a login between the
  // redirect to the provider and its callback; `oidc_sessions` the ID token a session's
  // RP-initiated logout needs as id_token_hint.
  `
  ALTER TABLE users ADD COLUMN identity TEXT;
  CREATE UNIQUE INDEX users_identity ON users (identity) WHERE identity IS NOT NULL;
  CREATE TABLE oidc_logins (
    state_hash     TEXT PRIMARY KEY,
    binding_hash   TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    code_verifier  TEXT NOT NULL,
    return_to      TEXT NOT NULL,
    created_at     INTEGER NOT NULL
  );
  CREATE TABLE oidc_sessions (
    session_token_hash  TEXT PRIMARY KEY REFERENCES sessions (token_hash) ON DELETE CASCADE,
    id_token            TEXT NOT NULL
  );
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
