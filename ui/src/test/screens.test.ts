// The call-detail and contact screens rendered from the JSON the Rust side
// really produces (src/lib/contract-samples). If the shell's output changes
// shape, these fail before a user sees a blank or broken screen.
import { describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import CallDetailScreen from '../screens/CallDetailScreen.svelte';
import CallsScreen from '../screens/CallsScreen.svelte';
import ContactDetailScreen from '../screens/ContactDetailScreen.svelte';
import { i18n } from '../lib/i18n/index.svelte';
import { samples } from '../lib/contract-samples';
import type { CallDetail, CallSharing } from '../lib/api';

function serve(call: CallDetail) {
  const log: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    log.push({ cmd, args });
    if (cmd === 'get_call') return call;
    if (cmd === 'audio_url') return null;
    if (cmd === 'get_contact') return samples.getContact();
    if (cmd === 'team_call_sharing') return null;
    throw `unexpected command ${cmd}`;
  }, { shouldMockEvents: true });
  return log;
}

/** Text a reader would see: no "undefined", "NaN" or unfilled {placeholder} anywhere. */
function expectCleanText(): void {
  const text = document.body.textContent ?? '';
  expect(text).not.toMatch(/undefined|NaN|\{\w+\}/);
}

describe('the call’s team switch', () => {
  const standing = (over: Partial<CallSharing>): CallSharing => ({
    chosen: true,
    decided_by: 'call',
    policy: 'chosen-calls',
    held_back: null,
    waiting: false,
    ...over,
  });
  const cases: [Partial<CallSharing>, string, string][] = [
    [{}, 'In the team library.', 'U biblioteci tima.'],
    [{ waiting: true }, 'Goes to the team library at the next sync.', 'Ide u biblioteku tima pri sledećoj sinhronizaciji.'],
    [{ held_back: 'consent-missing' }, 'Stays on this computer: not everyone on this call consented to the recording, so it is never shared.', 'Ostaje na ovom računaru: nisu svi u ovom pozivu pristali na snimanje, pa se nikada ne deli.'],
    [{ held_back: 'not-ready' }, 'Goes to the team library once its notes are ready.', 'Ide u biblioteku tima kada beleške budu spremne.'],
    [{ chosen: false, decided_by: 'policy', held_back: 'not-chosen' }, 'Stays on this computer.', 'Ostaje na ovom računaru.'],
  ];

  test.each(cases)('%o reads the same in both languages', async (over, en, sr) => {
    for (const [locale, text, heading] of [
      ['en', en, 'Team library'],
      ['sr-Latn', sr, 'Biblioteka tima'],
    ] as const) {
      i18n.locale = locale;
      mockIPC((cmd) => {
        if (cmd === 'get_call') return samples.getCall();
        if (cmd === 'audio_url') return null;
        if (cmd === 'team_call_sharing') return standing(over);
        throw `unexpected command ${cmd}`;
      }, { shouldMockEvents: true });
      const { unmount } = render(CallDetailScreen, { id: 1 });
      const region = await screen.findByRole('region', { name: heading });
      expect(within(region).getByRole('status')).toHaveTextContent(text);
      const on = over.chosen ?? true;
      expect(within(region).getByRole('switch')).toHaveAttribute('aria-checked', String(on));
      expectCleanText();
      unmount();
    }
    i18n.locale = 'en';
  });

  test('a sync moves the standing on without reopening the call', async () => {
    i18n.locale = 'en';
    let synced = false;
    mockIPC(
      (cmd) => {
        if (cmd === 'get_call') return samples.getCall();
        if (cmd === 'audio_url') return null;
        if (cmd === 'team_call_sharing') return standing({ waiting: !synced });
        throw `unexpected command ${cmd}`;
      },
      { shouldMockEvents: true },
    );
    const { unmount } = render(CallDetailScreen, { id: 1 });
    const region = await screen.findByRole('region', { name: 'Team library' });
    expect(within(region).getByRole('status')).toHaveTextContent('Goes to the team library at the next sync.');
    synced = true;
    await emit('zapis://team-synced', null);
    await vi.waitFor(() => expect(within(region).getByRole('status')).toHaveTextContent('In the team library.'));
    unmount();
  });

  test('a library in no team shows no switch', async () => {
    i18n.locale = 'en';
    const log = serve(samples.getCall());
    render(CallDetailScreen, { id: 1 });
    await screen.findByRole('heading', { level: 1 });
    await vi.waitFor(() => expect(log.some((e) => e.cmd === 'team_call_sharing')).toBe(true));
    expect(screen.queryByRole('region', { name: 'Team library' })).toBeNull();
  });
});

describe('call detail from get_call.json', () => {
  test('shows the summary, the stored action items, sentiment and talk metrics', async () => {
    i18n.locale = 'en';
    const call = samples.getCall();
    const log = serve(call);
    render(CallDetailScreen, { id: call.id });

    expect(await screen.findByRole('heading', { name: '03 pricing negotiation' })).toBeInTheDocument();
    expect(log.find((e) => e.cmd === 'get_call')?.args).toEqual({ id: 1 });
    expect(screen.getByText(/Priya Nair \(Rep\), Tom Becker \(Customer\)/)).toBeInTheDocument();

    const summary = screen.getByRole('region', { name: 'Summary' });
    // Topics under their headings, then the next steps and the customer's concerns.
    const headings = within(summary).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(['Budget and proposal', 'Next steps', 'Customer concerns']);
    expect(within(summary).getByText('Priya Nair: If we drop you to standard support, that brings it down to about forty-six.')).toBeInTheDocument();
    expect(within(summary).getByText('Tom Becker: The number is higher than we budgeted, though.')).toBeInTheDocument();
    // The line's source link points at segment 9, which starts at 1:00.
    expect(within(summary).getAllByRole('button', { name: 'Go to the transcript at 1:00' })).toHaveLength(1);

    const items = screen.getByRole('region', { name: 'Action items' });
    expect(within(items).getAllByRole('checkbox')).toHaveLength(6);
    expect(within(items).getByRole('checkbox', { name: "Done: Put together a side-by-side of one-year versus two-year pricing" })).not.toBeChecked();
    expect(within(items).getByText(/Due 5 Mar 2026/)).toBeInTheDocument();

    const metrics = screen.getByRole('region', { name: 'Talk metrics' });
    expect(within(metrics).getByText('53%')).toBeInTheDocument();
    expect(within(metrics).getByText('47%')).toBeInTheDocument();
    expect(within(metrics).getByText('Priya Nair, 0:11 (from 0:42)')).toBeInTheDocument();

    const sentiment = screen.getByRole('region', { name: 'Sentiment' });
    expect(within(sentiment).getByText(/^Customer: Neutral \([−-]0\.05\)$/)).toBeInTheDocument();
    expect(within(sentiment).getByRole('img')).toBeInTheDocument();

    const keywords = screen.getByRole('region', { name: 'Keywords' });
    expect(within(keywords).getByText('support tier')).toBeInTheDocument();

    expect(screen.getAllByRole('listitem').some((li) => li.textContent?.includes('Hey Tom, thanks for hopping on.'))).toBe(true);
    // A clean recording has nothing to report.
    expect(screen.queryByRole('region', { name: 'Recording problems' })).toBeNull();
    expectCleanText();
  });

  test('audio lost during capture is shown with the call, in both languages', async () => {
    const call = samples.getCall();
    const note = 'audio was lost during capture (system: 0.1 s in 1 gap); those stretches are silence in the recording';
    call.capture_notes = [note];
    for (const [locale, heading] of [
      ['en', 'Recording problems'],
      ['sr-Latn', 'Problemi pri snimanju'],
    ] as const) {
      i18n.locale = locale;
      serve(call);
      const { unmount } = render(CallDetailScreen, { id: call.id });
      const region = await screen.findByRole('region', { name: heading });
      expect(within(region).getByText(note)).toBeInTheDocument();
      expectCleanText();
      unmount();
    }
    i18n.locale = 'en';
  });

  test('says which model made the transcript, in both languages, and nothing for a text import', async () => {
    const imported = samples.getCall();
    expect(imported.transcribed_with).toBeNull();
    serve(imported);
    const first = render(CallDetailScreen, { id: imported.id });
    await screen.findByRole('heading', { level: 1 });
    expect(document.body.textContent).not.toContain('transcribed on this computer');
    first.unmount();

    const recorded = { ...samples.getCall(), transcribed_with: 'base' };
    for (const [locale, line] of [
      ['en', 'transcribed on this computer with base'],
      ['sr-Latn', 'transkribovano na ovom računaru modelom base'],
    ] as const) {
      i18n.locale = locale;
      serve(recorded);
      const { unmount } = render(CallDetailScreen, { id: recorded.id });
      await screen.findByText(line, { exact: false });
      expectCleanText();
      unmount();
    }
    i18n.locale = 'en';
  });

  test('a one-channel recording says its voices are not told apart, then offers the rep’s name', async () => {
    const call = { ...samples.getCall(), one_channel: true };
    let voices: unknown[] = [];
    mockIPC((cmd) => {
      if (cmd === 'get_call') return call;
      if (cmd === 'call_voices') return voices;
      if (cmd === 'audio_url' || cmd === 'team_call_sharing') return null;
      throw `unexpected command ${cmd}`;
    }, { shouldMockEvents: true });
    for (const [locale, heading, hint] of [
      ['en', 'Voices in the recording', 'no line is credited to anyone'],
      ['sr-Latn', 'Glasovi u snimku', 'nijedan red nije pripisan nikome'],
    ] as const) {
      i18n.locale = locale;
      const { unmount } = render(CallDetailScreen, { id: call.id });
      await screen.findByText(hint, { exact: false });
      expect(screen.getByRole('region', { name: heading })).toHaveTextContent(hint);
      expectCleanText();
      unmount();
    }
    i18n.locale = 'en';

    // Told apart: the rep's own name is among the names a voice may take.
    voices = [
      { voice: 0, label: 'Speaker 2', named_by: 'anonymous', speech_ms: 60_000, lines: 2, has_voiceprint: true, segments: [1, 3] },
    ];
    const { container } = render(CallDetailScreen, { id: call.id });
    await screen.findByText('Your voice is recognised from your earlier recorded calls', { exact: false });
    const offered = [...container.querySelectorAll('#voice-people option')].map((o) => o.getAttribute('value'));
    expect(offered).toEqual(['Priya Nair', 'Tom Becker']);
    expectCleanText();
  });

  test('a wrong name comes off a voice in one click: "Not me" on the rep\'s, "Not Tom Becker" on another', async () => {
    const call = { ...samples.getCall(), one_channel: true };
    let voices = [
      { voice: 0, label: 'Priya Nair', named_by: 'earlier-call', speech_ms: 60_000, lines: 2, has_voiceprint: true, segments: [1, 3] },
      { voice: 1, label: 'Tom Becker', named_by: 'introduction', speech_ms: 30_000, lines: 1, has_voiceprint: true, segments: [2] },
    ];
    const unnamed: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'get_call') return call;
      if (cmd === 'call_voices') return voices;
      if (cmd === 'unname_voice') {
        unnamed.push(args);
        voices = voices.map((v) => (v.voice === 0 ? { ...v, label: 'Speaker 2', named_by: 'anonymous' } : v));
        return voices;
      }
      if (cmd === 'audio_url' || cmd === 'team_call_sharing') return null;
      throw `unexpected command ${cmd}`;
    }, { shouldMockEvents: true });
    i18n.locale = 'sr-Latn';
    const first = render(CallDetailScreen, { id: call.id });
    await screen.findByRole('button', { name: 'Nisam ja' });
    expect(screen.getByRole('button', { name: 'Nije Tom Becker' })).toBeInTheDocument();
    expectCleanText();
    first.unmount();
    i18n.locale = 'en';
    render(CallDetailScreen, { id: call.id });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Not me' }));
    await screen.findByText('Speaker 2', { selector: 'strong' });
    expect(unnamed).toEqual([{ callId: call.id, voice: 0 }]);
    // An anonymous voice has no name to take off.
    expect(screen.queryByRole('button', { name: 'Not me' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Not Tom Becker' })).toBeInTheDocument();
  });

  test('a colleague is put on the rep\'s side with one tick, and the call is reloaded', async () => {
    let call = samples.getCall();
    const speakers = [...new Set(call.transcript.map((s) => s.speaker))];
    expect(speakers).toEqual(['Priya Nair', 'Tom Becker']);
    const asked: unknown[] = [];
    let loads = 0;
    let refuse: string | null = null;
    mockIPC((cmd, args) => {
      if (cmd === 'get_call') {
        loads += 1;
        return call;
      }
      if (cmd === 'call_voices') return [];
      if (cmd === 'set_speaker_side') {
        if (refuse) throw refuse;
        asked.push(args);
        call = { ...call, transcript: call.transcript.map((s) => ({ ...s, role: 'rep' as const })) };
        return null;
      }
      if (cmd === 'audio_url' || cmd === 'team_call_sharing') return null;
      throw `unexpected command ${cmd}`;
    }, { shouldMockEvents: true });
    i18n.locale = 'sr-Latn';
    const first = render(CallDetailScreen, { id: call.id });
    const serbian = await screen.findByRole('region', { name: 'Ko je na vašoj strani' });
    expect(within(serbian).getByRole('checkbox', { name: 'Tom Becker je na mojoj strani' })).not.toBeChecked();
    expectCleanText();
    first.unmount();

    i18n.locale = 'en';
    render(CallDetailScreen, { id: call.id });
    const sides = await screen.findByRole('region', { name: 'Who is on your side' });
    // The only speaker on the rep's side cannot be taken off it.
    expect(within(sides).getByRole('checkbox', { name: 'Priya Nair is on my side' })).toBeDisabled();
    const before = loads;
    await userEvent.setup().click(within(sides).getByRole('checkbox', { name: 'Tom Becker is on my side' }));
    expect(asked).toEqual([{ callId: call.id, speaker: 'Tom Becker', side: 'rep' }]);
    await waitFor(() => expect(loads).toBeGreaterThan(before));
    await waitFor(() =>
      expect(within(sides).getByRole('checkbox', { name: 'Priya Nair is on my side' })).toBeEnabled(),
    );
    expect(within(sides).getByRole('checkbox', { name: 'Tom Becker is on my side' })).toBeChecked();

    // A refused change leaves the box as the library has it, and says why.
    refuse = 'invalid speaker side: Priya Nair is the only speaker on your side of call 1';
    await userEvent.setup().click(within(sides).getByRole('checkbox', { name: 'Priya Nair is on my side' }));
    await within(sides).findByRole('alert');
    expect(within(sides).getByRole('alert')).toHaveTextContent('only speaker on your side');
    expect(within(sides).getByRole('checkbox', { name: 'Priya Nair is on my side' })).toBeChecked();
  });

  test('says when the action items come from the rules alone, in both languages', async () => {
    for (const [locale, heading, hint] of [
      ['en', 'Action items', 'Found by the rules alone. With the sentence model (zapis model install minilm)'],
      ['sr-Latn', 'Zadaci', 'Pronađeno samo pravilima. Sa modelom rečenica (zapis model install minilm)'],
    ] as const) {
      i18n.locale = locale;
      const call = samples.getCall();
      expect(call.insights!.by_meaning).toBe(false);
      serve(call);
      const { unmount } = render(CallDetailScreen, { id: call.id });
      const items = await screen.findByRole('region', { name: heading });
      expect(items).toHaveTextContent(hint);
      expectCleanText();
      unmount();
    }

    // With the sentence model, or for a Serbian call (the model reads English only), no hint.
    i18n.locale = 'en';
    for (const change of [{ by_meaning: true }, { language: 'sr-Latn' }]) {
      const call = samples.getCall();
      if ('by_meaning' in change) call.insights = { ...call.insights!, by_meaning: true };
      else call.language = change.language;
      serve(call);
      const { unmount } = render(CallDetailScreen, { id: call.id });
      const items = await screen.findByRole('region', { name: 'Action items' });
      expect(items).not.toHaveTextContent('rules alone');
      unmount();
    }
  });

  test('a call without sentiment (Serbian) shows the language notes instead', async () => {
    i18n.locale = 'en';
    const call = samples.getCall();
    const notes = [
      'Sentiment is not computed for sr-Latn transcripts: the lexicon model (VADER) is English-only.',
      'The summary for sr-Latn is extractive with Serbian stop words but without filler and small-talk filtering, which is English-only.',
    ];
    call.language = 'sr-Latn';
    call.sentiment = null;
    call.insights = { ...call.insights!, sentiment: null, action_items: [], language_notes: notes, metrics: { ...call.insights!.metrics, longest_monologue: null } };
    call.action_items = [];
    serve(call);
    render(CallDetailScreen, { id: call.id });

    const sentiment = await screen.findByRole('region', { name: 'Sentiment' });
    expect(within(sentiment).getByText(notes[0]!)).toBeInTheDocument();
    expect(within(sentiment).getByText(notes[1]!)).toBeInTheDocument();
    expect(within(sentiment).queryByRole('img')).toBeNull();
    expect(screen.getByText('No action items were found in this call.')).toBeInTheDocument();
    expect(screen.getByText('None')).toBeInTheDocument();
    expectCleanText();
  });
});

describe('contact from get_contact.json', () => {
  test('shows the history and the open action items', async () => {
    i18n.locale = 'en';
    const log = serve(samples.getCall());
    render(ContactDetailScreen, { email: 'tom@acme.example' });

    expect(await screen.findByRole('heading', { name: 'Tom Becker', level: 1 })).toBeInTheDocument();
    expect(log.find((e) => e.cmd === 'get_contact')?.args).toEqual({ email: 'tom@acme.example' });
    expect(screen.getByText('Acme · tom@acme.example')).toBeInTheDocument();

    const history = screen.getByRole('region', { name: 'Call history' });
    expect(within(history).getByRole('link', { name: '03 pricing negotiation' })).toHaveAttribute('href', '#/calls/1');

    const open = screen.getByRole('region', { name: 'Open action items' });
    expect(within(open).getAllByRole('checkbox')).toHaveLength(6);
    expect(within(open).getByText('Pencil in Wednesday afternoon')).toBeInTheDocument();
    expectCleanText();
  });
});

describe('the lines a search finds', () => {
  test('lines indexed in the background: the search on screen runs again and finds them by meaning', async () => {
    i18n.locale = 'en';
    let indexed = false;
    const searches: unknown[] = [];
    mockIPC(
      (cmd, args) => {
        if (cmd === 'list_calls' || cmd === 'list_contacts') return [];
        if (cmd === 'search_lines') {
          searches.push(args);
          const line = (segment_id: number, text: string, similarity: number | null) => ({
            call_id: 7,
            call_title: 'Acme renewal',
            call_started_at: '2026-11-30T10:00:00Z',
            segment_id,
            speaker: 'Omar',
            start_ms: segment_id * 1000,
            text,
            by_words: similarity === null,
            similarity,
          });
          const byWords = line(40, 'Any pricing objections from procurement?', null);
          if (!indexed) return { lines: [byWords], by_meaning: true, lines_not_indexed: 3 };
          const byMeaning = line(41, 'Honestly, the cost is more than we can justify.', 0.42);
          return { lines: [byWords, byMeaning], by_meaning: true, lines_not_indexed: 0 };
        }
        throw `unexpected command ${cmd}`;
      },
      { shouldMockEvents: true },
    );
    const { unmount } = render(CallsScreen);
    await userEvent.type(screen.getByLabelText('Search'), 'pricing objections');
    await screen.findByText(/^3 lines are not indexed for meaning yet/);
    indexed = true;
    await emit('zapis://lines-indexed', null);
    await screen.findByText(/Honestly, the cost/);
    expect(screen.queryByText(/not indexed for meaning yet/)).toBeNull();
    expect(searches.at(-1)).toEqual({ query: 'pricing objections', limit: 8 });
    expectCleanText();
    unmount();
  });
});
