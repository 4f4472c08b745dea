// A fake Tauri shell for the browser tests, bundled on its own and injected
// with an init script. It never ships: the app bundle does not import it.
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { ActionItem, CallFilter, RecordingState } from '../../src/lib/api';
import { contacts, makeCalls, makeDetail, notices, settings as defaults } from './fixtures';

interface MockOptions {
  calls?: number;
  failStart?: string;
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
    };
  }
}

const options: MockOptions = window.__zapisOptions ?? {};
const calls = makeCalls(options.calls ?? 10_000);
const edits = new Map<string, ActionItem>();
let settings = structuredClone(defaults);
let recorder: RecordingState = { state: 'idle', call_id: null, started_at: null, participants: [] };
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

function detail(id: string) {
  const summary = calls.find((c) => c.id === id);
  if (!summary) throw `No call with id ${id}. It may have been deleted.`;
  const full = makeDetail(summary);
  full.action_items = full.action_items.map((a) => edits.get(a.id) ?? a);
  return full;
}

function setRecorder(next: RecordingState): void {
  recorder = next;
  void emit('zapis://state', { state: next.state, call_id: next.call_id });
}

const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
  list_calls: (args) => filterCalls(args as CallFilter),
  get_call: (args) => detail(String(args.id)),
  update_action_item: (args) => {
    const id = String(args.id);
    const callId = id.replace(/-a\d+$/, '');
    const current = detail(callId).action_items.find((a) => a.id === id);
    if (!current) throw `No action item ${id}.`;
    const next: ActionItem = { ...current, ...(args as Partial<ActionItem>) };
    edits.set(id, next);
    return next;
  },
  delete_call: (args) => {
    const index = calls.findIndex((c) => c.id === args.id);
    if (index >= 0) calls.splice(index, 1);
    return null;
  },
  export_call: (args) => `/home/rep/Downloads/${String(args.path)}`,
  // A silent WAV data URL is enough for the player to load metadata.
  audio_url: () => null,
  notice: (args) => notices[args.language === 'sr-Latn' ? 'sr-Latn' : 'en'],
  start_recording: (args) => {
    if (options.failStart) throw options.failStart;
    const people = (args.participants as { name: string }[]).map((p) => p.name);
    setRecorder({ state: 'recording', call_id: 'call-new', started_at: new Date(Date.now() - 83_000).toISOString(), participants: people });
    return { call_id: 'call-new' };
  },
  stop_recording: () => {
    setRecorder({ state: 'processing', call_id: 'call-new', started_at: null, participants: [] });
    return { call_id: 'call-new' };
  },
  withdraw_consent: () => {
    setRecorder({ state: 'idle', call_id: null, started_at: null, participants: [] });
    return null;
  },
  recording_state: () => recorder,
  list_devices: () => [
    { name: 'Built-in Microphone', kind: 'input', is_default: true },
    { name: 'USB Headset', kind: 'input', is_default: false },
    { name: 'Monitor of Built-in Audio', kind: 'monitor', is_default: true },
  ],
  monitor_levels: () => null,
  list_contacts: (args) => {
    const needle = typeof args.search === 'string' ? args.search.toLocaleLowerCase() : '';
    return contacts.filter((c) => `${c.name} ${c.email} ${c.account}`.toLocaleLowerCase().includes(needle));
  },
  get_contact: (args) => {
    const contact = contacts.find((c) => c.email === args.email);
    if (!contact) throw `No contact with email ${String(args.email)}.`;
    const theirs = calls.filter((c) => c.participants.includes(contact.name)).slice(0, 6);
    return {
      ...contact,
      calls: theirs,
      open_action_items: theirs.slice(0, 2).flatMap((c) => detail(c.id).action_items.filter((a) => !a.done)),
    };
  },
  import_contacts: () => ({ imported: 42, updated: 3, unknown_columns: ['Fax'] }),
  export_person_data: (args) => String(args.dir),
  erase_person: () => ({ calls_deleted: 3, segments_deleted: 412 }),
  get_settings: () => settings,
  save_settings: (args) => {
    settings = structuredClone(args.settings as typeof settings);
    return settings;
  },
  list_models: () => [
    { name: 'base.en', path: '/models/ggml-base.en.bin', bytes: 147_964_211, sha256: 'a03779c8' },
    { name: 'small', path: '/models/ggml-small.bin', bytes: 487_601_967, sha256: '1be3a9b2' },
  ],
  install_model: () => null,
};

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
};
