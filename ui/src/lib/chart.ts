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

// Bars against a published band (the team view): where the band lies on the scale, how far the
// value reaches, and which side of the band the value is on.

export type Band = readonly [low: number, high: number];
export type BandPosition = 'below' | 'within' | 'above';

/**
 * Where `value` sits against `band` (both ends inside), compared at the precision it is shown
 * with (`step`): a talk share shown as "57 %" is not called above a 43–57 % band.
 */
export function bandPosition(value: number, [low, high]: Band, step = 0): BandPosition {
  const shown = step > 0 ? Math.round(value / step) * step : value;
  // Rounding leaves float noise (0.57 / 0.01 * 0.01 = 0.5700000000000001).
  const slack = step > 0 ? step / 1000 : 0;
  if (shown < low - slack) return 'below';
  if (shown > high + slack) return 'above';
  return 'within';
}

export interface BandBar {
  /** Percent of the scale (0–100): where the shaded band starts and how wide it is. */
  bandStart: number;
  bandWidth: number;
  /** Percent of the scale the bar reaches, clamped to the scale. */
  value: number;
}

/** A bar on a scale from 0 to `scaleMax`, with the band shaded behind it. */
export function bandBar(value: number, [low, high]: Band, scaleMax: number): BandBar {
  const max = scaleMax > 0 ? scaleMax : 1;
  // Hundredths of a percent: finer than any screen shows, and no float noise in the styles.
  const pct = (x: number) => Math.round(Math.min(100, Math.max(0, (x / max) * 100)) * 100) / 100;
  const bandStart = pct(Math.min(low, high));
  return { bandStart, bandWidth: pct(Math.max(low, high)) - bandStart, value: pct(value) };
}

/**
 * The end of a scale with room for the band and every value: a quarter more than the largest
 * of them, rounded up to a multiple of `round`, so neither the band nor a bar ends at the edge.
 */
export function scaleEnd(values: readonly (number | null)[], [, high]: Band, round = 5): number {
  const largest = Math.max(high, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const step = round > 0 ? round : 1;
  return Math.max(step, Math.ceil((largest * 1.25) / step) * step);
}
