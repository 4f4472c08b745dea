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

  test('live lines of one channel add up, one per utterance', () => {
    let list: LiveSegment[] = [];
    list = applySegment(list, ev({ start: 0.5, end: 2.9, text: 'Thank you for joining.' }));
    list = applySegment(list, ev({ start: 3.4, end: 6.0, text: 'Let me walk you through the plan.' }));
    expect(list.map((s) => s.text)).toEqual(['Thank you for joining.', 'Let me walk you through the plan.']);
  });

  test('the same live line sent again replaces itself', () => {
    let list = applySegment([], ev({ start: 1, text: 'hello the' }));
    list = applySegment(list, ev({ start: 1, text: 'hello there' }));
    expect(list.map((s) => s.text)).toEqual(['hello there']);
  });

  test('a final replaces the live lines of its channel it overlaps, and stays in time order', () => {
    let list: LiveSegment[] = [];
    list = applySegment(list, ev({ speaker: 'customer', start: 0.5, end: 1, final: true, text: 'Hi.' }));
    list = applySegment(list, ev({ start: 0, end: 1.5, text: 'Good mor' }));
    list = applySegment(list, ev({ start: 1.6, end: 3, text: 'ning to you.' }));
    list = applySegment(list, ev({ speaker: 'customer', start: 5, end: 6, text: 'Sure.' }));
    list = applySegment(list, ev({ start: 0.1, end: 3, final: true, text: 'Good morning to you.' }));
    expect(list.map((s) => [s.speaker, s.text, s.final])).toEqual([
      ['rep', 'Good morning to you.', true],
      ['customer', 'Hi.', true],
      ['customer', 'Sure.', false],
    ]);
  });

  test('lines of both channels interleave in the order they were said', () => {
    let list: LiveSegment[] = [];
    list = applySegment(list, ev({ final: true, start: 0, text: 'One.' }));
    list = applySegment(list, ev({ speaker: 'customer', start: 2.5, end: 3, text: 'cust' }));
    list = applySegment(list, ev({ start: 1.2, end: 2, text: 'rep' }));
    expect(list.map((s) => s.text)).toEqual(['One.', 'rep', 'cust']);
  });

  test('an empty final clears the live line it overlaps without adding a blank line', () => {
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
