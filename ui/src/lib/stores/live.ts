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
 * Merges one segment event into the live transcript, as the shell sends them:
 * while recording, each finished utterance comes once as a live line
 * (`final: false`); after the call, the final pass sends `final: true` lines,
 * each replacing the live lines of its channel that it overlaps in time.
 * Lines stay in the order they were said.
 */
export function applySegment(list: readonly LiveSegment[], event: SegmentEvent): LiveSegment[] {
  const segment: LiveSegment = {
    final: event.final,
    speaker: event.speaker,
    start: event.start,
    end: event.end,
    text: event.text,
  };
  const replaced = (s: LiveSegment): boolean =>
    s.speaker === segment.speaker &&
    (s.start === segment.start ||
      (segment.final && !s.final && s.start < segment.end && segment.start < s.end));
  const kept = list.filter((s) => !replaced(s));
  if (segment.text.trim() !== '') kept.push(segment);
  return kept.sort((a, b) => a.start - b.start);
}

/** Milliseconds since an RFC 3339 start time; 0 when unknown or in the future. */
export function elapsedMs(startedAt: string | null, now: number): number {
  if (!startedAt) return 0;
  const start = Date.parse(startedAt);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, now - start);
}
