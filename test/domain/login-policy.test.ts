import { CLEAR, decideLogin, lockedAt, type LoginCounters } from '../../src/domain/users/login-policy';
import { passwordFault } from '../../src/domain/users/credentials';

const MINUTE = 60_000;
const policy = { maxFailures: 3, windowMs: 15 * MINUTE, lockMs: 10 * MINUTE };
const t0 = new Date('2026-12-01T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);

/** Fails `times` times, `every` minutes apart from `start`, and returns the counters and outcomes. */
function fail(times: number, every: number, counters: LoginCounters = CLEAR, start = 0) {
  const kinds: string[] = [];
  for (let i = 0; i < times; i++) {
    const o = decideLogin('u-1', counters, { ok: false, at: at(start + i * every) }, policy);
    kinds.push(o.kind);
    counters = o.counters;
  }
  return { counters, kinds };
}

describe('lock-out after repeated failures', () => {
  it('locks on the failure that reaches the limit within the window, recording it', () => {
    const two = fail(2, 1);
    expect(two.kinds).toEqual(['invalid', 'invalid']);
    const third = decideLogin('u-1', two.counters, { ok: false, at: at(2) }, policy);
    expect(third.kind).toBe('locked');
    expect(third.events).toEqual([
      { type: 'LoginFailed', data: { userId: 'u-1', failures: 3 } },
      { type: 'AccountLocked', data: { userId: 'u-1', failures: 3, lockedUntil: at(12).toISOString() } },
    ]);
    expect(lockedAt(third.counters, at(11))).toEqual(at(12));
    expect(lockedAt(third.counters, at(12))).toBeUndefined();
  });

  it('starts a new count once the window has passed, and after a lock has run out', () => {
    expect(fail(6, 8).kinds).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    const locked = fail(3, 1).counters;
    const after = decideLogin('u-1', locked, { ok: false, at: at(30) }, policy);
    expect([after.kind, after.events]).toEqual(['invalid', [{ type: 'LoginFailed', data: { userId: 'u-1', failures: 1 } }]]);
  });

  it('clears the count on success and records the session expiry', () => {
    const o = decideLogin('u-1', fail(2, 1).counters, { ok: true, at: at(3), sessionExpiresAt: at(720) }, policy);
    expect(o).toEqual({ kind: 'ok', counters: CLEAR, events: [{ type: 'LoggedIn', data: { userId: 'u-1', sessionExpiresAt: at(720).toISOString() } }] });
  });
});

describe('the password policy', () => {
  it('wants 10 to 256 characters (as people count them) and no control characters', () => {
    expect(passwordFault('123456789')).toMatch(/10/);
    expect(passwordFault('1234567890')).toBeUndefined();
    expect(passwordFault('密码密码密码密码密码')).toBeUndefined();
    expect(passwordFault('😀'.repeat(9))).toMatch(/10/);
    expect(passwordFault('x'.repeat(257))).toMatch(/256/);
    expect(passwordFault('long-enough\u0000x')).toMatch(/control/);
  });
});
