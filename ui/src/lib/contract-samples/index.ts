// Real JSON from the Rust side, typed as the UI's contract types. `conforms`
// only accepts JSON whose shape matches the type (with string unions widened,
// as TypeScript infers JSON), so `npm run check` fails when the shell's output
// and src/lib/api.ts drift apart. Used by tests and the browser-test mock only;
// the app bundle never imports this file.
import type {
  CallDetail,
  CallSummary,
  Contact,
  ContactDetail,
  ErrorEvent,
  LevelEvent,
  ProgressEvent,
  SegmentEvent,
  Settings,
  SharedCall,
  StateEvent,
  SyncReport,
  TeamSearch,
  TeamOverview,
  TeamStatus,
} from '../api';
import getCall from './get_call.json';
import listCalls from './list_calls.json';
import listContacts from './list_contacts.json';
import getContact from './get_contact.json';
import getSettings from './get_settings.json';
import events from './events.json';
import teamStatus from './team_status.json';
import teamSync from './team_sync.json';
import teamOverview from './team_overview.json';
import teamAccountHistory from './team_account_history.json';
import teamSearch from './team_search.json';

/** The type TypeScript infers for JSON that matches T: string literal unions become string. */
export type Loose<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? Loose<U>[]
    : T extends object
      ? { [K in keyof T]: Loose<T[K]> }
      : T;

export function conforms<T>(json: Loose<T>): T {
  return json as T;
}

export type ShellEvent = StateEvent | LevelEvent | SegmentEvent | ProgressEvent | ErrorEvent;

const eventNames: Record<ShellEvent['type'], string> = {
  state: 'zapis://state',
  level: 'zapis://level',
  segment: 'zapis://segment',
  progress: 'zapis://progress',
  error: 'zapis://error',
};

/** The event name the shell emits a payload under (see src-tauri/src/commands/recording.rs). */
export function eventName(event: ShellEvent): string {
  return eventNames[event.type];
}

/** Fresh copies, so a test that edits one cannot change another's. */
export const samples = {
  getCall: (): CallDetail => structuredClone(conforms<CallDetail>(getCall)),
  listCalls: (): CallSummary[] => structuredClone(conforms<CallSummary[]>(listCalls)),
  listContacts: (): Contact[] => structuredClone(conforms<Contact[]>(listContacts)),
  getContact: (): ContactDetail => structuredClone(conforms<ContactDetail>(getContact)),
  getSettings: (): Settings => structuredClone(conforms<Settings>(getSettings)),
  events: (): ShellEvent[] => structuredClone(conforms<ShellEvent[]>(events)),
  // The team commands' results (src-tauri/src/commands/team.rs tests that the Rust types
  // serialise to exactly these).
  teamStatus: (): TeamStatus => structuredClone(conforms<TeamStatus>(teamStatus)),
  teamSync: (): SyncReport => structuredClone(conforms<SyncReport>(teamSync)),
  teamOverview: (): TeamOverview => structuredClone(conforms<TeamOverview>(teamOverview)),
  teamAccountHistory: (): SharedCall[] => structuredClone(conforms<SharedCall[]>(teamAccountHistory)),
  teamSearch: (): TeamSearch => structuredClone(conforms<TeamSearch>(teamSearch)),
};
