import { describe, expect, test } from 'vitest';
import { applySegment, elapsedMs, type LiveSegment } from './live';
import type { SegmentEvent } from '../api';
import events from '../contract-samples/events.json';

const ev = (e: Partial<SegmentEvent>): SegmentEvent => ({
  type: 'segment',
  final: false,
  speaker: 'rep',
  start: 0,
  end: 1,
  text: 'hello',
  emitted_at: '2026-01-01T00:00:00Z',
  ...e,
});

describe('applySegment', () => {
  test('takes the segment event exactly as the shell sends it', () => {
    const sample = events.find((e) => e.type === 'segment') as SegmentEvent;
    expect(applySegment([], sample)).toEqual([
      { final: false, speaker: 'customer', start: 3.2, end: 5.9, text: 'we need this by March' },
    ]);
  });

  test('a newer partial replaces the older one of the same channel', () => {
    let list: LiveSegment[] = [];
    list = applySegment(list, ev({ text: 'hel' }));
    list = applySegment(list, ev({ text: 'hello the' }));
    expect(list.map((s) => s.text)).toEqual(['hello the']);
  });

  test('a final replaces the partial and stays in time order', () => {
    let list: LiveSegment[] = [];
    list = applySegment(list, ev({ speaker: 'customer', start: 0.5, final: true, text: 'Hi.' }));
    list = applySegment(list, ev({ start: 0, text: 'Good mor' }));
    list = applySegment(list, ev({ start: 0, final: true, text: 'Good morning.' }));
    expect(list.map((s) => [s.text, s.final])).toEqual([
      ['Good morning.', true],
      ['Hi.', true],
    ]);
  });

  test('partials of both channels coexist, after the finals', () => {
    let list: LiveSegment[] = [];
    list = applySegment(list, ev({ final: true, start: 0, text: 'One.' }));
    list = applySegment(list, ev({ speaker: 'customer', start: 0.9, text: 'cust…' }));
    list = applySegment(list, ev({ start: 1.2, text: 'rep…' }));
    expect(list.map((s) => s.text)).toEqual(['One.', 'cust…', 'rep…']);
  });

  test('an empty final clears the partial without adding a blank line', () => {
    let list = applySegment([], ev({ text: 'uh' }));
    list = applySegment(list, ev({ final: true, text: '  ' }));
    expect(list).toEqual([]);
  });
});

test('elapsedMs', () => {
  expect(elapsedMs(null, 1000)).toBe(0);
  expect(elapsedMs('2025-01-01T00:00:00Z', Date.parse('2025-01-01T00:01:30Z'))).toBe(90_000);
  expect(elapsedMs('garbage', 5)).toBe(0);
  expect(elapsedMs('2025-01-01T00:00:10Z', Date.parse('2025-01-01T00:00:00Z'))).toBe(0);
});
