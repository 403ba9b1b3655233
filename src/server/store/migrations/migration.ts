/** One schema change, as each database spells it. */
export interface Migration {
  sqlite: string;
  postgres: string;
}

/** A change both databases spell the same way. */
export const same = (text: string): Migration => ({ sqlite: text, postgres: text });
