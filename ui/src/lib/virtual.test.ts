import { describe, expect, test } from 'vitest';
import { scrollToReveal, visibleWindow } from './virtual';

describe('visibleWindow', () => {
  test('renders only the rows in view plus overscan, for any list size', () => {
    const w = visibleWindow(64 * 5000, 640, 64, 10_000, 6);
    expect(w.start).toBe(4994);
    expect(w.end).toBe(5017);
    expect(w.end - w.start).toBeLessThan(30);
    expect(w.offsetTop).toBe(4994 * 64);
    expect(w.totalHeight).toBe(640_000);
  });

  test('clamps at both ends', () => {
    expect(visibleWindow(-50, 640, 64, 100)).toMatchObject({ start: 0, end: 17 });
    const end = visibleWindow(1e9, 640, 64, 100);
    expect(end.end).toBe(100);
    expect(end.start).toBeLessThan(100);
  });

  test('empty list', () => {
    expect(visibleWindow(0, 640, 64, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });
});

describe('scrollToReveal', () => {
  test('moves only as far as needed', () => {
    expect(scrollToReveal(5, 0, 640, 64)).toBe(0);
    expect(scrollToReveal(10, 0, 640, 64)).toBe(64);
    expect(scrollToReveal(2, 640, 640, 64)).toBe(128);
  });
});
