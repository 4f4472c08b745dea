// Display formatting shared by every screen. Pure functions of their inputs and
// the locale, so they are unit-tested without a DOM.
import { intlTag, type Locale } from './i18n/index.svelte';

/** 75_000 → "1:15", 3_725_000 → "1:02:05". Negative or NaN input shows 0:00. */
export function clock(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

export function dateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlTag[locale], {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

/** A YYYY-MM-DD calendar date, shown without shifting it through a time zone. */
export function calendarDate(ymd: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return ymd;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(intlTag[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(
    date,
  );
}

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

export function bytes(n: number, units: { bytes: string; kb: string; mb: string; gb: string }): string {
  const steps: [number, string][] = [
    [1024 ** 3, units.gb],
    [1024 ** 2, units.mb],
    [1024, units.kb],
  ];
  for (const [size, unit] of steps) {
    if (n >= size) return `${(n / size).toFixed(1)} ${unit}`;
  }
  return `${Math.max(0, Math.round(n))} ${units.bytes}`;
}

export function percent(share: number, locale: Locale): string {
  return new Intl.NumberFormat(intlTag[locale], { style: 'percent', maximumFractionDigits: 0 }).format(
    share,
  );
}

export function decimal(value: number, locale: Locale, digits = 1): string {
  return new Intl.NumberFormat(intlTag[locale], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: 'auto',
  }).format(value);
}

/** Signed score such as "+0.42" or "−0.30", so the direction is readable without colour. */
export function score(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlTag[locale], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  }).format(value);
}

/** Level meter fill from dBFS: −60 dB (or quieter) is empty, 0 dB is full. */
export function meterFill(db: number): number {
  if (!Number.isFinite(db)) return 0;
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
