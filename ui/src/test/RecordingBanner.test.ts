import { describe, expect, test } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import RecordingBanner from '../components/RecordingBanner.svelte';
import Notices from '../components/Notices.svelte';
import { recording, startRecordingEvents } from '../lib/stores/recording.svelte';
import { notices } from '../lib/stores/notices.svelte';
import { router } from '../lib/router.svelte';
import { eventName, samples } from '../lib/contract-samples';
import type { RecordingState } from '../lib/api';

const IDLE: RecordingState = { state: 'idle', call_id: null, started_at: null, participants: [] };

function shell(initial: RecordingState) {
  const backend = { state: initial, withdrawn: [] as unknown[] };
  mockIPC(
    (cmd, args) => {
      if (cmd === 'recording_state') return backend.state;
      if (cmd === 'withdraw_consent') {
        backend.withdrawn.push(args);
        backend.state = { ...IDLE };
        return null;
      }
      return null;
    },
    { shouldMockEvents: true },
  );
  return backend;
}

describe('recording banner and store', () => {
  test('follows state events; withdraw names the person and stops', async () => {
    const backend = shell({ ...IDLE });
    const stop = await startRecordingEvents();
    render(RecordingBanner);
    expect(screen.queryByText('Recording — everyone was told')).toBeNull();

    backend.state = {
      state: 'recording',
      call_id: 9,
      started_at: new Date(Date.now() - 65_000).toISOString(),
      participants: ['Ana', 'Ben'],
    };
    await emit('zapis://state', { type: 'state', state: 'recording', call_id: 9 });
    expect(await screen.findByText('Recording — everyone was told')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(/^1:0\d$/)).toBeInTheDocument());

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Someone withdrew consent' }));
    const confirm = screen.getByRole('button', { name: 'Stop and delete' });
    expect(confirm).toBeDisabled();
    await user.click(screen.getByRole('radio', { name: 'Ben' }));
    await user.click(confirm);
    await waitFor(() => expect(backend.withdrawn).toEqual([{ participant: 'Ben' }]));
    await waitFor(() => expect(screen.queryByText('Recording — everyone was told')).toBeNull());
    expect(recording.segments).toEqual([]);
    stop();
  });

  test('takes every sample event the shell emits, and tells the user what they say', async () => {
    notices.clear();
    const backend = shell({
      state: 'recording',
      call_id: 1,
      started_at: new Date().toISOString(),
      participants: ['Priya Nair', 'Tom Becker'],
    });
    const stop = await startRecordingEvents();
    render(RecordingBanner);
    render(Notices);
    const events = samples.events();
    const [recordingEvent, processingEvent] = events.filter((e) => e.type === 'state');
    const levelEvents = events.filter((e) => e.type === 'level');

    await emit(eventName(recordingEvent!), recordingEvent);
    await emit(eventName(levelEvents[0]!), levelEvents[0]);
    expect(recording.levels).toEqual({ mic: -23.5, system: -41 });
    await emit(eventName(levelEvents[1]!), levelEvents[1]);
    expect(recording.levels).toEqual({ mic: -30.1, system: null });

    const segment = events.find((e) => e.type === 'segment')!;
    await emit(eventName(segment), segment);
    expect(recording.segments.map((s) => [s.speaker, s.start, s.text])).toEqual([['customer', 3.2, 'we need this by March']]);

    const error = events.find((e) => e.type === 'error')!;
    await emit(eventName(error), error);
    expect(await screen.findByText('Recording your microphone only: no monitor source')).toBeInTheDocument();
    // A non-fatal error while recording does not end anything.
    expect(recording.phase).toBe('recording');

    backend.state = { ...IDLE };
    await emit(eventName(processingEvent!), processingEvent);
    // The device that disappeared is shown, not swallowed.
    expect(
      await screen.findByText(
        'The recording ended early: zapis_mic disappeared (device unplugged); everything captured before it was kept',
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(recording.phase).toBe('processing'));

    const progress = events.find((e) => e.type === 'progress')!;
    await emit(eventName(progress), progress);
    expect(await screen.findByText('Processing the call: final transcript 42%')).toBeInTheDocument();
    expect(screen.getByText('about 0:12 left')).toBeInTheDocument();

    await emit('zapis://state', { type: 'state', state: 'ready', call_id: 1 });
    await waitFor(() => expect(recording.phase).toBe('idle'));
    expect(screen.queryByText(/Processing the call/)).toBeNull();
    expect(screen.getByText('The call is ready: transcript and insights are in Calls.')).toBeInTheDocument();
    stop();
  });

  test('the tray navigates with a plain string payload', async () => {
    shell({ ...IDLE });
    const stop = await startRecordingEvents();
    await emit('zapis://navigate', 'consent');
    await waitFor(() => expect(router.route).toEqual({ name: 'record' }));
    await emit('zapis://navigate', 'live');
    await waitFor(() => expect(router.route).toEqual({ name: 'live' }));
    await emit('zapis://navigate', 'calls');
    await waitFor(() => expect(router.route).toEqual({ name: 'calls' }));
    stop();
  });
});
