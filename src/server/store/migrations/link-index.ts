import type { Migration } from './migration.ts';

// The account-wide link index.
// Each is one version of the ordered list in ../migrations.ts; its SQL text never changes.

/** Version 3. */
export const linkIndex: Migration = {
  sqlite: `
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
  postgres: `
  -- COLLATE "C" on the columns the list sorts and ranges on: byte order, as SQLite's BINARY, so
  -- both databases page and search the same way whatever the cluster's locale.
  CREATE TABLE index_links (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    institution          TEXT COLLATE "C" NOT NULL,
    status               TEXT COLLATE "C" NOT NULL,
    access_mode          TEXT COLLATE "C",
    refresh_rate         TEXT COLLATE "C",
    external_id          TEXT COLLATE "C",
    institution_user_id  TEXT COLLATE "C",
    created_by           TEXT,
    created_at           TEXT NOT NULL,
    created_ms           BIGINT NOT NULL,
    last_accessed_at     TEXT,
    last_accessed_ms     BIGINT NOT NULL,
    status_since_ms      BIGINT NOT NULL,
    duplicates           INTEGER NOT NULL DEFAULT 0,
    seen_run             BIGINT NOT NULL
  );
  CREATE TABLE index_link_bodies (
    id    TEXT COLLATE "C" PRIMARY KEY,
    body  TEXT NOT NULL
  );
  CREATE INDEX index_links_created ON index_links (created_ms);
  CREATE INDEX index_links_accessed ON index_links (last_accessed_ms);
  CREATE INDEX index_links_status ON index_links (status, created_ms);
  CREATE INDEX index_links_status_accessed ON index_links (status, last_accessed_ms);
  CREATE INDEX index_links_stale_access ON index_links (status, refresh_rate, last_accessed_ms, created_ms);
  CREATE INDEX index_links_stale_broken ON index_links (status, status_since_ms);
  CREATE INDEX index_links_institution ON index_links (institution, created_ms);
  CREATE INDEX index_links_institution_status ON index_links (institution, status, created_ms);
  CREATE INDEX index_links_access_mode_status ON index_links (access_mode, status, created_ms);
  CREATE INDEX index_links_refresh_rate_status ON index_links (refresh_rate, status, created_ms);
  CREATE INDEX index_links_access_mode ON index_links (access_mode, created_ms);
  CREATE INDEX index_links_access_mode_accessed ON index_links (access_mode, last_accessed_ms);
  CREATE INDEX index_links_refresh_rate ON index_links (refresh_rate, created_ms);
  CREATE INDEX index_links_external_id ON index_links (external_id);
  CREATE INDEX index_links_orphans ON index_links (created_ms) WHERE external_id IS NULL;
  CREATE INDEX index_links_orphans_institution ON index_links (institution, created_ms, status) WHERE external_id IS NULL;
  CREATE INDEX index_links_user ON index_links (institution_user_id);
  CREATE INDEX index_links_same_user ON index_links (institution, institution_user_id, created_ms);
  CREATE INDEX index_links_duplicates ON index_links (institution, institution_user_id, created_ms, id)
    INCLUDE (status, external_id, access_mode, created_at, last_accessed_at) WHERE duplicates > 0;
  CREATE INDEX index_links_duplicates_created ON index_links (created_ms) WHERE duplicates > 0;
  CREATE TABLE index_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );
  CREATE TABLE index_snapshots (
    day             TEXT PRIMARY KEY,
    taken_at        BIGINT NOT NULL,
    total           INTEGER NOT NULL,
    valid           INTEGER NOT NULL,
    invalid         INTEGER NOT NULL,
    unconfirmed     INTEGER NOT NULL,
    token_required  INTEGER NOT NULL
  );
  `,
};

// `index_removed`: links Belvo deleted (its `link_deleted` webhook, Linkdesk's own delete, a
// re-read that found 404, a completed full sync that did not see them). A link id never comes
// back, so a sync page read before the deletion and written after must not bring it back into
// the index. Kept a week: a page waits seconds, not days.
/** Version 10. */
export const removedLinks: Migration = {
  sqlite: `
  CREATE TABLE index_removed (
    id  TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
  );
  CREATE INDEX index_removed_at ON index_removed (at);
  `,
  postgres: `
  CREATE TABLE index_removed (
    id  TEXT PRIMARY KEY,
    at  BIGINT NOT NULL
  );
  CREATE INDEX index_removed_at ON index_removed (at);
  `,
};
