import { describe, expect, test } from 'vitest';
import { dateRangeInvalid, hasFilters, NO_FILTERS, toCallFilter } from './callFilter';
import { parseMapping } from './mapping';
import { keywordProblem, normalised, parseDays } from './settings';
import { plotSentiment } from './chart';
import { href, parseRoute, type Route } from './router.svelte';
import type { Settings } from './api';

describe('call filters', () => {
  test('only set fields are sent', () => {
    expect(toCallFilter({ ...NO_FILTERS, search: '  pricing ' }, 0)).toEqual({ search: 'pricing', limit: 200, offset: 0 });
    expect(
      toCallFilter({ search: '', contactEmail: 'a@b.rs', sentiment: 'negative', since: '2025-01-01', until: '2025-02-01' }, 400),
    ).toEqual({ contactEmail: 'a@b.rs', sentiment: 'negative', since: '2025-01-01', until: '2025-02-01', limit: 200, offset: 400 });
  });

  test('range and emptiness checks', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, sentiment: 'neutral' })).toBe(true);
    expect(dateRangeInvalid({ ...NO_FILTERS, since: '2025-03-01', until: '2025-02-01' })).toBe(true);
    expect(dateRangeInvalid({ ...NO_FILTERS, since: '2025-03-01', until: '2025-03-01' })).toBe(false);
  });
});

describe('CSV column mapping', () => {
  test('empty means automatic mapping', () => {
    expect(parseMapping('  \n')).toEqual({ ok: true, mapping: undefined });
  });
  test('parses lines and splits on the last "="', () => {
    expect(parseMapping('E-mail Address=email\r\nA=B=name\n')).toEqual({
      ok: true,
      mapping: { 'E-mail Address': 'email', 'A=B': 'name' },
    });
  });
  test('reports the first bad line by number', () => {
    expect(parseMapping('Name=name\n\nnonsense\n')).toEqual({ ok: false, line: 3 });
    expect(parseMapping('=email')).toEqual({ ok: false, line: 1 });
  });
});

describe('settings validation', () => {
  test('days', () => {
    expect(parseDays('90')).toBe(90);
    expect(parseDays(' 1 ')).toBe(1);
    expect(parseDays('0')).toBe('invalid');
    expect(parseDays('1.5')).toBe('invalid');
    expect(parseDays('')).toBe('invalid');
    expect(parseDays('-3')).toBe('invalid');
  });
  test('tracked keywords', () => {
    const list = [{ term: 'Acme', category: 'competitor' }];
    expect(keywordProblem(list, ' ')).toBe('empty');
    expect(keywordProblem(list, 'acme ')).toBe('duplicate');
    expect(keywordProblem(list, 'Globex')).toBeNull();
  });
  test('empty notice text means the built-in notice', () => {
    const s: Settings = {
      language: 'en', transcription_language: 'auto', model: 'base.en', final_model: null, mic: null, system: null,
      retention: { audio_days: 90, transcript_days: null },
      tracked_keywords: [{ term: ' Acme ', category: ' competitor' }],
      notice_text: { en: '   ', 'sr-Latn': 'Tekst' },
    };
    const out = normalised(s);
    expect(out.notice_text).toEqual({ en: null, 'sr-Latn': 'Tekst' });
    expect(out.tracked_keywords).toEqual([{ term: 'Acme', category: 'competitor' }]);
  });
});

describe('sentiment plot', () => {
  test('positive is up, negative is down, time runs left to right', () => {
    const plot = plotSentiment(
      [
        { start_ms: 60_000, score: -1, segment: 2 },
        { start_ms: 0, score: 1, segment: 1 },
      ],
      120_000,
      100,
      50,
      0,
    );
    expect(plot.points.map((p) => [p.segment, p.x, p.y])).toEqual([
      [1, 0, 0],
      [2, 50, 50],
    ]);
    expect(plot.zeroY).toBe(25);
    expect(plot.line).toBe('M0.0,0.0 L50.0,50.0');
  });
  test('scores beyond ±1 are clamped; no points give no line', () => {
    expect(plotSentiment([{ start_ms: 0, score: 7, segment: 1 }], 10, 100, 50, 0).points[0]?.y).toBe(0);
    expect(plotSentiment([], 10, 100, 50).line).toBe('');
  });
});

describe('routes', () => {
  test('round-trip through the hash', () => {
    const routes: Route[] = [
      { name: 'calls' },
      { name: 'call', id: 42 },
      { name: 'call', id: 42, line: 7 },
      { name: 'record' },
      { name: 'live' },
      { name: 'contacts' },
      { name: 'contact', email: 'ana+x@b.rs' },
      { name: 'team' },
      { name: 'settings' },
    ];
    for (const route of routes) expect(parseRoute(href(route))).toEqual(route);
  });
  test('unknown hashes fall back to the call list', () => {
    expect(parseRoute('#/nowhere')).toEqual({ name: 'calls' });
    expect(parseRoute('')).toEqual({ name: 'calls' });
    expect(parseRoute('#/calls/%E0%A4%A')).toEqual({ name: 'calls' });
    expect(parseRoute('#/calls/0')).toEqual({ name: 'calls' });
    expect(parseRoute('#/calls/17')).toEqual({ name: 'call', id: 17 });
    expect(parseRoute('#/calls/17/line/0')).toEqual({ name: 'calls' });
    expect(parseRoute('#/calls/17/line/x')).toEqual({ name: 'calls' });
  });
});
