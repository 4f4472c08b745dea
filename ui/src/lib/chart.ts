// Geometry for the sentiment timeline, kept out of the component so it is tested.
import type { TimelinePoint as SentimentPoint } from './api';

export interface PlottedPoint extends SentimentPoint {
  x: number;
  y: number;
}

export interface Plot {
  points: PlottedPoint[];
  /** SVG path data for the line through the points; empty with no points. */
  line: string;
  /** y of the neutral (score 0) axis. */
  zeroY: number;
}

/**
 * Scores are clamped to [-1, 1]: +1 at the top, -1 at the bottom. Time runs
 * over the whole call, so a quiet stretch shows as a gap, not a squeeze.
 */
export function plotSentiment(
  timeline: readonly SentimentPoint[],
  durationMs: number,
  width: number,
  height: number,
  pad = 8,
): Plot {
  const span = Math.max(durationMs, ...timeline.map((p) => p.start_ms), 1);
  const innerW = width - pad * 2;
  const innerH = height - pad * 2;
  const yOf = (score: number) => pad + ((1 - Math.max(-1, Math.min(1, score))) / 2) * innerH;
  const points = [...timeline]
    .sort((a, b) => a.start_ms - b.start_ms)
    .map((p) => ({ ...p, x: pad + (p.start_ms / span) * innerW, y: yOf(p.score) }));
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join(' ');
  return { points, line, zeroY: yOf(0) };
}
