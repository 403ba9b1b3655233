import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { healthStatuses, type DailySnapshot } from '../../../../contract/bff/link-index.ts';
import type { LinkStatus } from '../../../../contract/links.ts';

/** The theme's status colours (tailwind.config.ts), each at least 3:1 against white. */
const colours: Record<LinkStatus, string> = {
  valid: '#15803d',
  invalid: '#b91c1c',
  unconfirmed: '#a16207',
  token_required: '#7e22ce',
};

/**
 * Daily counts per status as stacked bars, one bar per day that has a snapshot. Bars, not lines:
 * a line would draw values across days the index has no snapshot for. The page shows the same
 * numbers as a table for screen readers and keyboard users.
 */
export function HistoryChart({ history, labels, summary, locale }: { history: DailySnapshot[]; labels: Record<LinkStatus, string>; summary: string; locale: string }) {
  const rows = history.map((snapshot) => ({ day: snapshot.day, ...snapshot.counts_by_status }));
  const number = new Intl.NumberFormat(locale);
  return (
    <div role="img" aria-label={summary} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 288 }}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="day" tick={{ fill: '#334155', fontSize: 12 }} tickLine={false} />
          <YAxis tick={{ fill: '#334155', fontSize: 12 }} tickFormatter={(value: number) => number.format(value)} allowDecimals={false} width={56} />
          <Tooltip formatter={(value) => number.format(Number(value))} />
          <Legend wrapperStyle={{ fontSize: 12, color: '#334155' }} />
          {healthStatuses.map((status) => (
            <Bar key={status} dataKey={status} name={labels[status]} stackId="status" fill={colours[status]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
