import type { Link, LinkStatus, RefreshRate } from '../contract/links.ts';
import { simInstitutions } from './institutions.ts';
import { createRandom, type Random } from './random.ts';

export const defaultLinkCount = 1250;

const dayMs = 86_400_000;

/** The Belvo dashboard users who created links in this account (`created_by`). */
const creators = [
  '6e9be884-4781-4143-b673-aca02475ee8c',
  'b1f6c0de-2c1a-4f0e-9d53-6a7be0c1d2e3',
  '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f',
];

const statusWeights: readonly (readonly [LinkStatus, number])[] = [
  ['valid', 62],
  ['invalid', 14],
  ['unconfirmed', 10],
  ['token_required', 14],
];

const refreshRateWeights: readonly (readonly [RefreshRate, number])[] = [
  ['7d', 50],
  ['24h', 20],
  ['12h', 10],
  ['6h', 8],
  ['30d', 12],
];

const refreshPeriodMs: Record<RefreshRate, number> = {
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': dayMs,
  '7d': 7 * dayMs,
  '30d': 30 * dayMs,
};

const externalIdStyles = [
  (r: Random) => `user-${String(r.int(1, 99_999)).padStart(5, '0')}`,
  (r: Random) => `cust_${r.hex(10)}`,
  (r: Random) => `acct-${r.int(100, 999)}-${r.hex(4)}`,
  (r: Random) => `CLIENT${r.int(10_000, 99_999)}`,
];

/** base64url of 32 random bytes with Belvo's trailing `=`: a 44-character institution_user_id. */
function institutionUserId(r: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < 43; i += 1) out += alphabet[r.int(0, 63)];
  return `${out}=`;
}

function isoMicros(epochMs: number, r: Random): string {
  // Belvo timestamps carry microseconds: 2024-02-02T13:11:42.593032Z.
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(r.int(0, 999)).padStart(3, '0')}Z`);
}

/**
 * A realistic, deterministic account: the same seed and `now` always give the same links.
 * About a tenth are orphans (`external_id: null`); some users have several links (one
 * external_id across institutions); some pairs share an `institution_user_id` (duplicates, seed 003).
 */
export function seedLinks({ seed, now, count = defaultLinkCount }: { seed: number; now: number; count?: number }): Link[] {
  const r = createRandom(seed);
  const links: Link[] = [];
  const externalIds: string[] = [];

  for (let index = 0; index < count; index += 1) {
    const institution = r.pick(simInstitutions);
    const status = r.weighted(statusWeights);
    const recurrent = r.chance(0.68);
    const createdAt = now - r.int(1, 540) * dayMs - r.int(0, dayMs - 1);

    let externalId: string | null;
    if (r.chance(0.1)) externalId = null;
    else if (externalIds.length > 0 && r.chance(0.2)) externalId = r.pick(externalIds);
    else {
      externalId = r.pick(externalIdStyles)(r);
      externalIds.push(externalId);
    }

    const refreshRate = recurrent ? r.weighted(refreshRateWeights) : null;
    // Healthy recurrent links were read within their refresh period; broken ones stopped some time
    // ago; single links were read once, when created.
    let lastAccessedAt: number | null;
    if (status === 'unconfirmed') lastAccessedAt = null;
    else if (!recurrent) lastAccessedAt = createdAt + r.int(20, 600) * 1000;
    else if (status === 'valid') lastAccessedAt = Math.max(createdAt, now - r.int(60, refreshPeriodMs[refreshRate ?? '7d'] / 1000));
    else lastAccessedAt = createdAt + r.next() * (now - createdAt);
    const resources = institution.resources.filter(() => r.chance(0.6));

    links.push({
      id: r.uuid(),
      institution: institution.name,
      access_mode: recurrent ? 'recurrent' : 'single',
      status,
      refresh_rate: refreshRate,
      created_by: r.pick(creators),
      last_accessed_at: lastAccessedAt === null ? null : isoMicros(Math.max(lastAccessedAt, createdAt), r),
      external_id: externalId,
      created_at: isoMicros(createdAt, r),
      institution_user_id: institutionUserId(r),
      credentials_storage: recurrent ? 'store' : r.pick(['365d', '30d', '90d', 'nostore']),
      stale_in: r.pick(['365d', '90d', '30d', null]),
      fetch_resources: resources.length > 0 ? resources : [...institution.resources.slice(0, 2)],
    });
  }

  // Duplicates: the same person connected the same institution twice (seed 003, "Avoiding
  // duplicated links"). Give every 40th link's institution_user_id to the next link of the same
  // institution. (Positions per institution, so this stays linear at 200,000 links.)
  const positions = new Map<string, number[]>();
  links.forEach((link, index) => {
    const list = positions.get(link.institution) ?? [];
    list.push(index);
    positions.set(link.institution, list);
  });
  const nextOf = new Map<string, number>();
  for (let index = 0; index < links.length; index += 40) {
    const original = links[index];
    if (!original) continue;
    const list = positions.get(original.institution) ?? [];
    let at = nextOf.get(original.institution) ?? 0;
    while (at < list.length && (list[at] ?? 0) <= index) at += 1;
    nextOf.set(original.institution, at);
    const duplicate = at < list.length ? links[list[at] ?? 0] : undefined;
    if (duplicate) {
      duplicate.institution_user_id = original.institution_user_id;
      duplicate.external_id = original.external_id;
    }
  }

  // Belvo lists newest first.
  return links.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
}
