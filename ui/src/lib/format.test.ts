import { describe, expect, test } from 'vitest';
import { bytes, calendarDate, clock, isCalendarDate, meterFill, percent, score } from './format';

const units = { bytes: 'B', kb: 'KB', mb: 'MB', gb: 'GB' };

describe('format', () => {
  test('clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75_000)).toBe('1:15');
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(clock(-5)).toBe('0:00');
    expect(clock(Number.NaN)).toBe('0:00');
    expect(clock(59_999)).toBe('0:59');
  });

  test('calendar dates do not shift across time zones', () => {
    expect(calendarDate('2025-07-04', 'en')).toBe('4 Jul 2025');
    expect(calendarDate('2025-07-04', 'sr-Latn')).toMatch(/^4\.\s?(7\.|jul)\s?2025\.?$/);
    expect(calendarDate('not a date', 'en')).toBe('not a date');
  });

  test('isCalendarDate rejects impossible dates', () => {
    expect(isCalendarDate('2025-02-28')).toBe(true);
    expect(isCalendarDate('2025-02-30')).toBe(false);
    expect(isCalendarDate('2025-2-3')).toBe(false);
  });

  test('bytes', () => {
    expect(bytes(512, units)).toBe('512 B');
    expect(bytes(147_964_211, units)).toBe('141.1 MB');
    expect(bytes(3 * 1024 ** 3, units)).toBe('3.0 GB');
  });

  test('scores carry a sign; percentages use the locale', () => {
    expect(score(0.42, 'en')).toBe('+0.42');
    expect(score(-0.3, 'en')).toBe('-0.30');
    expect(score(0, 'en')).toBe('0.00');
    expect(score(0.42, 'sr-Latn')).toBe('+0,42');
    expect(percent(0.54, 'en')).toBe('54%');
  });

  test('meter fill maps -60..0 dBFS to 0..1 and clamps', () => {
    expect(meterFill(-Infinity)).toBe(0);
    expect(meterFill(-90)).toBe(0);
    expect(meterFill(-30)).toBe(0.5);
    expect(meterFill(3)).toBe(1);
  });
});
