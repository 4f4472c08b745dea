// Validation for the Settings form, shared by the screen and its tests.
import type { Settings, TrackedKeyword } from './api';

/** Days to keep: null means forever; otherwise a whole number of at least 1. */
export function parseDays(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'invalid';
  const days = Number(trimmed);
  return days >= 1 && Number.isSafeInteger(days) ? days : 'invalid';
}

export type KeywordProblem = 'empty' | 'duplicate' | null;

export function keywordProblem(list: readonly TrackedKeyword[], term: string): KeywordProblem {
  const wanted = term.trim().toLocaleLowerCase();
  if (wanted === '') return 'empty';
  return list.some((k) => k.term.trim().toLocaleLowerCase() === wanted) ? 'duplicate' : null;
}

/** An empty notice editor means "use the built-in notice", which the shell stores as null. */
export function normalised(settings: Settings): Settings {
  const notice = (text: string | null) => (text && text.trim() !== '' ? text : null);
  return {
    ...settings,
    notice_text: { en: notice(settings.notice_text.en), 'sr-Latn': notice(settings.notice_text['sr-Latn']) },
    tracked_keywords: settings.tracked_keywords.map((k) => ({ term: k.term.trim(), category: k.category.trim() })),
  };
}
