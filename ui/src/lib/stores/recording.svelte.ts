// The recorder as the UI sees it: state from the shell, live levels, live
// transcript and processing progress, all fed by zapis:// events.
import {
  api,
  errorText,
  onEvent,
  type LevelEvent,
  type ProgressEvent,
  type RecordingState,
} from '../api';
import { applySegment, elapsedMs, type LiveSegment } from './live';
import { notices } from './notices.svelte';
import { navigate } from '../router.svelte';

const IDLE: RecordingState = { state: 'idle', call_id: null, started_at: null, participants: [] };
const SILENT: LevelEvent = { mic_db: -Infinity, system_db: -Infinity };

let status = $state<RecordingState>({ ...IDLE });
let levels = $state<LevelEvent>({ ...SILENT });
let segments = $state<LiveSegment[]>([]);
let progress = $state<ProgressEvent | null>(null);
let lastCallId = $state<string | null>(null);
let now = $state(Date.now());
let ticker: ReturnType<typeof setInterval> | null = null;

function setStatus(next: RecordingState): void {
  if (next.state === 'recording' && next.call_id !== status.call_id) {
    segments = [];
    progress = null;
  }
  if (next.call_id) lastCallId = next.call_id;
  if (next.state !== 'recording') levels = { ...SILENT };
  if (next.state !== 'processing') progress = null;
  status = next;
  syncTicker();
}

function syncTicker(): void {
  if (status.state === 'recording' && ticker === null) {
    now = Date.now();
    ticker = setInterval(() => (now = Date.now()), 500);
  } else if (status.state !== 'recording' && ticker !== null) {
    clearInterval(ticker);
    ticker = null;
  }
}

export const recording = {
  get status(): RecordingState {
    return status;
  },
  get active(): boolean {
    return status.state === 'recording';
  },
  get levels(): LevelEvent {
    return levels;
  },
  get segments(): LiveSegment[] {
    return segments;
  },
  get progress(): ProgressEvent | null {
    return progress;
  },
  /** The call being recorded or processed, or the last one that was. */
  get lastCallId(): string | null {
    return lastCallId;
  },
  get elapsedMs(): number {
    return elapsedMs(status.started_at, now);
  },
  async refresh(): Promise<void> {
    setStatus(await api.recordingState());
  },
  async stop(): Promise<void> {
    const { call_id } = await api.stopRecording();
    lastCallId = call_id;
    await this.refresh();
  },
  async withdraw(participant: string): Promise<void> {
    await api.withdrawConsent(participant);
    lastCallId = null;
    segments = [];
    await this.refresh();
  },
};

/** Subscribes to the shell's events once, at start-up. Returns a function that unsubscribes. */
export async function startRecordingEvents(): Promise<() => void> {
  const unlisten = await Promise.all([
    onEvent('zapis://state', (event) => {
      // The state event carries no start time or names; ask for the full picture.
      setStatus({ ...status, state: event.state, call_id: event.call_id });
      recording.refresh().catch((error) => notices.push('error', errorText(error)));
    }),
    onEvent('zapis://level', (event) => {
      levels = event;
    }),
    onEvent('zapis://segment', (event) => {
      segments = applySegment(segments, event);
    }),
    onEvent('zapis://progress', (event) => {
      progress = event;
    }),
    onEvent('zapis://error', (event) => notices.push('error', event.message)),
    onEvent('zapis://open-call', (event) => navigate({ name: 'call', id: event.id })),
  ]);
  try {
    await recording.refresh();
  } catch (error) {
    notices.push('error', errorText(error));
  }
  return () => unlisten.forEach((stop) => stop());
}
