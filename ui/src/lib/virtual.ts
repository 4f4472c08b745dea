// Windowing for long lists: only the rows in view (plus a margin) exist in the
// DOM, so 10,000 calls scroll as smoothly as 10.

export interface Window {
  start: number;
  end: number;
  offsetTop: number;
  totalHeight: number;
}

export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): Window {
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const end = Math.min(count, first + shown + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** Scroll position that brings row `index` into view with the least movement. */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return scrollTop;
}
