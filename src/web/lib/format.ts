/** Dates and relative times through Intl, in the reader's language and time zone. */
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatRelative(epochMs: number, now: number, locale: string): string {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale, format);
  }
  const diff = epochMs - now;
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size || unit === 'second') return format.format(Math.round(diff / size), unit);
  }
  return format.format(0, 'second');
}

export function formatDateTime(epochMs: number, locale: string, style: 'short' | 'long' = 'short'): string {
  const key = `${locale}:${style}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format =
      style === 'long'
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long' })
        : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormats.set(key, format);
  }
  return format.format(epochMs);
}

export function formatDate(epochMs: number, locale: string): string {
  const key = `${locale}:date`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    dateTimeFormats.set(key, format);
  }
  return format.format(epochMs);
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/**
 * `mm:ss` for countdowns. Rounded, not ceiled: the ticking clock can be up to a second old, and a
 * 10-minute cooldown should not start at 10:01.
 */
export function formatCountdown(remainingMs: number): string {
  const total = Math.max(0, Math.round(remainingMs / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
