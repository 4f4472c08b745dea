// The one place the UI talks to the Tauri shell. The types are generated from the Rust side
// (src/lib/bindings.ts, by src-tauri/src/bindings.rs; a Rust test fails when they differ), so
// only the command names and their argument objects are written here. src/lib/contract-samples
// holds real JSON the Rust side produced, and the tests render from those samples.
import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  ActionItem,
  CallExport,
  CallRef,
  CallSharing,
  CallSummary,
  CallVoice,
  ContactDetail,
  ContactSummary,
  ContactsImported,
  DeviceInfo,
  Erasure,
  Event,
  ImportProgress,
  InstalledModel,
  Language,
  LineSearch,
  Membership,
  ModelProgress,
  NoticeView,
  ParticipantDecision,
  PendingImport,
  RecordingView,
  Role,
  Screen,
  SentimentLabel,
  Settings,
  SharedCall,
  SharePolicy,
  SyncReport,
  TeamHit,
  TeamSearch,
  TeamOverview,
  TeamStatus,
} from './bindings';

export type * from './bindings';

// The UI's names for some generated types.
export type Sentiment = SentimentLabel;
export type NoticeLanguage = Language;
export type CallDetail = CallExport;
export type Person = CallExport['people'][number];
export type Contact = ContactSummary;
export type Notice = NoticeView;
export type RecordingState = RecordingView;
export type Device = DeviceInfo;
export type ModelInfo = InstalledModel;
export type EraseResult = Erasure;
export type ImportResult = ContactsImported;
export type ConsentDecision = ParticipantDecision;
export type ExportFormat = 'md' | 'json' | 'csv' | 'ics';
export type ConsentMethod = 'on-screen' | 'verbal';

/** The events a recording session sends, by their `type`. */
export type StateEvent = Extract<Event, { type: 'state' }>;
export type LevelEvent = Extract<Event, { type: 'level' }>;
export type SegmentEvent = Extract<Event, { type: 'segment' }>;
export type ProgressEvent = Extract<Event, { type: 'progress' }>;
export type ErrorEvent = Extract<Event, { type: 'error' }>;
export type ModelProgressEvent = ModelProgress;
export type ImportProgressEvent = ImportProgress;
export type NavigateTarget = Screen;

/** A call's stored sentiment label, when it is one of the three the analysis writes. */
export function sentimentOf(label: string | null): Sentiment | null {
  return label === 'positive' || label === 'neutral' || label === 'negative' ? label : null;
}

/** The filters `list_calls` takes (its arguments, not a Rust type). */
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

/** The changes `update_action_item` takes. */
export interface ActionItemChange {
  id: number;
  done?: boolean;
  text?: string;
  due?: string | null;
}

/** The arguments of `start_recording`. */
export interface StartRecording {
  participants: ConsentDecision[];
  language: NoticeLanguage;
  method: ConsentMethod;
  title?: string;
}

/** The periods the team view offers, in days. */
export const TEAM_PERIODS = [7, 30, 90] as const;
export type TeamPeriod = (typeof TEAM_PERIODS)[number];

/** The models Settings offers to install. */
export const INSTALLABLE_MODELS = ['tiny.en', 'base'] as const;

export const api = {
  listCalls: (filter: CallFilter = {}) => invoke<CallSummary[]>('list_calls', { ...filter }),
  getCall: (id: number) => invoke<CallExport>('get_call', { id }),
  /** `due: null` clears the date; the shell cannot tell null from absent, so say it as `clearDue`. */
  updateActionItem: ({ due, ...rest }: ActionItemChange) =>
    invoke<ActionItem>('update_action_item', {
      ...rest,
      ...(due === null ? { clearDue: true } : due === undefined ? {} : { due }),
    }),
  deleteCall: (id: number) => invoke<null>('delete_call', { id }),
  /** Lines of every call with the words or (with the sentence model installed) the meaning asked. */
  searchLines: (query: string, limit = 8) => invoke<LineSearch>('search_lines', { query, limit }),
  /** The far side's voices of a call (empty until the speaker models told them apart). */
  callVoices: (callId: number) => invoke<CallVoice[]>('call_voices', { callId }),
  nameVoice: (callId: number, voice: number, name: string) =>
    invoke<CallVoice[]>('name_voice', { callId, voice, name }),
  /** The voice is not who it was named after: it is "Speaker N" again. */
  unnameVoice: (callId: number, voice: number) => invoke<CallVoice[]>('unname_voice', { callId, voice }),
  /** Puts a speaker on the rep's side or the customer's; reload the call to see what follows. */
  setSpeakerSide: (callId: number, speaker: string, side: Role) =>
    invoke<null>('set_speaker_side', { callId, speaker, side }),
  /** Two voices are one person: `from`'s lines join `into`. */
  mergeVoices: (callId: number, from: number, into: number) =>
    invoke<CallVoice[]>('merge_voices', { callId, from, into }),
  /** Lines a voice did not say (segment ids) become a new voice. */
  splitVoice: (callId: number, lines: number[]) => invoke<CallVoice[]>('split_voice', { callId, lines }),
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
  notice: (language: NoticeLanguage) => invoke<NoticeView>('notice', { language }),
  startRecording: (request: StartRecording) =>
    invoke<CallRef>('start_recording', { ...request }),
  stopRecording: () => invoke<CallRef>('stop_recording', {}),
  withdrawConsent: (participant: string) => invoke<null>('withdraw_consent', { participant }),
  recordingState: () => invoke<RecordingView>('recording_state', {}),
  listDevices: () => invoke<DeviceInfo[]>('list_devices', {}),
  listContacts: (search?: string) => invoke<ContactSummary[]>('list_contacts', search ? { search } : {}),
  getContact: (email: string) => invoke<ContactDetail>('get_contact', { email }),
  /** Opens the system's file dialog for a CSV and imports it; null when the user cancelled. */
  importContacts: (dialogTitle: string, mapping?: Record<string, string>) =>
    invoke<ContactsImported | null>('import_contacts', mapping ? { dialogTitle, mapping } : { dialogTitle }),
  /** Asks for a folder and writes a new folder of the person's data in it; null when cancelled. */
  exportPersonData: (email: string, dialogTitle: string) =>
    invoke<string | null>('export_person_data', { email, dialogTitle }),
  /** Asks for a folder and writes a new folder holding the whole library; null when cancelled. */
  exportLibrary: (dialogTitle: string) => invoke<string | null>('export_library', { dialogTitle }),
  erasePerson: (email: string) => invoke<Erasure>('erase_person', { email }),
  getSettings: () => invoke<Settings>('get_settings', {}),
  saveSettings: (settings: Settings) => invoke<Settings>('save_settings', { settings }),
  /** The folder holding the app's log files. */
  logLocation: () => invoke<string>('log_location', {}),
  listModels: () => invoke<InstalledModel[]>('list_models', {}),
  installModel: (name: string) => invoke<InstalledModel>('install_model', { name }),
  /** Opens the system's file dialog for a ggml model file; null when the user cancelled. */
  addModelFile: (dialogTitle: string) => invoke<InstalledModel | null>('add_model_file', { dialogTitle }),
  /** Opens the system's file dialog; null when the user cancelled. */
  chooseImport: (dialogTitle: string) => invoke<PendingImport | null>('choose_import', { dialogTitle }),
  importPending: (request: { id: number; consentConfirmed: boolean; title?: string; language?: 'en' | 'sr' }) =>
    invoke<CallRef>('import_pending', { ...request }),
  teamStatus: () => invoke<TeamStatus>('team_status', {}),
  /** The address names the user; a password in it goes to the system keyring, never the data folder. */
  teamJoin: (address: string, shareAll: boolean) => invoke<Membership>('team_join', { address, shareAll }),
  teamLeave: () => invoke<null>('team_leave', {}),
  /** Resolves to how many calls wait for the next sync. */
  teamShareCall: (callId: number, shared: boolean) => invoke<number>('team_share_call', { callId, shared }),
  /** Where a call stands with the team; null when this library has not joined one. */
  teamCallSharing: (callId: number) => invoke<CallSharing | null>('team_call_sharing', { callId }),
  teamShareContact: (email: string, shared: boolean) => invoke<number>('team_share_contact', { email, shared }),
  teamSetPolicy: (policy: SharePolicy) => invoke<number>('team_set_policy', { policy }),
  teamSync: () => invoke<SyncReport>('team_sync', {}),
  teamOverview: (days: TeamPeriod) => invoke<TeamOverview>('team_overview', { days }),
  teamAccountHistory: (account: string) => invoke<SharedCall[]>('team_account_history', { account }),
  teamSearch: (query: string) => invoke<TeamSearch>('team_search', { query }),
};

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
  /** A team sync ran (from Settings or in the background): a call's standing may have changed. */
  'zapis://team-synced': null;
  /** Lines of older calls got their meaning in the background: a search may find more. */
  'zapis://lines-indexed': null;
}

export function onEvent<K extends keyof EventMap>(
  name: K,
  handler: (payload: EventMap[K]) => void,
): Promise<UnlistenFn> {
  return listen<EventMap[K]>(name, (event) => handler(event.payload));
}

export { errorText, isCommandError } from './errors';
