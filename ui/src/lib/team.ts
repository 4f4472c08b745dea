// The team view's small rules, kept out of the components so they are tested.
import type { RepOverview } from './api';

/**
 * Teammates by their team login (what shared calls and search hits name them by), for showing
 * their names; a login the overview does not list shows as itself.
 */
export function repNamer(reps: readonly RepOverview[]): (rep: string) => string {
  const names = new Map(reps.map((r) => [r.rep, r.name.trim() || r.rep]));
  return (rep) => names.get(rep) ?? rep;
}

/** An address that carries a password (`postgres://user:secret@host/db`, `password=…`). */
export function addressHasPassword(address: string): boolean {
  if (/(^|[\s?&])password\s*=/i.test(address)) return true;
  const match = /^postgres(?:ql)?:\/\/([^@/?#]*)@/i.exec(address.trim());
  return match !== null && match[1]!.includes(':');
}
