// The recorder as the UI sees it: state from the shell, live levels, live
// transcript and processing progress, all fed by zapis:// events.
import {
  api,
  errorText,
  onEvent,
  type NavigateTarget,
  type ProgressEvent,
  type RecordingState,
  type StateEvent,
} from '../api';
import { fmt, i18n } from '../i18n/index.svelte';
import { applySegment, elapsedMs, type LiveSegment } from './live';
import { notices } from './notices.svelte';
import { navigate, router, type Route } from '../router.svelte';

/** The shell's recorder knows idle and recording; processing is the work after a call, told by events. */
export type Phase = 'idle' | 'recording' | 'processing';

export interface Levels {
  /** dBFS; -Infinity before the first reading. */
  mic: number;
  /** dBFS; null when only the microphone records. */
  system: number | null;
}

const IDLE: RecordingState = { state: 'idle', call_id: null, started_at: null, participants: [] };
const SILENT: Levels = { mic: -Infinity, system: -Infinity };

let status = $state<RecordingState>({ ...IDLE });
let levels = $state<Levels>({ ...SILENT });
let segments = $state<LiveSegment[]>([]);
let progress = $state<ProgressEvent | null>(null);
let processingCallId = $state<number | null>(null);
let lastCallId = $state<number | null>(null);
let now = $state(Date.now());
let ticker: ReturnType<typeof setInterval> | null = null;
// Calls whose processing already ended: a late stop_recording reply must not reopen it.
const settled = new Set<number>();

function setStatus(next: RecordingState): void {
  if (next.state === 'recording' && next.call_id !== status.call_id) {
    segments = [];
    progress = null;
    levels = { ...SILENT };
  }
  if (next.call_id !== null) lastCallId = next.call_id;
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

function startProcessing(callId: number): void {
  lastCallId = callId;
  if (settled.has(callId)) return;
  processingCallId = callId;
  levels = { ...SILENT };
}

function endProcessing(callId: number | null): void {
  if (callId !== null) settled.add(callId);
  if (callId === null || processingCallId === callId) {
    processingCallId = null;
    progress = null;
  }
}

function onState(event: StateEvent): void {
  const m = i18n.m.live;
  switch (event.state) {
    case 'recording':
      settled.delete(event.call_id);
      if (event.detail) notices.push('info', event.detail);
      break;
    case 'processing':
      startProcessing(event.call_id);
      // e.g. the device that disappeared and ended the recording early.
      if (event.detail) notices.push('info', fmt(m.endedEarly, { detail: event.detail }));
      break;
    case 'ready':
      endProcessing(event.call_id);
      if (event.detail) notices.push('info', event.detail);
      // The live screen promised to open the call when it is ready.
      if (router.route.name === 'live' && lastCallId === event.call_id) {
        navigate({ name: 'call', id: event.call_id });
      } else {
        notices.push('info', m.ready);
      }
      break;
    case 'purged':
      endProcessing(event.call_id);
      segments = [];
      if (lastCallId === event.call_id) lastCallId = null;
      notices.push('info', i18n.m.banner.withdrawn);
      break;
    case 'failed':
      endProcessing(event.call_id);
      notices.push('error', fmt(m.failed, { detail: event.detail ?? '' }));
      break;
  }
  // The event carries no start time or names; ask for the full picture.
  recording.refresh().catch((error) => notices.push('error', errorText(error)));
}

const TRAY_ROUTES: Record<NavigateTarget, Route> = {
  consent: { name: 'record' },
  live: { name: 'live' },
  calls: { name: 'calls' },
};

export const recording = {
  get status(): RecordingState {
    return status;
  },
  get active(): boolean {
    return status.state === 'recording';
  },
  get phase(): Phase {
    if (status.state === 'recording') return 'recording';
    return processingCallId !== null ? 'processing' : 'idle';
  },
  get levels(): Levels {
    return levels;
  },
  get segments(): LiveSegment[] {
    return segments;
  },
  get progress(): ProgressEvent | null {
    return progress;
  },
  /** The call being recorded or processed, or the last one that was. */
  get lastCallId(): number | null {
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
    startProcessing(call_id);
    await this.refresh();
  },
  async withdraw(participant: string): Promise<void> {
    const callId = status.call_id;
    await api.withdrawConsent(participant);
    endProcessing(callId);
    lastCallId = null;
    segments = [];
    await this.refresh();
  },
};

/** Subscribes to the shell's events once, at start-up. Returns a function that unsubscribes. */
export async function startRecordingEvents(): Promise<() => void> {
  const unlisten = await Promise.all([
    onEvent('zapis://state', onState),
    onEvent('zapis://level', (event) => {
      levels = { mic: event.mic, system: event.system };
    }),
    onEvent('zapis://segment', (event) => {
      segments = applySegment(segments, event);
    }),
    onEvent('zapis://progress', (event) => {
      progress = event;
    }),
    onEvent('zapis://error', (event) => {
      notices.push('error', event.message);
      // After capture, an error can only come from the processing, which then stops.
      if (status.state !== 'recording') endProcessing(processingCallId);
      if (event.fatal) recording.refresh().catch((error) => notices.push('error', errorText(error)));
    }),
    onEvent('zapis://navigate', (target) => {
      const route = TRAY_ROUTES[target];
      if (route) navigate(route);
    }),
  ]);
  try {
    await recording.refresh();
  } catch (error) {
    notices.push('error', errorText(error));
  }
  return () => unlisten.forEach((stop) => stop());
}
