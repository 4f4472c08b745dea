// Files the app reads or writes for the user are picked in the system's own dialogs, opened by
// the shell: the page sends the dialog's title, never a path, and a cancelled dialog is no error.
import { describe, expect, test } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import ExportPanel from '../screens/detail/ExportPanel.svelte';
import CsvImport from '../screens/contacts/CsvImport.svelte';
import PersonData from '../screens/contacts/PersonData.svelte';
import { i18n } from '../lib/i18n/index.svelte';

/** Answers one command with `reply` and records every call. */
function serve(command: string, reply: unknown) {
  const log: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    log.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === command) return reply;
    throw `unexpected command ${cmd}`;
  });
  return log;
}

/** No argument of any command may carry a file system path. */
function expectNoPaths(log: { args: Record<string, unknown> }[]): void {
  for (const { args } of log) {
    expect(Object.keys(args)).not.toEqual(expect.arrayContaining(['path']));
    expect(Object.keys(args)).not.toEqual(expect.arrayContaining(['dir']));
    for (const value of Object.values(args)) {
      if (typeof value === 'string') expect(value).not.toMatch(/^(\/|~|[A-Za-z]:\\)|\.\.\//);
    }
  }
}

describe('export, import and data requests go through the system dialogs', () => {
  test('exporting a call sends the format and the dialog title, and shows where it was saved', async () => {
    i18n.locale = 'en';
    const log = serve('export_call', '/home/rep/Documents/renewal.csv');
    render(ExportPanel, { callId: 7 });
    const user = userEvent.setup();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Format'), 'csv');
    await user.click(screen.getByRole('button', { name: 'Export…' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved to /home/rep/Documents/renewal.csv');
    expect(log).toEqual([{ cmd: 'export_call', args: { id: 7, format: 'csv', dialogTitle: 'Save the call as' } }]);
    expectNoPaths(log);
  });

  test('a cancelled save dialog shows neither success nor an error', async () => {
    i18n.locale = 'en';
    const log = serve('export_call', null);
    render(ExportPanel, { callId: 7 });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export…' }));
    await expect.poll(() => log.length).toBe(1);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export…' })).toBeEnabled();
  });

  test('importing contacts asks for the file in Serbian too, and reports what was imported', async () => {
    i18n.locale = 'sr-Latn';
    const log = serve('import_contacts', { imported: 3, updated: 1, unknown_columns: [] });
    let imported = 0;
    render(CsvImport, { onimported: () => (imported += 1) });
    expect(screen.queryByRole('textbox', { name: /putanja/i })).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Izaberite CSV fajl…' }));
    expect(await screen.findByRole('status')).toBeInTheDocument();
    expect(imported).toBe(1);
    expect(log).toEqual([{ cmd: 'import_contacts', args: { dialogTitle: 'CSV sa kontaktima za uvoz' } }]);
    expectNoPaths(log);
    i18n.locale = 'en';
  });

  test('a cancelled open dialog imports nothing and reloads nothing', async () => {
    i18n.locale = 'en';
    serve('import_contacts', null);
    let imported = 0;
    render(CsvImport, { onimported: () => (imported += 1) });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Choose CSV file…' }));
    await expect.poll(() => screen.getByRole('button', { name: 'Choose CSV file…' }).hasAttribute('disabled')).toBe(false);
    expect(imported).toBe(0);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  test("a person's data goes to a folder they pick, named in the dialog's title", async () => {
    i18n.locale = 'en';
    const log = serve('export_person_data', '/home/rep/Documents/zapis-data-tom-acme-example');
    render(PersonData, { email: 'tom@acme.example', name: 'Tom Becker', onerased: () => {} });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export data…' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Written to /home/rep/Documents/zapis-data-tom-acme-example');
    expect(log).toEqual([
      {
        cmd: 'export_person_data',
        args: { email: 'tom@acme.example', dialogTitle: 'Folder for the export of Tom Becker’s data' },
      },
    ]);
    expectNoPaths(log);
  });
});
