// The one place the UI talks to the Tauri shell. Every command name, argument
// object and result type here mirrors the Rust side (src-tauri/src/commands);
// src/lib/contract-samples holds real JSON it produced, and the tests render
// from those samples, so a change on either side shows up as a failing test.
import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

export type Sentiment = 'positive' | 'neutral' | 'negative';
export type CallSource = 'recorded' | 'imported-audio' | 'imported-transcript';
export type CallStatus = 'recording' | 'processing' | 'ready' | 'failed' | 'interrupted';
export type Role = 'rep' | 'customer';
export type NoticeLanguage = 'en' | 'sr-Latn';
export type ConsentMethod = 'on-screen' | 'verbal';
export type ExportFormat = 'md' | 'json' | 'csv' | 'ics';

export interface CallSummary {
  id: number;
  title: string;
  /** RFC 3339, UTC */
  started_at: string;
  duration_ms: number;
  language: string;
  source: CallSource;
  status: CallStatus;
  /** Names of the people in the call. */
  participants: string[];
  segments: number;
  sentiment: Sentiment | null;
}

export interface Person {
  id: number;
  name: string;
  email: string | null;
  role: Role;
}

export interface ConsentReceipt {
  id: number;
  participant_name: string;
  participant_email: string | null;
  decision: 'granted' | 'declined' | 'withdrawn';
  decided_at: string;
  notice_version: string;
  language: string;
  method: ConsentMethod | 'imported';
}

export interface Segment {
  id: number;
  speaker: string;
  role: Role;
  start_ms: number;
  end_ms: number;
  text: string;
  confidence: number | null;
}

export interface SummaryBullet {
  text: string;
  /** Transcript segment ids the bullet was drawn from. */
  segments: number[];
}

/** An action item as the analysis found it; the stored, editable ones are `CallDetail.action_items`. */
export interface FoundActionItem {
  text: string;
  owner: string;
  /** YYYY-MM-DD */
  due: string | null;
  segment: number | null;
  done: boolean;
}

export interface Keyword {
  term: string;
  count: number;
  tracked: boolean;
  /** Set for tracked keywords that have one (competitor, product, …). */
  category?: string;
  first_mention_ms: number;
  score: number;
  segments: number[];
}

export interface SentimentScore {
  score: number;
  label: Sentiment;
}

export interface SpeakerSentiment extends SentimentScore {
  speaker: string;
  role: Role;
}

export interface SentimentPoint {
  start_ms: number;
  score: number;
  segment: number;
}

export interface SegmentSentiment {
  segment: number;
  speaker: string;
  score: number;
}

export interface CallSentiment {
  customer: SentimentScore;
  rep: SentimentScore;
  per_speaker: SpeakerSentiment[];
  timeline: SentimentPoint[];
  per_segment: SegmentSentiment[];
}

export interface SpeakerMetrics {
  speaker: string;
  role: Role;
  talk_ms: number;
  /** 0–1 of all talk time. */
  talk_share: number;
  talk_to_listen: number;
  questions: number;
}

export interface Monologue {
  speaker: string;
  ms: number;
  start_ms: number;
  segments: number[];
}

export interface TalkMetrics {
  duration_ms: number;
  per_speaker: SpeakerMetrics[];
  longest_monologue: Monologue | null;
  switches_per_minute: number;
  silence_share: number;
}

export interface Insights {
  summary: SummaryBullet[];
  action_items: FoundActionItem[];
  keywords: Keyword[];
  /** Null where the language has no sentiment model (e.g. Serbian); `language_notes` say why. */
  sentiment: CallSentiment | null;
  metrics: TalkMetrics;
  language_notes: string[];
}

/** A stored action item: check it off or edit it by `id`. */
export interface ActionItem {
  id: number;
  call_id: number;
  text: string;
  owner: string;
  /** YYYY-MM-DD */
  due: string | null;
  segment: number | null;
  done: boolean;
}

export interface CallDetail extends CallSummary {
  ended_at: string | null;
  audio_dir: string | null;
  people: Person[];
  consent: ConsentReceipt[];
  transcript: Segment[];
  /** What went wrong while the call was captured (lost audio, a device that disappeared). */
  capture_notes: string[];
  insights: Insights | null;
  action_items: ActionItem[];
}

export interface CallFilter {
  search?: string;
  limit?: number;
  offset?: number;
  contactEmail?: string;
  sentiment?: Sentiment;
  /** YYYY-MM-DD */
  since?: string;
  /** YYYY-MM-DD */
  until?: string;
}

export interface ActionItemChange {
  id: number;
  done?: boolean;
  text?: string;
  due?: string | null;
}

export interface Notice {
  version: string;
  language: NoticeLanguage;
  text: string;
  script: string;
  chat_line: string;
}

export interface ConsentDecision {
  name: string;
  email: string | null;
  decision: 'granted';
}

export interface StartRecording {
  participants: ConsentDecision[];
  language: NoticeLanguage;
  method: ConsentMethod;
  title?: string;
}

export interface RecordingState {
  state: 'idle' | 'recording';
  call_id: number | null;
  started_at: string | null;
  participants: string[];
}

export interface Device {
  name: string;
  kind: 'input' | 'monitor';
  is_default: boolean;
}

export interface Contact {
  id: number;
  email: string;
  name: string;
  title: string | null;
  phone: string | null;
  account: string | null;
  crm_source: string | null;
  crm_id: string | null;
  calls: number;
  open_action_items: number;
  last_call_at: string | null;
}

export interface ContactDetail extends Omit<Contact, 'open_action_items'> {
  open_action_items: ActionItem[];
  history: CallSummary[];
}

export interface ImportResult {
  imported: number;
  updated: number;
  unknown_columns: string[];
}

export interface EraseResult {
  calls_deleted: number;
  segments_deleted: number;
  contact_deleted: boolean;
}

export interface TrackedKeyword {
  term: string;
  category: string;
}

export interface Settings {
  language: NoticeLanguage;
  transcription_language: 'en' | 'sr' | 'auto';
  model: string;
  mic: string | null;
  system: string | null;
  notice_text: { en: string | null; 'sr-Latn': string | null };
  retention: { audio_days: number | null; transcript_days: number | null };
  tracked_keywords: TrackedKeyword[];
}

export interface ModelInfo {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
}

/** The models Settings offers to install. */
export const INSTALLABLE_MODELS = ['tiny.en', 'base'] as const;

export const api = {
  listCalls: (filter: CallFilter = {}) => invoke<CallSummary[]>('list_calls', { ...filter }),
  getCall: (id: number) => invoke<CallDetail>('get_call', { id }),
  /** `due: null` clears the date; the shell cannot tell null from absent, so say it as `clearDue`. */
  updateActionItem: ({ due, ...rest }: ActionItemChange) =>
    invoke<ActionItem>('update_action_item', {
      ...rest,
      ...(due === null ? { clearDue: true } : due === undefined ? {} : { due }),
    }),
  deleteCall: (id: number) => invoke<null>('delete_call', { id }),
  /**
   * Opens the system's save dialog (titled `dialogTitle`) and writes the export where the user
   * chose. Resolves to the path written, or null when they cancelled. The page never names a
   * path: the user picks every file the app reads or writes.
   */
  exportCall: (id: number, format: ExportFormat, dialogTitle: string) =>
    invoke<string | null>('export_call', { id, format, dialogTitle }),
  /** A URL the <audio> element can play, or null when that side's audio is not kept. */
  audioUrl: async (callId: number, role: Role): Promise<string | null> => {
    const path = await invoke<string | null>('audio_url', { callId, role });
    return path === null ? null : convertFileSrc(path);
  },
  notice: (language: NoticeLanguage) => invoke<Notice>('notice', { language }),
  startRecording: (request: StartRecording) =>
    invoke<{ call_id: number }>('start_recording', { ...request }),
  stopRecording: () => invoke<{ call_id: number }>('stop_recording', {}),
  withdrawConsent: (participant: string) => invoke<null>('withdraw_consent', { participant }),
  recordingState: () => invoke<RecordingState>('recording_state', {}),
  listDevices: () => invoke<Device[]>('list_devices', {}),
  listContacts: (search?: string) => invoke<Contact[]>('list_contacts', search ? { search } : {}),
  getContact: (email: string) => invoke<ContactDetail>('get_contact', { email }),
  /** Opens the system's file dialog for a CSV and imports it; null when the user cancelled. */
  importContacts: (dialogTitle: string, mapping?: Record<string, string>) =>
    invoke<ImportResult | null>('import_contacts', mapping ? { dialogTitle, mapping } : { dialogTitle }),
  /** Asks for a folder and writes a new folder of the person's data in it; null when cancelled. */
  exportPersonData: (email: string, dialogTitle: string) =>
    invoke<string | null>('export_person_data', { email, dialogTitle }),
  erasePerson: (email: string) => invoke<EraseResult>('erase_person', { email }),
  getSettings: () => invoke<Settings>('get_settings', {}),
  saveSettings: (settings: Settings) => invoke<Settings>('save_settings', { settings }),
  /** The folder holding the app's log files. */
  logLocation: () => invoke<string>('log_location', {}),
  listModels: () => invoke<ModelInfo[]>('list_models', {}),
  installModel: (name: string) => invoke<null>('install_model', { name }),
  /** Opens the system's file dialog; null when the user cancelled. */
  chooseImport: (dialogTitle: string) => invoke<PendingImport | null>('choose_import', { dialogTitle }),
  importPending: (request: { id: number; consentConfirmed: boolean; title?: string; language?: 'en' | 'sr' }) =>
    invoke<{ call_id: number }>('import_pending', { ...request }),
};

/** The session's lifecycle; `detail` says why when something unexpected happened. */
export interface StateEvent {
  type: 'state';
  state: 'recording' | 'processing' | 'ready' | 'purged' | 'failed';
  call_id: number;
  detail?: string;
}
/** Input levels in dBFS; `system` is null when only the microphone records. */
export interface LevelEvent {
  type: 'level';
  mic: number;
  system: number | null;
}
export interface SegmentEvent {
  type: 'segment';
  /** Live lines (`false`) are finished utterances, each sent once; final-pass lines (`true`) replace the live ones they overlap. */
  final: boolean;
  speaker: Role;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  text: string;
  emitted_at: string;
}
export interface ProgressEvent {
  type: 'progress';
  stage: string;
  percent: number;
  eta_seconds: number | null;
}
export interface ErrorEvent {
  type: 'error';
  message: string;
  fatal: boolean;
}
export interface ModelProgressEvent {
  name: string;
  stage: string;
  done: number;
  total: number;
}
/** Where the tray asks the window to go. */
export type NavigateTarget = 'consent' | 'live' | 'calls';

/** A file picked in the open dialog or dropped on the window; the shell keeps its path. */
export interface PendingImport {
  id: number;
  name: string;
  kind: 'transcript' | 'recording';
}

export interface ImportProgressEvent {
  id: number;
  percent: number;
}

export interface EventMap {
  'zapis://state': StateEvent;
  'zapis://level': LevelEvent;
  'zapis://segment': SegmentEvent;
  'zapis://progress': ProgressEvent;
  'zapis://error': ErrorEvent;
  'zapis://model-progress': ModelProgressEvent;
  'zapis://navigate': NavigateTarget;
  'zapis://import-dropped': PendingImport[];
  'zapis://import-progress': ImportProgressEvent;
}

export function onEvent<K extends keyof EventMap>(
  name: K,
  handler: (payload: EventMap[K]) => void,
): Promise<UnlistenFn> {
  return listen<EventMap[K]>(name, (event) => handler(event.payload));
}

export { errorText, isCommandError, type CommandError } from './errors';
