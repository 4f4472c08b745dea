import { describe, expect, test } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import RecordingBanner from '../components/RecordingBanner.svelte';
import { recording, startRecordingEvents } from '../lib/stores/recording.svelte';
import type { RecordingState } from '../lib/api';

describe('recording banner and store', () => {
  test('follows state events; withdraw names the person and stops', async () => {
    let state: RecordingState = { state: 'idle', call_id: null, started_at: null, participants: [] };
    const withdrawn: unknown[] = [];
    mockIPC(
      (cmd, args) => {
        if (cmd === 'recording_state') return state;
        if (cmd === 'withdraw_consent') {
          withdrawn.push(args);
          state = { state: 'idle', call_id: null, started_at: null, participants: [] };
          return null;
        }
        return null;
      },
      { shouldMockEvents: true },
    );
    const stop = await startRecordingEvents();
    render(RecordingBanner);
    expect(screen.queryByText('Recording — everyone was told')).toBeNull();

    state = {
      state: 'recording',
      call_id: 'c9',
      started_at: new Date(Date.now() - 65_000).toISOString(),
      participants: ['Ana', 'Ben'],
    };
    await emit('zapis://state', { state: 'recording', call_id: 'c9' });
    expect(await screen.findByText('Recording — everyone was told')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(/^1:0\d$/)).toBeInTheDocument());

    await emit('zapis://segment', { final: false, speaker: 'Ana', role: 'customer', start: 0, end: 500, text: 'Hel' });
    await emit('zapis://level', { mic_db: -20, system_db: -30 });
    expect(recording.segments.map((s) => s.text)).toEqual(['Hel']);
    expect(recording.levels.mic_db).toBe(-20);

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Someone withdrew consent' }));
    const confirm = screen.getByRole('button', { name: 'Stop and delete' });
    expect(confirm).toBeDisabled();
    await user.click(screen.getByRole('radio', { name: 'Ben' }));
    await user.click(confirm);
    await waitFor(() => expect(withdrawn).toEqual([{ participant: 'Ben' }]));
    await waitFor(() => expect(screen.queryByText('Recording — everyone was told')).toBeNull());
    expect(recording.segments).toEqual([]);
    stop();
  });
});
