// Pure helpers for the live transcript, tested without Svelte.
import type { Role, SegmentEvent } from '../api';

export interface LiveSegment {
  final: boolean;
  /** Which channel said it: the microphone (rep) or system audio (customer). */
  speaker: Role;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  text: string;
}

/**
 * Merges one segment event into the live transcript. Each channel has at most
 * one provisional segment: a newer partial or the final text replaces it.
 * Finals stay in time order; the provisional ones follow them.
 */
export function applySegment(list: readonly LiveSegment[], event: SegmentEvent): LiveSegment[] {
  const kept = list.filter((s) => s.final || s.speaker !== event.speaker);
  const segment: LiveSegment = {
    final: event.final,
    speaker: event.speaker,
    start: event.start,
    end: event.end,
    text: event.text,
  };
  const finals = kept.filter((s) => s.final);
  const partials = kept.filter((s) => !s.final);
  if (segment.final) {
    if (segment.text.trim() !== '') finals.push(segment);
    finals.sort((a, b) => a.start - b.start);
  } else {
    partials.push(segment);
    partials.sort((a, b) => a.start - b.start);
  }
  return [...finals, ...partials];
}

/** Milliseconds since an RFC 3339 start time; 0 when unknown or in the future. */
export function elapsedMs(startedAt: string | null, now: number): number {
  if (!startedAt) return 0;
  const start = Date.parse(startedAt);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, now - start);
}
