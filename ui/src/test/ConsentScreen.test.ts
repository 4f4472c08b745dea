import { describe, expect, test, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import ConsentScreen from '../screens/ConsentScreen.svelte';
import { i18n } from '../lib/i18n/index.svelte';

function backend() {
  const log: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    log.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === 'notice') {
      const language = (args as { language: string }).language;
      return { version: `${language}-3`, language, text: `Notice in ${language}`, script: 'Script', chat_line: 'Chat line' };
    }
    if (cmd === 'start_recording') return { call_id: 'c1' };
    if (cmd === 'recording_state') return { state: 'recording', call_id: 'c1', started_at: new Date().toISOString(), participants: [] };
    return null;
  });
  return log;
}

describe('ConsentScreen', () => {
  test('Start is enabled only when every participant opted in', async () => {
    i18n.locale = 'en';
    const log = backend();
    const user = userEvent.setup();
    render(ConsentScreen);
    await screen.findByText('Notice version en-3');
    const start = screen.getByRole('button', { name: 'Start recording' });
    expect(start).toBeDisabled();

    await user.type(screen.getByLabelText('Name'), 'Ana');
    await user.click(screen.getByRole('button', { name: /add person/i }));
    await user.type(screen.getAllByLabelText('Name')[1]!, 'Ben');
    await user.click(screen.getByRole('switch', { name: 'Ana agrees to be recorded' }));
    expect(start).toBeDisabled();
    expect(screen.getByText('Waiting for Ben to agree.')).toBeInTheDocument();

    const ben = screen.getByRole('switch', { name: 'Ben agrees to be recorded' });
    await user.click(ben);
    expect(ben).toHaveAttribute('aria-checked', 'true');
    expect(start).toBeEnabled();

    // Renaming Ben voids his answer: he agreed as someone else.
    await user.type(screen.getAllByLabelText('Name')[1]!, 'jamin');
    expect(screen.getByRole('switch', { name: 'Benjamin agrees to be recorded' })).toHaveAttribute('aria-checked', 'false');
    expect(start).toBeDisabled();

    await user.click(screen.getByRole('switch', { name: 'Benjamin agrees to be recorded' }));
    await user.click(start);
    await waitFor(() => expect(log.some((e) => e.cmd === 'start_recording')).toBe(true));
    expect(log.find((e) => e.cmd === 'start_recording')?.args).toMatchObject({
      participants: [
        { name: 'Ana', email: null, decision: 'granted' },
        { name: 'Benjamin', email: null, decision: 'granted' },
      ],
      language: 'en',
    });
  });

  test('a decline shows "Nothing was recorded" and never calls start_recording', async () => {
    i18n.locale = 'en';
    const log = backend();
    const user = userEvent.setup();
    render(ConsentScreen);
    await screen.findByText('Notice version en-3');
    await user.type(screen.getByLabelText('Name'), 'Ana');
    await user.click(screen.getByRole('switch', { name: 'Ana agrees to be recorded' }));
    await user.click(screen.getByRole('button', { name: 'Ana declines to be recorded' }));
    expect(await screen.findByRole('heading', { name: 'Nothing was recorded' })).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Start recording' })).toBeNull();
    expect(log.filter((e) => e.cmd === 'start_recording')).toEqual([]);
  });

  test('switching to Serbian reloads the notice in Serbian and translates the screen', async () => {
    i18n.locale = 'en';
    const log = backend();
    const user = userEvent.setup();
    render(ConsentScreen);
    await screen.findByText('Notice in en');
    await user.click(screen.getByRole('button', { name: 'Srpski' }));
    expect(await screen.findByText('Notice in sr-Latn')).toBeInTheDocument();
    expect(screen.getByText('Verzija obaveštenja sr-Latn-3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Počni snimanje' })).toBeDisabled();
    expect(log.filter((e) => e.cmd === 'notice').map((e) => e.args)).toEqual([
      { language: 'en' },
      { language: 'sr-Latn' },
    ]);
    i18n.locale = 'en';
  });

  test('a failed notice load says so and offers a retry, and Start stays off', async () => {
    i18n.locale = 'en';
    let fail = true;
    mockIPC((cmd) => {
      if (cmd === 'notice') {
        if (fail) throw 'notice file unreadable';
        return { version: 'en-1', language: 'en', text: 'ok', script: 's', chat_line: 'c' };
      }
      return null;
    });
    const user = userEvent.setup();
    render(ConsentScreen);
    expect(await screen.findByText(/Could not load the recording notice: notice file unreadable/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start recording' })).toBeDisabled();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Notice version en-1')).toBeInTheDocument();
  });

  test('copy puts the chat line on the clipboard', async () => {
    i18n.locale = 'en';
    backend();
    const user = userEvent.setup();
    const write = vi.spyOn(navigator.clipboard, 'writeText');
    render(ConsentScreen);
    await screen.findByText('Notice version en-3');
    await user.click(screen.getByRole('button', { name: 'Copy chat line' }));
    expect(write).toHaveBeenCalledWith('Chat line');
    expect(await screen.findByText('Copied.')).toBeInTheDocument();
  });
});
