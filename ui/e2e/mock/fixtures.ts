// Test data for the mocked shell, built from the real JSON the Rust side
// produced (src/lib/contract-samples): call 1, its contact and the settings are
// the samples verbatim; the other calls and contacts vary them with the same
// keys. Deterministic, so screenshots are stable.
import type { ActionItem, CallDetail, CallSummary, Contact, Notice, Sentiment } from '../../src/lib/api';
import { samples } from '../../src/lib/contract-samples';

const SAMPLE_CALL = samples.getCall();
const SAMPLE_SUMMARY = samples.listCalls()[0]!;
const SAMPLE_CONTACT = samples.listContacts()[0]!;
const REP = SAMPLE_CALL.people.find((p) => p.role === 'rep')!.name;
const SAMPLE_CUSTOMER = SAMPLE_CALL.people.find((p) => p.role === 'customer')!;

const PEOPLE: [name: string, email: string, account: string][] = [
  [SAMPLE_CONTACT.name, SAMPLE_CONTACT.email, SAMPLE_CONTACT.account ?? ''],
  ['Ana Petrović', 'ana.petrovic@delta-logistika.rs', 'Delta Logistika'],
  ['James Carter', 'james.carter@northwind.example', 'Northwind Traders'],
  ['Marko Jovanović', 'marko@jovanovic-gradnja.rs', 'Jovanović Gradnja'],
  ['Lena Müller', 'lena.mueller@fabrikam.example', 'Fabrikam'],
];

const TOPICS = ['Discovery', 'Demo', 'Pricing', 'Renewal', 'Objection handling', 'Onboarding'];
const SENTIMENTS: Sentiment[] = ['positive', 'neutral', 'negative'];

// What the core writes for Serbian calls (src/insights/mod.rs), which have no sentiment.
export const SERBIAN_NOTES = [
  'Action items are not detected for sr-Latn transcripts: the commitment and due-date rules are English-only.',
  'Sentiment is not computed for sr-Latn transcripts: the lexicon model (VADER) is English-only.',
  'The summary for sr-Latn is extractive with Serbian stop words but without filler and small-talk filtering, which is English-only.',
];

function isSerbian(i: number): boolean {
  return i % 4 === 3;
}

export function makeCalls(count: number): CallSummary[] {
  const base = Date.parse(SAMPLE_SUMMARY.started_at);
  return Array.from({ length: count }, (_, i): CallSummary => {
    if (i === 0) return { ...SAMPLE_SUMMARY };
    const person = PEOPLE[i % PEOPLE.length]!;
    return {
      ...SAMPLE_SUMMARY,
      id: SAMPLE_SUMMARY.id + i,
      title: `${TOPICS[i % TOPICS.length]} — ${person[2]}`,
      started_at: new Date(base - i * 3_600_000 * 7).toISOString().replace('.000Z', 'Z'),
      duration_ms: 240_000 + ((i * 37_000) % 2_400_000),
      language: isSerbian(i) ? 'sr-Latn' : 'en',
      source: i % 7 === 6 ? 'imported-transcript' : 'recorded',
      status: i === 2 ? 'processing' : 'ready',
      participants: [REP, person[0]],
      sentiment: isSerbian(i) ? null : SENTIMENTS[i % SENTIMENTS.length]!,
    };
  });
}

export const contacts: Contact[] = PEOPLE.map(([name, email, account], i) =>
  i === 0
    ? { ...SAMPLE_CONTACT }
    : {
        ...SAMPLE_CONTACT,
        id: SAMPLE_CONTACT.id + i,
        email,
        name,
        account,
        crm_id: `003${String(i).padStart(5, '0')}`,
        calls: 12 - i,
        open_action_items: (i * 2) % 5,
        last_call_at: new Date(Date.UTC(2026, 1, 28 - i, 9)).toISOString().replace('.000Z', 'Z'),
      },
);

/** The sample call, retold for another call of the library: its customer and ids. */
export function makeDetail(summary: CallSummary): CallDetail {
  if (summary.id === SAMPLE_CALL.id) return { ...samples.getCall(), ...summary };
  const customer = summary.participants[1] ?? SAMPLE_CUSTOMER.name;
  const email = contacts.find((c) => c.name === customer)?.email ?? null;
  const retold = JSON.parse(
    JSON.stringify(SAMPLE_CALL).replaceAll(SAMPLE_CUSTOMER.name, customer).replaceAll(SAMPLE_CUSTOMER.email ?? '', email ?? ''),
  ) as CallDetail;
  const detail: CallDetail = {
    ...retold,
    ...summary,
    audio_dir: summary.source === 'recorded' ? `/home/rep/.local/share/zapis/calls/${summary.id}` : null,
    action_items: retold.action_items.map((a, n): ActionItem => ({ ...a, id: summary.id * 100 + n + 1, call_id: summary.id })),
  };
  if (summary.language === 'sr-Latn' && detail.insights) {
    detail.insights = { ...detail.insights, sentiment: null, action_items: [], language_notes: SERBIAN_NOTES };
    detail.action_items = [];
  }
  return detail;
}

export const notices: Record<'en' | 'sr-Latn', Notice> = {
  en: {
    version: 'en-1',
    language: 'en',
    text: 'This call is recorded by Zapis so that I can keep accurate notes. What is recorded: your voice and anything shared in the call. Transcription and analysis happen only on this computer. You have the right to know, and the right to say no: if you decline, nothing is recorded. You can ask for a copy of your data or for it to be erased at any time.',
    script: 'Before we start: I would like to record this call with Zapis to keep accurate notes. It stays on my computer. Is that all right with everyone?',
    chat_line: 'I would like to record this call with Zapis (stays on my device) — reply "no" and I will not record.',
  },
  'sr-Latn': {
    version: 'sr-Latn-1',
    language: 'sr-Latn',
    text: 'Ovaj poziv snima Zapis da bih imao tačne beleške. Snima se: vaš glas i sve što se deli u pozivu. Prepisivanje i analiza obavljaju se samo na ovom računaru. Imate pravo da znate i pravo da kažete ne: ako odbijete, ništa se ne snima. U svakom trenutku možete zatražiti kopiju svojih podataka ili njihovo brisanje.',
    script: 'Pre nego što počnemo: želeo bih da snimim ovaj poziv Zapisom radi tačnih beležaka. Snimak ostaje na mom računaru. Da li se svi slažu?',
    chat_line: 'Želeo bih da snimim ovaj poziv Zapisom (ostaje na mom uređaju) — odgovorite „ne” i neću snimati.',
  },
};

export const settings = samples.getSettings();

/** The team library as the team commands' contract samples show it. */
export const team = {
  status: () => samples.teamStatus(),
  sync: () => samples.teamSync(),
  overview: () => samples.teamOverview(),
  accountHistory: () => samples.teamAccountHistory(),
  search: () => samples.teamSearch(),
};
