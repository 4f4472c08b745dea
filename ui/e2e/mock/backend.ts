// A fake Tauri shell for the browser tests, bundled on its own and injected
// with an init script. It never ships: the app bundle does not import it.
// Commands, argument names and payloads follow src-tauri/src/commands/*.rs.
import { mockConvertFileSrc, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type {
  ActionItem,
  CallFilter,
  CallSharing,
  CallVoice,
  CommandError,
  EventMap,
  Membership,
  ModelInfo,
  RecordingState,
  Role,
  SharePolicy,
  StateEvent,
} from '../../src/lib/api';
import { contacts, makeCalls, makeDetail, notices, settings as defaults, team } from './fixtures';

interface MockOptions {
  calls?: number;
  failStart?: string;
  /** The user cancels the system's open/save dialogs. */
  cancelDialogs?: boolean;
  /** Already in a team; or in one whose server cannot be reached. Otherwise not in a team. */
  team?: 'joined' | 'unreachable';
  /** false: the sentence model is not installed, search matches words only. */
  sentenceModel?: boolean;
}

interface LogEntry {
  cmd: string;
  args: Record<string, unknown>;
}

declare global {
  interface Window {
    __zapisOptions?: MockOptions;
    __zapis: {
      log: LogEntry[];
      calls: (cmd: string) => Record<string, unknown>[];
      emit: (event: string, payload: unknown) => Promise<void>;
      /** Lets a pending install_model finish, so a test can look at its progress first. */
      finishInstall: () => void;
    };
  }
}

const options: MockOptions = window.__zapisOptions ?? {};
const calls = makeCalls(options.calls ?? 10_000);
const edits = new Map<number, ActionItem>();
let settings = structuredClone(defaults);
let recorder: RecordingState = { state: 'idle', call_id: null, started_at: null, participants: [] };
const models: ModelInfo[] = [
  {
    name: 'tiny.en',
    path: '/home/rep/.local/share/zapis/models/ggml-tiny.en.bin',
    bytes: 77_704_715,
    sha256: '921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f',
    kind: 'q8_0',
    multilingual: false,
    problem: null,
  },
];

/** An event with the payload type the real shell sends under that name. */
function send<K extends keyof EventMap>(name: K, payload: EventMap[K]): Promise<void> {
  return emit(name, payload);
}
let finishInstall: () => void = () => undefined;
let membership: Membership | null = options.team ? team.status().membership : null;

/** What the shell sends when the team server does not answer (code team.unreachable). */
function teamServer(): void {
  if (options.team !== 'unreachable') return;
  const error: CommandError = {
    code: 'team.unreachable',
    message: `the team server ${membership?.server ?? ''} cannot be reached (connection refused); nothing was lost: the changes wait in the queue and go with the next sync`,
    details: {},
  };
  throw error;
}

function joined(): Membership {
  if (!membership) {
    const error: CommandError = {
      code: 'invalid_input',
      message: 'invalid team: this library has not joined a team: run `zapis team join postgres://…` first',
      details: {},
    };
    throw error;
  }
  return membership;
}
/** The rep's choice per call, and the calls whose change waits for the next sync. */
const callChoices = new Map<number, boolean>();
const waitingCalls = new Set<number>();

/** Where a call stands with the team, decided as the core decides it. */
function callSharing(callId: number): CallSharing | null {
  const call = detail(callId);
  if (!membership) return null;
  const own = callChoices.get(callId);
  const chosen = own ?? membership.policy === 'all-calls';
  const consented = call.consent.length > 0 && call.consent.every((r) => r.decision === 'granted');
  return {
    chosen,
    decided_by: own === undefined ? 'policy' : 'call',
    policy: membership.policy,
    held_back: !chosen ? 'not-chosen' : !consented ? 'consent-missing' : call.status !== 'ready' ? 'not-ready' : null,
    waiting: waitingCalls.has(callId),
  };
}
const log: LogEntry[] = [];

function filterCalls(filter: CallFilter) {
  const needle = filter.search?.toLocaleLowerCase();
  const matches = calls.filter((c) => {
    if (needle && !`${c.title} ${c.participants.join(' ')}`.toLocaleLowerCase().includes(needle)) return false;
    if (filter.sentiment && c.sentiment !== filter.sentiment) return false;
    if (filter.since && c.started_at.slice(0, 10) < filter.since) return false;
    if (filter.until && c.started_at.slice(0, 10) > filter.until) return false;
    if (filter.contactEmail) {
      const contact = contacts.find((p) => p.email === filter.contactEmail);
      if (!contact || !c.participants.includes(contact.name)) return false;
    }
    return true;
  });
  const offset = filter.offset ?? 0;
  return matches.slice(offset, offset + (filter.limit ?? 200));
}

// Speakers the user moved to the other side, per call (set_speaker_side).
const sides = new Map<number, Map<string, Role>>();

function detail(id: number) {
  const summary = calls.find((c) => c.id === id);
  if (!summary) throw `no call with id ${id}`;
  const full = makeDetail(summary);
  full.action_items = full.action_items.map((a) => edits.get(a.id) ?? a);
  const moved = sides.get(id);
  if (moved) {
    full.transcript = full.transcript.map((s) => ({ ...s, role: moved.get(s.speaker) ?? s.role }));
    full.people = full.people.map((p) => ({ ...p, role: moved.get(p.name) ?? p.role }));
  }
  return full;
}

// Call 2's far side was told apart into two anonymous voices; the other calls have none.
const voices = new Map<number, CallVoice[]>([
  [
    2,
    [
      { voice: 0, label: 'Speaker 2', named_by: 'anonymous', speech_ms: 95_000, lines: 3, has_voiceprint: true, segments: [2, 4, 6] },
      { voice: 1, label: 'Speaker 3', named_by: 'anonymous', speech_ms: 41_000, lines: 2, has_voiceprint: true, segments: [8, 10] },
    ],
  ],
]);

function voicesOf(callId: number): CallVoice[] {
  detail(callId);
  return voices.get(callId) ?? [];
}

function announce(state: StateEvent['state'], callId: number, detail?: string): void {
  const event: StateEvent = { type: 'state', state, call_id: callId, ...(detail ? { detail } : {}) };
  void send('zapis://state', event);
}

/**
 * A stand-in for search by meaning over the first calls' transcripts: a line with the whole query
 * matches by words, one sharing half the longer words "by meaning". The real ranking is tested in
 * Rust.
 */
function searchLines(query: string, limit: number) {
  const needle = query.toLocaleLowerCase();
  const words = needle.split(/\s+/).filter((w) => w.length > 3);
  const lines = [];
  for (const summary of calls.slice(0, 20)) {
    for (const segment of makeDetail(summary).transcript) {
      const text = segment.text.toLocaleLowerCase();
      const byWords = text.includes(needle);
      const close = words.length > 0 && words.filter((w) => text.includes(w)).length * 2 >= words.length;
      if (!byWords && !close) continue;
      lines.push({
        call_id: summary.id,
        call_title: summary.title,
        call_started_at: summary.started_at,
        segment_id: segment.id,
        speaker: segment.speaker,
        start_ms: segment.start_ms,
        text: segment.text,
        by_words: byWords,
        similarity: options.sentenceModel === false ? null : 0.5,
      });
    }
  }
  const byMeaning = options.sentenceModel !== false;
  return {
    lines: lines.filter((l) => byMeaning || l.by_words).slice(0, limit),
    by_meaning: byMeaning,
    lines_not_indexed: 0,
  };
}

const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
  list_calls: (args) => filterCalls(args as CallFilter),
  search_lines: (args) => searchLines(String(args.query), Number(args.limit ?? 8)),
  get_call: (args) => detail(Number(args.id)),
  update_action_item: (args) => {
    const id = Number(args.id);
    const callId = id < 100 ? 1 : Math.floor(id / 100);
    const current = detail(callId).action_items.find((a) => a.id === id);
    if (!current) throw `no action item with id ${id}`;
    const { done, text, due, clearDue } = args as {
      done?: boolean;
      text?: string;
      due?: string;
      clearDue?: boolean;
    };
    const next: ActionItem = {
      ...current,
      ...(done !== undefined ? { done } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(due !== undefined ? { due } : {}),
      ...(clearDue ? { due: null } : {}),
    };
    edits.set(id, next);
    return next;
  },
  call_voices: (args) => voicesOf(Number(args.callId)),
  name_voice: (args) => {
    const list = voicesOf(Number(args.callId));
    const voice = list.find((v) => v.voice === args.voice);
    if (!voice) throw `call ${String(args.callId)} has no voice ${String(args.voice)}`;
    voice.label = String(args.name);
    voice.named_by = 'user';
    return list;
  },
  unname_voice: (args) => {
    const list = voicesOf(Number(args.callId));
    const voice = list.find((v) => v.voice === args.voice);
    if (!voice) throw `call ${String(args.callId)} has no voice ${String(args.voice)}`;
    voice.label = `Speaker ${voice.voice + 2}`;
    voice.named_by = 'anonymous';
    return list;
  },
  set_speaker_side: (args) => {
    const id = Number(args.callId);
    const speaker = String(args.speaker);
    const side = args.side;
    if (side !== 'rep' && side !== 'customer') throw `unknown side ${String(side)}`;
    const call = detail(id);
    if (!call.transcript.some((s) => s.speaker === speaker)) throw `no one called ${speaker} speaks in call ${id}`;
    const moved = sides.get(id) ?? new Map<string, Role>();
    moved.set(speaker, side);
    sides.set(id, moved);
    return null;
  },
  merge_voices: (args) => {
    const list = voicesOf(Number(args.callId));
    const from = list.find((v) => v.voice === args.from);
    const into = list.find((v) => v.voice === args.into);
    if (!from || !into || from === into) throw 'no such voices to merge';
    into.speech_ms += from.speech_ms;
    into.lines += from.lines;
    into.segments = [...into.segments, ...from.segments].sort((a, b) => a - b);
    voices.set(Number(args.callId), list.filter((v) => v !== from));
    return voices.get(Number(args.callId));
  },
  split_voice: (args) => {
    const callId = Number(args.callId);
    const lines = (args.lines as number[]) ?? [];
    const list = voicesOf(callId);
    if (lines.length === 0) throw 'no lines were chosen';
    for (const v of list) v.segments = v.segments.filter((id) => !lines.includes(id));
    const next = Math.max(...list.map((v) => v.voice)) + 1;
    list.push({
      voice: next,
      label: `Speaker ${next + 2}`,
      named_by: 'anonymous',
      speech_ms: 5_000 * lines.length,
      lines: lines.length,
      has_voiceprint: false,
      segments: lines,
    });
    const kept = list.filter((v) => v.segments.length > 0);
    for (const v of kept) v.lines = v.segments.length;
    voices.set(callId, kept);
    return kept;
  },
  delete_call: (args) => {
    const index = calls.findIndex((c) => c.id === args.id);
    if (index >= 0) calls.splice(index, 1);
    return null;
  },
  // The real shell asks in the system's save dialog; this one "chooses" Downloads.
  export_call: (args) => (options.cancelDialogs ? null : `/home/rep/Downloads/call-${String(args.id)}.${String(args.format)}`),
  // No audio files in the browser: the player shows its "not kept" hint.
  audio_url: () => null,
  notice: (args) => notices[args.language === 'sr-Latn' ? 'sr-Latn' : 'en'],
  start_recording: (args) => {
    if (options.failStart) throw options.failStart;
    const callId = (calls.at(0)?.id ?? 0) + calls.length;
    const people = (args.participants as { name: string }[]).map((p) => p.name);
    recorder = {
      state: 'recording',
      call_id: callId,
      started_at: new Date(Date.now() - 83_000).toISOString(),
      participants: people,
    };
    announce('recording', callId);
    return { call_id: callId };
  },
  stop_recording: () => {
    const callId = recorder.call_id;
    if (callId === null) throw 'nothing is being recorded';
    recorder = { state: 'idle', call_id: null, started_at: null, participants: [] };
    announce('processing', callId);
    return { call_id: callId };
  },
  withdraw_consent: () => {
    const callId = recorder.call_id;
    if (callId === null) throw 'nothing is being recorded';
    recorder = { state: 'idle', call_id: null, started_at: null, participants: [] };
    announce('purged', callId);
    return null;
  },
  recording_state: () => recorder,
  list_devices: () => [
    { name: 'alsa_input.pci-0000_00_1f.3.analog-stereo', description: 'Built-in Audio Analog Stereo', kind: 'input', is_default: true },
    { name: 'alsa_input.usb-Jabra_Evolve2_65', description: 'Jabra Evolve2 65 Mono', kind: 'input', is_default: false },
    { name: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor', description: 'Monitor of Built-in Audio Analog Stereo', kind: 'monitor', is_default: true },
  ],
  list_contacts: (args) => {
    const needle = typeof args.search === 'string' ? args.search.toLocaleLowerCase() : '';
    return contacts.filter((c) => `${c.name} ${c.email} ${c.account}`.toLocaleLowerCase().includes(needle));
  },
  get_contact: (args) => {
    const contact = contacts.find((c) => c.email === args.email);
    if (!contact) throw `no contact with email ${String(args.email)}`;
    const theirs = calls.filter((c) => c.participants.includes(contact.name)).slice(0, 6);
    const { open_action_items: _count, ...fields } = contact;
    return {
      ...fields,
      // The latest call's open items (for the sample contact, exactly get_contact.json's).
      open_action_items: theirs.slice(0, 1).flatMap((c) => detail(c.id).action_items.filter((a) => !a.done)),
      history: theirs,
    };
  },
  import_contacts: () => (options.cancelDialogs ? null : { imported: 42, updated: 3, unknown_columns: ['Fax'] }),
  export_person_data: (args) =>
    options.cancelDialogs ? null : `/home/rep/Documents/zapis-data-${String(args.email).replace(/[^\p{L}\p{N}]+/gu, '-')}`,
  export_library: () => (options.cancelDialogs ? null : '/home/rep/Documents/zapis-library'),
  erase_person: (args) => {
    const contact = contacts.find((c) => c.email === args.email);
    const theirs = contact ? calls.filter((c) => c.participants.includes(contact.name)) : [];
    return {
      calls_deleted: theirs.length,
      segments_deleted: theirs.reduce((n, c) => n + c.segments, 0),
      contact_deleted: contact !== undefined,
    };
  },
  team_status: () => ({
    membership,
    queued: membership ? team.status().queued : 0,
    meanings_queued: membership ? team.status().meanings_queued : 0,
  }),
  // The real shell connects and checks that the server lists the user; this one takes the
  // address's user, and keeps the address without its password as the core does.
  team_join: (args) => {
    teamServer();
    const address = String(args.address).trim();
    const user = /^postgres(?:ql)?:\/\/([^:@/]+)(?::[^@]*)?@/.exec(address)?.[1];
    if (!user) {
      const error: CommandError = {
        code: 'invalid_input',
        message: `${address} gives no user; add one, as in postgres://ana@db.example.com/sales`,
        details: {},
      };
      throw error;
    }
    const policy: SharePolicy = args.shareAll === true ? 'all-calls' : 'chosen-calls';
    membership = {
      ...team.status().membership!,
      server: address.replace(/^(postgres(?:ql)?:\/\/[^:@/]+):[^@]*@/, '$1@'),
      rep: user,
      joined_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      policy,
      last_sync_at: null,
      last_error: null,
      pulled_until: null,
    };
    return membership;
  },
  team_leave: () => {
    membership = null;
    return null;
  },
  team_share_call: (args) => {
    joined();
    const id = Number(args.callId);
    detail(id);
    callChoices.set(id, args.shared === true);
    waitingCalls.add(id);
    return waitingCalls.size;
  },
  team_call_sharing: (args) => callSharing(Number(args.callId)),
  team_share_contact: () => {
    joined();
    return 3;
  },
  team_set_policy: (args) => {
    const current = joined();
    if (args.policy !== 'chosen-calls' && args.policy !== 'all-calls') throw `unknown sharing policy ${String(args.policy)}`;
    membership = { ...current, policy: args.policy };
    return 12;
  },
  team_sync: () => {
    const current = joined();
    teamServer();
    membership = { ...current, last_sync_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), last_error: null };
    waitingCalls.clear();
    return team.sync();
  },
  team_overview: (args) => {
    joined();
    teamServer();
    const to = new Date();
    const from = new Date(to.getTime() - Number(args.days) * 86_400_000);
    return { ...team.overview(), from: from.toISOString(), to: to.toISOString() };
  },
  team_account_history: (args) => {
    joined();
    teamServer();
    const account = String(args.account).trim().toLocaleLowerCase();
    return team.accountHistory().filter((c) => c.account?.toLocaleLowerCase() === account);
  },
  team_search: (args) => {
    joined();
    teamServer();
    const words = String(args.query).toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const found = team.search();
    return {
      ...found,
      hits: found.hits.filter((hit) => words.some((w) => hit.text.toLocaleLowerCase().includes(w))),
    };
  },
  get_settings: () => settings,
  save_settings: (args) => {
    settings = structuredClone(args.settings as typeof settings);
    return settings;
  },
  log_location: () => '/home/rep/.local/share/zapis/logs',
  list_models: () => models,
  // The real shell asks in the system's open dialog; this one "chooses" a downloaded file.
  add_model_file: () => {
    if (options.cancelDialogs) return null;
    const model: ModelInfo = {
      name: 'small',
      path: '/home/rep/.local/share/zapis/models/ggml-small.bin',
      bytes: 487_601_967,
      sha256: '1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b',
      kind: 'f16',
      multilingual: true,
      problem: null,
    };
    if (!models.some((m) => m.name === model.name)) models.push(model);
    return model;
  },
  install_model: (args) => {
    const name = String(args.name);
    const total = name === 'base' ? 147_951_465 : 77_704_715;
    void send('zapis://model-progress', { name, stage: 'downloading', done: Math.round(total * 0.4), total });
    return new Promise((resolve) => {
      finishInstall = () => {
        void send('zapis://model-progress', { name, stage: 'installed', done: 1, total: 1 });
        let model = models.find((m) => m.name === name);
        if (!model) {
          model = {
            name,
            path: `/home/rep/.local/share/zapis/models/ggml-${name}.bin`,
            bytes: total,
            sha256: '60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe',
            kind: 'q8_0',
            multilingual: name !== 'tiny.en',
            problem: null,
          };
          models.push(model);
        }
        resolve(model);
      };
    });
  },
};

mockConvertFileSrc('linux');
mockIPC(
  (cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    log.push({ cmd, args: structuredClone(args) });
    const handler = handlers[cmd];
    if (!handler) throw `The mock shell has no command ${cmd}.`;
    return handler(args);
  },
  { shouldMockEvents: true },
);

window.__zapis = {
  log,
  calls: (cmd) => log.filter((e) => e.cmd === cmd).map((e) => e.args),
  emit: (event, payload) => emit(event, payload),
  finishInstall: () => finishInstall(),
};
