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
  `
  -- The account-wide link index (issue 9): a read-side copy of Belvo's links. WITHOUT ROWID, so
  -- every index ends with the link id, which is the tiebreak of every sort (keyset paging).
  -- last_accessed_ms is 0 for a link never accessed: it sorts as the oldest, and stays comparable.
  -- The rows stay narrow (the link's JSON lives in index_link_bodies): filters without an index of
  -- their own and sorts then read ~150 bytes a link, not ~900.
  CREATE TABLE index_links (
    id                   TEXT PRIMARY KEY,
    institution          TEXT NOT NULL,
    status               TEXT NOT NULL,
    access_mode          TEXT,
    refresh_rate         TEXT,
    external_id          TEXT,
    institution_user_id  TEXT,
    created_by           TEXT,
    created_at           TEXT NOT NULL,
    created_ms           INTEGER NOT NULL,
    last_accessed_at     TEXT,
    last_accessed_ms     INTEGER NOT NULL,
    status_since_ms      INTEGER NOT NULL,
    duplicates           INTEGER NOT NULL DEFAULT 0,
    seen_run             INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE index_link_bodies (
    id    TEXT PRIMARY KEY,
    body  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX index_links_created ON index_links (created_ms);
  CREATE INDEX index_links_accessed ON index_links (last_accessed_ms);
  CREATE INDEX index_links_status ON index_links (status, created_ms);
  CREATE INDEX index_links_status_accessed ON index_links (status, last_accessed_ms);
  CREATE INDEX index_links_stale_access ON index_links (status, refresh_rate, last_accessed_ms, created_ms);
  CREATE INDEX index_links_stale_broken ON index_links (status, status_since_ms);
  CREATE INDEX index_links_institution ON index_links (institution, created_ms);
  -- (filter, status, created_ms): a filter's status counts read the index alone, and sort=status under that filter is in index order.
  CREATE INDEX index_links_institution_status ON index_links (institution, status, created_ms);
  CREATE INDEX index_links_access_mode_status ON index_links (access_mode, status, created_ms);
  CREATE INDEX index_links_refresh_rate_status ON index_links (refresh_rate, status, created_ms);
  CREATE INDEX index_links_access_mode ON index_links (access_mode, created_ms);
  -- Single links were last read when created, so walking last access for them scans most links.
  CREATE INDEX index_links_access_mode_accessed ON index_links (access_mode, last_accessed_ms);
  CREATE INDEX index_links_refresh_rate ON index_links (refresh_rate, created_ms);
  CREATE INDEX index_links_external_id ON index_links (external_id);
  CREATE INDEX index_links_orphans ON index_links (created_ms) WHERE external_id IS NULL;
  CREATE INDEX index_links_orphans_institution ON index_links (institution, created_ms, status) WHERE external_id IS NULL;
  CREATE INDEX index_links_user ON index_links (institution_user_id);
  CREATE INDEX index_links_same_user ON index_links (institution, institution_user_id, created_ms);
  -- Covers the health page's duplicate groups: a few thousand rows read without touching the table.
  CREATE INDEX index_links_duplicates ON index_links (institution, institution_user_id, created_ms, status, external_id, access_mode, created_at, last_accessed_at)
    WHERE duplicates > 0;
  CREATE INDEX index_links_duplicates_created ON index_links (created_ms) WHERE duplicates > 0;
  CREATE TABLE index_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );
  CREATE TABLE index_snapshots (
    day             TEXT PRIMARY KEY,
    taken_at        INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    valid           INTEGER NOT NULL,
    invalid         INTEGER NOT NULL,
    unconfirmed     INTEGER NOT NULL,
    token_required  INTEGER NOT NULL
  );
  `,
  // Sign-in throttling that holds under concurrency: a password check is counted when it starts,
  // not when it fails, so the table holds reservations as well as failures. Keys are HMACs, never
  // the typed username. Refusals are counted here and reach the audit log as one row per key and
  // lock, so anonymous callers cannot flood it.
  `
  DROP TABLE sign_in_failures;
  CREATE TABLE sign_in_attempts (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL,
    at       INTEGER NOT NULL,
    attempt  TEXT NOT NULL
  );
  CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key, at);
  CREATE INDEX sign_in_attempts_attempt ON sign_in_attempts (attempt);
  CREATE TABLE sign_in_devices (
    token_hash    TEXT PRIMARY KEY,
    account_key   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL
  );
  CREATE TABLE sign_in_refusals (
    key       TEXT PRIMARY KEY,
    actor     TEXT NOT NULL,
    address   TEXT,
    reason    TEXT NOT NULL,
    first_at  INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    until     INTEGER NOT NULL,
    count     INTEGER NOT NULL
  );
  `,
  // The audit chain becomes keyed (HMAC with a key kept outside the database). Entries written
  // before stay on the plain SHA-256 chain, marked so, and are covered by the first keyed entry.
  `
  ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT 'sha256' CHECK (chain IN ('sha256', 'hmac-sha256'));
  `,
  // Finding attempts without a result (after a crash) at every start, without reading the table
  // once per attempt.
  `
  CREATE INDEX audit_correlation ON audit_log (correlation_id, phase);
  CREATE INDEX audit_open ON audit_log (phase, at);
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
  // Bulk jobs (issue 13): one row per job, one per link in the order they run. Counts are derived
  // from the items (never kept twice); `job_items_link` answers "which open job holds this link",
  // `job_items_request` joins an item to the async deletion its Belvo request_id started.
  `
  CREATE TABLE jobs (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    action        TEXT NOT NULL CHECK (action IN ('delete', 'refresh')),
    mode          TEXT CHECK (mode IN ('async', 'sync')),
    resources     TEXT,
    state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'paused', 'done', 'cancelled', 'failed')),
    pause_reason  TEXT,
    error         TEXT,
    selection     TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_role  TEXT,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER
  );
  CREATE INDEX jobs_state ON jobs (state, seq);
  CREATE TABLE job_items (
    job_id        TEXT NOT NULL REFERENCES jobs (id),
    position      INTEGER NOT NULL,
    link_id       TEXT NOT NULL,
    external_id   TEXT,
    institution   TEXT,
    state         TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'failed', 'skipped', 'outcome_unknown', 'not_sent')),
    http_status   INTEGER,
    code          TEXT,
    message       TEXT,
    request_id    TEXT,
    sent_at       INTEGER,
    finished_at   INTEGER,
    PRIMARY KEY (job_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX job_items_state ON job_items (job_id, state, position);
  CREATE INDEX job_items_link ON job_items (link_id, state);
  CREATE INDEX job_items_request ON job_items (request_id) WHERE request_id IS NOT NULL;
  `,
];

/**
 * The audit log's append-only triggers, recreated at every start: someone with the database file
 * may have dropped or replaced them.
 */
export function restoreAuditTriggers(db: Db) {
  db.exec(`
    DROP TRIGGER IF EXISTS audit_log_no_update;
    DROP TRIGGER IF EXISTS audit_log_no_delete;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `);
}

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
