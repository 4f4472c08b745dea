// The one place the UI talks to the Tauri shell. Every command name, argument
// object and result type here mirrors the Rust side exactly; the shell's
// commands are the contract, so nothing else in the UI calls `invoke` or `listen`.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

export type Sentiment = 'positive' | 'neutral' | 'negative';
export type CallSource = 'recorded' | 'imported-audio' | 'imported-transcript';
export type CallStatus = 'recording' | 'processing' | 'ready' | 'failed' | 'interrupted';
export type Role = 'rep' | 'customer';
export type NoticeLanguage = 'en' | 'sr-Latn';
export type ConsentMethod = 'on-screen' | 'verbal';
export type ExportFormat = 'md' | 'json' | 'csv' | 'ics';

export interface CallSummary {
  id: string;
  title: string;
  /** RFC 3339, UTC */
  started_at: string;
  duration_ms: number;
  language: string;
  source: CallSource;
  status: CallStatus;
  participants: string[];
  segments: number;
  sentiment: Sentiment | null;
}

export interface Participant {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}

export interface ConsentReceipt {
  id: string;
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
  segments: number[];
}

export interface Keyword {
  term: string;
  count: number;
  tracked: boolean;
  first_mention_ms: number;
}

export interface SentimentPoint {
  start_ms: number;
  score: number;
  segment: number;
}

export interface TalkMetrics {
  talk_ratio: Record<string, number>;
  longest_monologue: { speaker: string; ms: number };
  questions: Record<string, number>;
  switches_per_minute: number;
  silence_share: number;
}

export interface Insights {
  summary: SummaryBullet[];
  keywords: Keyword[];
  sentiment: {
    customer: { score: number; label: Sentiment };
    timeline: SentimentPoint[];
  };
  metrics: TalkMetrics;
  language_notes: string[];
}

export interface ActionItem {
  id: string;
  text: string;
  owner: string;
  /** YYYY-MM-DD */
  due: string | null;
  segment: number | null;
  done: boolean;
}

export interface CallDetail extends Omit<CallSummary, 'participants'> {
  ended_at: string | null;
  audio_dir: string | null;
  participants: Participant[];
  consent: ConsentReceipt[];
  transcript: Segment[];
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
  id: string;
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
  decision: 'granted' | 'declined';
}

export interface StartRecording {
  participants: ConsentDecision[];
  language: NoticeLanguage;
  method: ConsentMethod;
  title?: string;
}

export type RecorderState = 'idle' | 'recording' | 'processing';

export interface RecordingState {
  state: RecorderState;
  call_id: string | null;
  started_at: string | null;
  participants: string[];
}

export interface Device {
  name: string;
  kind: 'input' | 'monitor';
  is_default: boolean;
}

export interface Contact {
  id: string;
  email: string;
  name: string;
  account: string | null;
  calls: number;
  open_action_items: number;
  last_call_at: string | null;
}

export interface ContactDetail extends Omit<Contact, 'calls' | 'open_action_items'> {
  calls: CallSummary[];
  open_action_items: ActionItem[];
}

export interface ImportResult {
  imported: number;
  updated: number;
  unknown_columns: string[];
}

export interface EraseResult {
  calls_deleted: number;
  segments_deleted: number;
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
  retention: { audio_days: number | null; transcript_days: number | null };
  tracked_keywords: TrackedKeyword[];
  notice_text: { en: string | null; 'sr-Latn': string | null };
}

export interface ModelInfo {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
}

export const api = {
  listCalls: (filter: CallFilter = {}) => invoke<CallSummary[]>('list_calls', { ...filter }),
  getCall: (id: string) => invoke<CallDetail>('get_call', { id }),
  updateActionItem: (change: ActionItemChange) =>
    invoke<ActionItem>('update_action_item', { ...change }),
  deleteCall: (id: string) => invoke<null>('delete_call', { id }),
  exportCall: (id: string, format: ExportFormat, path: string) =>
    invoke<string>('export_call', { id, format, path }),
  audioUrl: (callId: string, role: Role) => invoke<string | null>('audio_url', { callId, role }),
  notice: (language: NoticeLanguage) => invoke<Notice>('notice', { language }),
  startRecording: (request: StartRecording) =>
    invoke<{ call_id: string }>('start_recording', { ...request }),
  stopRecording: () => invoke<{ call_id: string }>('stop_recording', {}),
  withdrawConsent: (participant: string) => invoke<null>('withdraw_consent', { participant }),
  recordingState: () => invoke<RecordingState>('recording_state', {}),
  listDevices: () => invoke<Device[]>('list_devices', {}),
  listContacts: (search?: string) => invoke<Contact[]>('list_contacts', search ? { search } : {}),
  getContact: (email: string) => invoke<ContactDetail>('get_contact', { email }),
  importContacts: (path: string, mapping?: Record<string, string>) =>
    invoke<ImportResult>('import_contacts', mapping ? { path, mapping } : { path }),
  exportPersonData: (email: string, dir: string) =>
    invoke<string>('export_person_data', { email, dir }),
  erasePerson: (email: string) => invoke<EraseResult>('erase_person', { email }),
  getSettings: () => invoke<Settings>('get_settings', {}),
  saveSettings: (settings: Settings) => invoke<Settings>('save_settings', { settings }),
  listModels: () => invoke<ModelInfo[]>('list_models', {}),
  installModel: (name: string) => invoke<null>('install_model', { name }),
};

export interface StateEvent {
  state: RecorderState;
  call_id: string | null;
}
export interface LevelEvent {
  mic_db: number;
  system_db: number;
}
export interface SegmentEvent {
  final: boolean;
  speaker: string;
  role: Role;
  /** milliseconds from the start of the call */
  start: number;
  end: number;
  text: string;
}
export interface ProgressEvent {
  stage: string;
  percent: number;
  eta_seconds: number | null;
}
export interface ErrorEvent {
  message: string;
}
export interface ModelProgressEvent {
  name: string;
  bytes_done: number;
  bytes_total: number;
}
export interface OpenCallEvent {
  id: string;
}

export interface EventMap {
  'zapis://state': StateEvent;
  'zapis://level': LevelEvent;
  'zapis://segment': SegmentEvent;
  'zapis://progress': ProgressEvent;
  'zapis://error': ErrorEvent;
  'zapis://model-progress': ModelProgressEvent;
  'zapis://open-call': OpenCallEvent;
}

export function onEvent<K extends keyof EventMap>(
  name: K,
  handler: (payload: EventMap[K]) => void,
): Promise<UnlistenFn> {
  return listen<EventMap[K]>(name, (event) => handler(event.payload));
}

/** Rust commands reject with a plain string; anything else is a bug worth showing verbatim. */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

/**
 * Level meters in Settings: asks the shell to open the chosen devices for level
 * readings only (nothing written, nothing kept) until called with `false`.
 * This is the one command beyond the original contract; the UI only calls it
 * when the user presses "Test devices", so no audio is read without a click.
 */
export const monitorLevels = (enabled: boolean) => invoke<null>('monitor_levels', { enabled });
