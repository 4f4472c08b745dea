import { describe, expect, test } from 'vitest';
import { canStart, decisions, edited, emailProblem, gate, newParticipant, type ParticipantDraft } from './consent';

const person = (name: string, choice: ParticipantDraft['choice'], email = ''): ParticipantDraft => ({
  ...newParticipant(name, email),
  choice,
});

describe('consent gate', () => {
  test('nobody listed: cannot start', () => {
    expect(gate([])).toEqual({ kind: 'no-participants' });
    expect(decisions([])).toBeNull();
  });

  test('waits for everyone who has not opted in, naming them', () => {
    const list = [person('Ana', 'granted'), person('Ben', 'undecided'), person('Cleo', 'undecided')];
    expect(gate(list)).toEqual({ kind: 'waiting', names: ['Ben', 'Cleo'] });
    expect(canStart(list)).toBe(false);
  });

  test('opens only when every participant opted in', () => {
    const list = [person('Ana', 'granted', ' ana@x.rs '), person('Ben', 'granted')];
    expect(gate(list)).toEqual({ kind: 'ready' });
    expect(decisions(list)).toEqual([
      { name: 'Ana', email: 'ana@x.rs', decision: 'granted' },
      { name: 'Ben', email: null, decision: 'granted' },
    ]);
  });

  test('one decline overrides every yes and yields no request', () => {
    const list = [person('Ana', 'granted'), person('Ben', 'declined'), person('Cleo', 'granted')];
    expect(gate(list)).toEqual({ kind: 'declined', who: 'Ben' });
    expect(decisions(list)).toBeNull();
  });

  test('an unnamed participant blocks the start even if opted in', () => {
    expect(gate([person('Ana', 'granted'), person('  ', 'granted')])).toEqual({ kind: 'missing-name' });
  });

  test('a mistyped email blocks the start; an empty one does not', () => {
    expect(emailProblem('')).toBe(false);
    expect(emailProblem('ana@example.com')).toBe(false);
    expect(emailProblem('ana.example.com')).toBe(true);
    expect(gate([person('Ana', 'granted', 'ana@')])).toEqual({ kind: 'invalid-email' });
  });

  test('every combination of choices: start allowed exactly when all granted', () => {
    const choices: ParticipantDraft['choice'][] = ['undecided', 'granted', 'declined'];
    for (const a of choices)
      for (const b of choices)
        for (const c of choices) {
          const list = [person('A', a), person('B', b), person('C', c)];
          expect(canStart(list)).toBe(a === 'granted' && b === 'granted' && c === 'granted');
          expect(gate(list).kind === 'declined').toBe([a, b, c].includes('declined'));
        }
  });

  test('renaming someone voids their earlier answer; re-typing the same keeps it', () => {
    const ana = person('Ana', 'granted');
    expect(edited(ana, { name: 'Anna' }).choice).toBe('undecided');
    expect(edited(ana, { email: 'a@b.rs' }).choice).toBe('undecided');
    expect(edited(ana, { name: 'Ana' }).choice).toBe('granted');
  });

  test('new participants get distinct keys and start undecided', () => {
    const a = newParticipant();
    const b = newParticipant();
    expect(a.key).not.toBe(b.key);
    expect(a.choice).toBe('undecided');
  });
});
