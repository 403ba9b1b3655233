import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them, for both databases. Times are epoch milliseconds (INTEGER in
 * SQLite, BIGINT in PostgreSQL, read back as numbers); JSON is kept as text on both.
 */
export interface Schema {
  schema_migrations: { version: number; applied_at: string };
  refresh_cooldowns: { link_id: string; ends_at: number; source: 'linkdesk' | 'belvo'; updated_at: number };
  sync_deletes: { id: Generated<number>; link_id: string; at: number; state: 'reserved' | 'done' };
  rate_limits: { name: string; blocked_until: number; updated_at: number };
  leases: { name: string; holder: string; expires_at: number };
  upstream_requests: { id: Generated<number>; at: number; priority: 'interactive' | 'background' };
  mfa_sessions: { session_hash: string; link_id: string; purpose: 'refresh' | 'register' | 'other'; resources: string | null; expires_at: number };
  in_flight: { key: string; flight: string; owner: string | null; started_at: number; finished_at: number | null; outcome: string | null };
  operations: {
    request_id: string;
    kind: 'delete' | 'refresh';
    link_id: string;
    external_id: string | null;
    institution: string | null;
    resources: string | null;
    state: 'pending' | 'done' | 'failed';
    requested_at: number;
    requested_by: string | null;
    completed_at: number | null;
    detail: string | null;
  };
  webhooks: {
    id: Generated<number>;
    webhook_id: string | null;
    received_at: number;
    webhook_type: string | null;
    webhook_code: string | null;
    link_id: string | null;
    request_id: string | null;
    outcome: 'processed' | 'unmatched' | 'unknown' | 'malformed';
    problem: string | null;
    payload: string;
  };
  users: {
    id: Generated<number>;
    username: string;
    password_hash: string;
    role: 'viewer' | 'support' | 'qa' | 'admin';
    created_at: number;
    updated_at: number;
    identity: string | null;
  };
  sessions: { token_hash: string; user_id: number; created_at: number; last_seen_at: number; expires_at: number };
  sign_in_attempts: { id: Generated<number>; key: string; at: number; attempt: string };
  sign_in_devices: { token_hash: string; account_key: string; created_at: number; last_used_at: number };
  sign_in_refusals: { key: string; actor: string; address: string | null; reason: string; first_at: number; last_at: number; until: number; count: number };
  audit_log: {
    id: number;
    at: number;
    actor: string;
    role: string | null;
    action: string;
    phase: 'attempt' | 'result';
    correlation_id: string;
    link_id: string | null;
    external_id: string | null;
    belvo_request_id: string | null;
    outcome: string;
    detail: string | null;
    prev_hash: string;
    hash: string;
    chain: Generated<'sha256' | 'hmac-sha256'>;
  };
  index_links: {
    id: string;
    institution: string;
    status: string;
    access_mode: string | null;
    refresh_rate: string | null;
    external_id: string | null;
    institution_user_id: string | null;
    created_by: string | null;
    created_at: string;
    created_ms: number;
    last_accessed_at: string | null;
    last_accessed_ms: number;
    status_since_ms: number;
    duplicates: Generated<number>;
    seen_run: number;
  };
  index_link_bodies: { id: string; body: string };
  index_meta: { key: string; value: string };
  index_removed: { id: string; at: number };
  index_snapshots: { day: string; taken_at: number; total: number; valid: number; invalid: number; unconfirmed: number; token_required: number };
  oidc_logins: { state_hash: string; binding_hash: string; nonce: string; code_verifier: string; return_to: string; created_at: number };
  oidc_sessions: { session_token_hash: string; id_token: string };
  jobs: {
    seq: Generated<number>;
    id: string;
    action: 'delete' | 'refresh';
    mode: 'async' | 'sync' | null;
    resources: string | null;
    state: 'queued' | 'running' | 'paused' | 'done' | 'cancelled' | 'failed';
    pause_reason: string | null;
    error: string | null;
    selection: string;
    created_by: string;
    created_role: string | null;
    created_at: number;
    started_at: number | null;
    finished_at: number | null;
  };
  job_items: {
    job_id: string;
    position: number;
    link_id: string;
    external_id: string | null;
    institution: string | null;
    state: 'queued' | 'sending' | 'done' | 'failed' | 'skipped' | 'outcome_unknown' | 'not_sent';
    http_status: number | null;
    code: string | null;
    message: string | null;
    request_id: string | null;
    sent_at: number | null;
    finished_at: number | null;
  };
}
