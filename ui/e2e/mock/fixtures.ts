// Test data for the mocked shell. Deterministic, so screenshots are stable.
import type {
  ActionItem,
  CallDetail,
  CallSummary,
  Contact,
  Notice,
  Segment,
  Sentiment,
  Settings,
} from '../../src/lib/api';

const PEOPLE = [
  ['Ana Petrović', 'ana.petrovic@delta-logistika.rs', 'Delta Logistika'],
  ['James Carter', 'james.carter@northwind.example', 'Northwind Traders'],
  ['Marko Jovanović', 'marko@jovanovic-gradnja.rs', 'Jovanović Gradnja'],
  ['Priya Shah', 'priya.shah@contoso.example', 'Contoso'],
  ['Lena Müller', 'lena.mueller@fabrikam.example', 'Fabrikam'],
] as const;

const TOPICS = ['Discovery', 'Demo', 'Pricing', 'Renewal', 'Objection handling', 'Onboarding'];
const SENTIMENTS: (Sentiment | null)[] = ['positive', 'neutral', 'negative', 'positive', null];

export function makeCalls(count: number): CallSummary[] {
  const base = Date.UTC(2025, 5, 30, 9, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const person = PEOPLE[i % PEOPLE.length]!;
    return {
      id: `call-${i + 1}`,
      title: `${TOPICS[i % TOPICS.length]} — ${person[2]}`,
      started_at: new Date(base - i * 3_600_000 * 7).toISOString(),
      duration_ms: 240_000 + ((i * 37_000) % 2_400_000),
      language: i % 4 === 3 ? 'sr' : 'en',
      source: i % 7 === 6 ? 'imported-transcript' : 'recorded',
      status: i === 2 ? 'processing' : 'ready',
      participants: ['Mila Rep', person[0]],
      segments: 40 + (i % 90),
      sentiment: SENTIMENTS[i % SENTIMENTS.length] ?? null,
    } satisfies CallSummary;
  });
}

export const contacts: Contact[] = PEOPLE.map(([name, email, account], i) => ({
  id: `contact-${i + 1}`,
  email,
  name,
  account,
  calls: 12 - i,
  open_action_items: (i * 2) % 5,
  last_call_at: new Date(Date.UTC(2025, 5, 30 - i, 9)).toISOString(),
}));

const LINES: [Segment['role'], string][] = [
  ['rep', 'Thanks for making time today. Is it all right if we go through where you are with the rollout?'],
  ['customer', 'Sure. We have about forty drivers on the new routing and the dispatch team likes it so far.'],
  ['rep', 'Great to hear. What is slowing down the other depots?'],
  ['customer', 'Honestly the price. Our CFO thinks the per-seat cost is too high for seasonal staff.'],
  ['rep', 'That is fair. We have a seasonal licence that pauses seats in the off months.'],
  ['customer', 'That could work. Can you send me the numbers for sixty seats by Friday?'],
  ['rep', "I'll send you the proposal by Friday, and let's schedule a demo for the Novi Sad depot next week."],
  ['customer', "Good. I'll loop in our CFO so she can see the savings herself."],
  ['rep', 'Perfect. Anything else you want covered in the demo?'],
  ['customer', 'Just the offline mode — the drivers lose signal near the river.'],
];

export function makeDetail(summary: CallSummary): CallDetail {
  const transcript: Segment[] = LINES.map(([role, text], i) => ({
    id: i + 1,
    speaker: role === 'rep' ? 'Mila Rep' : (summary.participants[1] ?? 'Customer'),
    role,
    start_ms: i * 21_000,
    end_ms: i * 21_000 + 18_000,
    text,
    confidence: 0.9,
  }));
  const action_items: ActionItem[] = [
    { id: `${summary.id}-a1`, text: 'Send the proposal for sixty seasonal seats', owner: 'rep', due: '2025-07-04', segment: 7, done: false },
    { id: `${summary.id}-a2`, text: 'Schedule a demo for the Novi Sad depot', owner: 'rep', due: '2025-07-09', segment: 7, done: false },
    { id: `${summary.id}-a3`, text: 'Loop in the CFO', owner: summary.participants[1] ?? 'customer', due: null, segment: 8, done: true },
  ];
  return {
    ...summary,
    ended_at: new Date(Date.parse(summary.started_at) + summary.duration_ms).toISOString(),
    audio_dir: summary.source === 'recorded' ? `/data/calls/${summary.id}` : null,
    participants: [
      { id: 'p1', name: 'Mila Rep', email: 'mila@zapis.example', role: 'rep' },
      { id: 'p2', name: summary.participants[1] ?? 'Customer', email: contacts[0]?.email ?? null, role: 'customer' },
    ],
    consent: [
      { id: 'r1', participant_name: 'Mila Rep', participant_email: 'mila@zapis.example', decision: 'granted', decided_at: summary.started_at, notice_version: 'en-1', language: 'en', method: 'on-screen' },
      { id: 'r2', participant_name: summary.participants[1] ?? 'Customer', participant_email: null, decision: 'granted', decided_at: summary.started_at, notice_version: 'en-1', language: 'en', method: 'on-screen' },
    ],
    transcript,
    action_items,
    insights: {
      summary: [
        { text: 'About forty drivers use the new routing; dispatch is happy with it.', segments: [2] },
        { text: 'Price per seat is the blocker for the other depots; a seasonal licence may fit.', segments: [4, 5] },
        { text: 'Offline mode matters: drivers lose signal near the river.', segments: [10] },
      ],
      keywords: [
        { term: 'seasonal licence', count: 3, tracked: true, first_mention_ms: 84_000 },
        { term: 'routing', count: 2, tracked: false, first_mention_ms: 21_000 },
        { term: 'offline mode', count: 1, tracked: false, first_mention_ms: 189_000 },
        { term: 'CFO', count: 2, tracked: false, first_mention_ms: 63_000 },
      ],
      sentiment: {
        customer: { score: 0.31, label: 'positive' },
        timeline: [
          { start_ms: 21_000, score: 0.5, segment: 2 },
          { start_ms: 63_000, score: -0.45, segment: 4 },
          { start_ms: 105_000, score: 0.2, segment: 6 },
          { start_ms: 147_000, score: 0.6, segment: 8 },
          { start_ms: 189_000, score: -0.1, segment: 10 },
        ],
      },
      metrics: {
        talk_ratio: { 'Mila Rep': 0.46, [summary.participants[1] ?? 'Customer']: 0.54 },
        longest_monologue: { speaker: summary.participants[1] ?? 'Customer', ms: 18_000 },
        questions: { 'Mila Rep': 3, [summary.participants[1] ?? 'Customer']: 1 },
        switches_per_minute: 2.9,
        silence_share: 0.12,
      },
      language_notes: [],
    },
  };
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

export const settings: Settings = {
  language: 'en',
  transcription_language: 'auto',
  model: 'base.en',
  mic: null,
  system: null,
  retention: { audio_days: 90, transcript_days: null },
  tracked_keywords: [
    { term: 'seasonal licence', category: 'product' },
    { term: 'Acme Routes', category: 'competitor' },
  ],
  notice_text: { en: null, 'sr-Latn': null },
};
