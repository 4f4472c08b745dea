// Consent gating, kept pure so every rule is unit-tested: the Start button and
// the decline path are driven only by these functions.
import type { ConsentDecision } from './api';

export type Choice = 'undecided' | 'granted' | 'declined';

export interface ParticipantDraft {
  key: number;
  name: string;
  email: string;
  choice: Choice;
}

export type Gate =
  | { kind: 'ready' }
  | { kind: 'declined'; who: string }
  | { kind: 'no-participants' }
  | { kind: 'missing-name' }
  | { kind: 'invalid-email' }
  | { kind: 'waiting'; names: string[] };

// Deliberately loose: the point is to catch typos like a missing "@", not to
// second-guess addresses the CRM already holds.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): boolean {
  const trimmed = email.trim();
  return trimmed !== '' && !EMAIL.test(trimmed);
}

/** Decline wins over everything: one "no" means nothing is recorded. */
export function gate(participants: readonly ParticipantDraft[]): Gate {
  const decliner = participants.find((p) => p.choice === 'declined');
  if (decliner) return { kind: 'declined', who: decliner.name.trim() };
  if (participants.length === 0) return { kind: 'no-participants' };
  if (participants.some((p) => p.name.trim() === '')) return { kind: 'missing-name' };
  if (participants.some((p) => emailProblem(p.email))) return { kind: 'invalid-email' };
  const waiting = participants.filter((p) => p.choice !== 'granted').map((p) => p.name.trim());
  if (waiting.length > 0) return { kind: 'waiting', names: waiting };
  return { kind: 'ready' };
}

export function canStart(participants: readonly ParticipantDraft[]): boolean {
  return gate(participants).kind === 'ready';
}

/**
 * The request body for start_recording. Refuses (returns null) unless the gate
 * is open, so a caller cannot build a request for a call someone declined.
 */
export function decisions(participants: readonly ParticipantDraft[]): ConsentDecision[] | null {
  if (!canStart(participants)) return null;
  return participants.map((p) => ({
    name: p.name.trim(),
    email: p.email.trim() === '' ? null : p.email.trim(),
    decision: 'granted',
  }));
}

let nextKey = 1;

export function newParticipant(name = '', email = ''): ParticipantDraft {
  return { key: nextKey++, name, email, choice: 'undecided' };
}

/** Editing a person's name or email voids their earlier answer: they agreed as someone else. */
export function edited(p: ParticipantDraft, change: Partial<Pick<ParticipantDraft, 'name' | 'email'>>): ParticipantDraft {
  const name = change.name ?? p.name;
  const email = change.email ?? p.email;
  const same = name === p.name && email === p.email;
  return { ...p, name, email, choice: same ? p.choice : 'undecided' };
}
