/**
 * The field a person types an exact phrase into before an irreversible action (a link's id in
 * production, `delete 37 links` for a bulk job). The caller compares; this says whether it matches.
 */
export function TypedConfirmation({
  id,
  label,
  value,
  onChange,
  confirmed,
  hint,
  mismatch,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  confirmed: boolean;
  /** What to type, shown until something that does not match is typed. */
  hint: string;
  /** Shown while what was typed does not match. */
  mismatch: string;
}) {
  const wrong = value !== '' && !confirmed;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        aria-invalid={wrong}
        className="w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {wrong ? mismatch : hint}
      </p>
    </div>
  );
}
