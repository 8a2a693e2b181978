import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening, parseHours } from './hours.js';

const TZ = 'Asia/Shanghai';
const hours = parseHours('mon-fri 08:30-17:30, sat 09:00-12:00', TZ);
// 2025-06-02 is a Monday; times are Beijing time (+08:00).
const at = (iso: string) => new Date(`${iso}+08:00`);

describe('business hours', () => {
  it.each([
    ['2025-06-02T08:29', false, '今天 08:30'],
    ['2025-06-02T08:30', true, '明天 08:30'],
    ['2025-06-02T17:29', true, '明天 08:30'],
    ['2025-06-02T17:30', false, '明天 08:30'],
    ['2025-06-06T18:00', false, '明天 09:00'], // Friday evening → Saturday
    ['2025-06-07T10:00', true, '周一 08:30'], // Saturday morning
    ['2025-06-07T12:00', false, '周一 08:30'],
    ['2025-06-08T23:59', false, '明天 08:30'], // Sunday night
  ])('at %s: open %s, next opening %s', (when, open, next) => {
    expect(isOpen(hours, at(when))).toBe(open);
    expect(nextOpening(hours, at(when))).toBe(next);
  });

  it('reads the time zone: 08:30 in Shanghai is 00:30 UTC', () => {
    expect(isOpen(hours, new Date('2025-06-02T00:31:00Z'))).toBe(true);
    expect(isOpen(parseHours('mon-fri 08:30-17:30', 'UTC'), new Date('2025-06-02T00:31:00Z'))).toBe(false);
  });

  it('is always open with "always"', () => {
    const always = parseHours('always', TZ);
    expect(isOpen(always, at('2025-06-08T03:00'))).toBe(true);
    expect(nextOpening(always, at('2025-06-08T03:00'))).toBeNull();
  });

  it('wraps a day range over Sunday', () => {
    const weekend = parseHours('sat-mon 10:00-11:00', TZ);
    expect(isOpen(weekend, at('2025-06-08T10:30'))).toBe(true); // Sunday
    expect(isOpen(weekend, at('2025-06-03T10:30'))).toBe(false); // Tuesday
  });

  it.each(['mon 18:00-09:00', 'xyz 08:00-09:00', 'mon 8-9'])('refuses %j', (spec) => {
    expect(() => parseHours(spec, TZ)).toThrow(/DESK_HOURS/);
  });
});
