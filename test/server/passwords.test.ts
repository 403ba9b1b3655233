import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roles } from '../../src/contract/roles.ts';
import { checkPassword, generatePassword } from '../../src/server/store/users.ts';

/** 15 bytes whose base64url form starts with the given text (padded with 'A's to 20 characters). */
const bytesSpelling = (text: string) => Buffer.from(text.padEnd(20, 'A'), 'base64url');

describe('generated passwords', () => {
  it('never contain the username, even when the random draw does (the 1.5% first-start crash)', () => {
    const draws = [bytesSpelling('xxQAxx'), bytesSpelling('okokok')];
    const password = generatePassword('qa', () => draws.shift() ?? Buffer.alloc(15));
    expect(password.toLowerCase()).not.toContain('qa');
    expect(checkPassword(password, 'qa')).toBeNull();
    expect(draws).toHaveLength(0);
  });

  it('pass the password rule for every demo account, whatever the draw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...roles), fc.array(fc.uint8Array({ minLength: 15, maxLength: 15 }), { minLength: 100, maxLength: 100 }), (role, draws) => {
        const queue = draws.map((draw) => Buffer.from(draw));
        // A source that spells the role in its first draws must still end in a valid password.
        queue.unshift(bytesSpelling(`Z${role}Z`), bytesSpelling(role.toUpperCase()));
        const password = generatePassword(role, () => queue.shift() ?? Buffer.alloc(15));
        expect(checkPassword(password, role)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('gives up with a clear error rather than loop on a broken random source', () => {
    expect(() => generatePassword('qa', () => bytesSpelling('qaqaqa'))).toThrow(/random source is broken/);
  });

  it('are 20 characters of 120 random bits', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generatePassword('admin')));
    expect(seen.size).toBe(1000);
    for (const password of seen) expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });
});
