import { describe, expect, test } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import ActionItemRow from '../screens/detail/ActionItemRow.svelte';
import type { ActionItem } from '../lib/api';
import { samples } from '../lib/contract-samples';

// The stored item exactly as get_call returns it, with a shorter text for readable labels.
const item: ActionItem = { ...samples.getCall().action_items[1]!, text: 'Send the proposal' };

describe('ActionItemRow', () => {
  test('checking it off sends done=true and shows the saved item', async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'update_action_item') {
        sent.push(args);
        return { ...item, done: true };
      }
      return null;
    });
    const changes: ActionItem[] = [];
    render(ActionItemRow, { item, onchange: (next: ActionItem) => changes.push(next) });
    await userEvent.setup().click(screen.getByRole('checkbox', { name: 'Done: Send the proposal' }));
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(sent).toEqual([{ id: 2, done: true }]);
    expect(changes[0]?.done).toBe(true);
  });

  test('editing sends text and due; clearing the date sends null', async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      sent.push(args);
      return { ...item, ...(args as object) };
    });
    const user = userEvent.setup();
    render(ActionItemRow, { item, onchange: () => {} });
    await user.click(screen.getByRole('button', { name: 'Edit “Send the proposal”' }));
    const text = screen.getByLabelText('Action item');
    await user.clear(text);
    await user.type(text, 'Send the revised proposal');
    await user.clear(screen.getByLabelText('Due date'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ id: 2, text: 'Send the revised proposal', clearDue: true });
  });

  test('empty text is refused before anything is sent', async () => {
    const sent: unknown[] = [];
    mockIPC((_cmd, args) => sent.push(args));
    const user = userEvent.setup();
    render(ActionItemRow, { item, onchange: () => {} });
    await user.click(screen.getByRole('button', { name: 'Edit “Send the proposal”' }));
    await user.clear(screen.getByLabelText('Action item'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('An action item needs some text.')).toBeInTheDocument();
    expect(sent).toEqual([]);
  });

  test('a failed save says what went wrong and keeps the old state', async () => {
    mockIPC(() => {
      throw 'database is locked';
    });
    render(ActionItemRow, { item, onchange: () => {} });
    const box = screen.getByRole('checkbox', { name: 'Done: Send the proposal' });
    await userEvent.setup().click(box);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not save the action item: database is locked. Try again.',
    );
  });
});
