import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { ipcCalls, launch, openApp, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the history is virtualised and pages in more calls while scrolling', async () => {
  const { page, problems } = await openApp(browser, '/calls');
  const list = page.getByRole('listbox', { name: 'Call history' });
  await list.waitFor();
  await expect(page.getByText('200+ calls').isVisible()).resolves.toBe(true);
  const rendered = await list.getByRole('option').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);
  await screenshot(page, 'calls');

  await list.focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => window.__zapis.calls('list_calls').length >= 2);
  const pages = await ipcCalls(page, 'list_calls');
  expect(pages[1]).toMatchObject({ offset: 200, limit: 200 });
  expect(await list.getByRole('option').count()).toBeLessThan(60);
  expect(problems).toEqual([]);
});

test('typing in search calls list_calls with the search and shows the results', async () => {
  const { page, problems } = await openApp(browser, '/calls');
  await page.getByRole('listbox', { name: 'Call history' }).waitFor();
  await page.getByLabel('Search').fill('James');
  await page.waitForFunction(() => window.__zapis.calls('list_calls').some((a) => a.search === 'James'));
  const searched = (await ipcCalls(page, 'list_calls')).filter((a) => a.search === 'James');
  // Debounced: one request for the whole word, not one per key.
  expect(searched).toHaveLength(1);
  expect(searched[0]).toEqual({ search: 'James', limit: 200, offset: 0 });
  const options = page.getByRole('listbox', { name: 'Call history' }).getByRole('option');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[role=option]')].every((o) => o.textContent?.includes('James Carter')),
  );
  expect(await options.count()).toBeGreaterThan(0);

  await page.getByLabel('Sentiment').selectOption('negative');
  await page.waitForFunction(() => window.__zapis.calls('list_calls').some((a) => a.sentiment === 'negative'));
  const last = (await ipcCalls(page, 'list_calls')).at(-1);
  expect(last).toEqual({ search: 'James', sentiment: 'negative', limit: 200, offset: 0 });

  await page.getByLabel('Search').fill('no such call anywhere');
  await page.getByRole('heading', { name: 'No calls match' }).waitFor();
  await screenshot(page, 'calls-no-match');
  expect(problems).toEqual([]);
});

test('a search lists the matching lines across calls, and a line opens its call there', async () => {
  const { page, problems } = await openApp(browser, '/calls');
  await page.getByRole('listbox', { name: 'Call history' }).waitFor();
  await page.getByLabel('Search').fill('proposal pricing');
  const lines = page.getByRole('list', { name: 'Transcript lines that match the search, best first' });
  await lines.waitFor();
  const searched = (await ipcCalls(page, 'search_lines')).at(-1);
  expect(searched).toEqual({ query: 'proposal pricing', limit: 8 });
  const first = lines.getByRole('link').first();
  await expect(first.textContent()).resolves.toContain('similar meaning');
  await screenshot(page, 'calls-lines');
  const label = (await first.getAttribute('aria-label')) ?? '';
  expect(label).toMatch(/^Open .+ at \d+:\d\d$/);
  await first.click();
  await page.waitForFunction(() => /#\/calls\/\d+\/line\/\d+$/.test(location.hash));
  await page.getByRole('heading', { name: 'Transcript' }).waitFor();
  await page.waitForFunction(() => document.querySelector('li.highlighted[id^="seg-"]') !== null);
  expect(problems).toEqual([]);
});

test('without the sentence model the lines found say they matched words only', async () => {
  const { page, problems } = await openApp(browser, '/calls', { sentenceModel: false });
  await page.getByRole('listbox', { name: 'Call history' }).waitFor();
  await page.getByLabel('Search').fill('proposal');
  await page.getByText('Matched by words only.', { exact: false }).waitFor();
  const lines = page.getByRole('list', { name: 'Transcript lines that match the search, best first' });
  await expect(lines.getByRole('link').first().textContent()).resolves.toContain('same words');
  expect(problems).toEqual([]);
});

test('an empty library says what to do', async () => {
  const { page } = await openApp(browser, '/calls', { calls: 0 });
  await page.getByRole('heading', { name: 'No calls yet' }).waitFor();
  // The way in is a button in the app, not a command in a terminal.
  await expect(page.getByText('zapis import').count()).resolves.toBe(0);
  await expect(page.getByText('dropping the file onto this window').isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Import…' }).isEnabled()).resolves.toBe(true);
  await screenshot(page, 'calls-empty');
});

test('checking off an action item calls update_action_item', async () => {
  // Call 1 is get_call.json, the real output of the Rust side.
  const { page, problems } = await openApp(browser, '/calls/1');
  await page.getByRole('heading', { name: '03 pricing negotiation' }).waitFor();
  expect(await ipcCalls(page, 'get_call')).toEqual([{ id: 1 }]);
  const box = page.getByRole('checkbox', { name: "Done: Put together a side-by-side of one-year versus two-year pricing" });
  await expect(box.isChecked()).resolves.toBe(false);
  await box.check();
  await page.waitForFunction(() => window.__zapis.calls('update_action_item').length === 1);
  expect(await ipcCalls(page, 'update_action_item')).toEqual([{ id: 2, done: true }]);
  await expect(box.isChecked()).resolves.toBe(true);

  await page.getByRole('button', { name: "Edit “Pencil in Wednesday afternoon”" }).click();
  await page.getByLabel('Action item', { exact: true }).fill('Call Tom on Wednesday afternoon after his CFO meeting');
  await page.getByLabel('Due date').fill('2026-03-11');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Call Tom on Wednesday afternoon after his CFO meeting').waitFor();
  expect((await ipcCalls(page, 'update_action_item'))[1]).toEqual({
    id: 4,
    text: 'Call Tom on Wednesday afternoon after his CFO meeting',
    due: '2026-03-11',
  });

  // A summary bullet's source link highlights its transcript line.
  await page.getByRole('button', { name: 'Go to the transcript at 1:00' }).click();
  await page.locator('#seg-9.highlighted').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'call-detail', true);

  // The shell asks where to save in the system's dialog: the page sends no path.
  await page.getByLabel('Format').selectOption('ics');
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByText('Saved to /home/rep/Downloads/call-1.ics').waitFor();
  expect(await ipcCalls(page, 'export_call')).toEqual([{ id: 1, format: 'ics', dialogTitle: 'Save the call as' }]);

  await page.getByRole('button', { name: 'Delete call' }).click();
  await page.getByRole('dialog', { name: 'Delete this call?' }).waitFor();
  await screenshot(page, 'call-delete-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/#\/calls$/);
  expect(await ipcCalls(page, 'delete_call')).toEqual([{ id: 1 }]);
  expect(problems).toEqual([]);
});

test('the far side\'s voices: naming, merging, splitting and unnaming call the shell and reload the call', async () => {
  const { page, problems } = await openApp(browser, '/calls/2');
  const panel = page.getByRole('region', { name: 'Voices on the other side' });
  await panel.waitFor();
  await panel.locator('strong', { hasText: 'Speaker 3' }).waitFor();
  await panel.getByLabel('Name for Speaker 2').fill('Ana Petrović');
  await panel.locator('li[data-voice="0"]').getByRole('button', { name: 'Name', exact: true }).click();
  await panel.getByText('named by you').waitFor();
  expect(await ipcCalls(page, 'name_voice')).toEqual([{ callId: 2, voice: 0, name: 'Ana Petrović' }]);

  await panel.getByLabel('Speaker 3 is the same person as').selectOption({ label: 'Ana Petrović' });
  await panel.locator('li[data-voice="1"]').getByRole('button', { name: 'Merge' }).click();
  await page.waitForFunction(() => window.__zapis.calls('merge_voices').length === 1);
  expect(await ipcCalls(page, 'merge_voices')).toEqual([{ callId: 2, from: 1, into: 0 }]);
  await expect(panel.getByText('Speaker 3').count()).resolves.toBe(0);

  // Two of the merged voice's lines were someone else: they become a new voice.
  await panel.getByRole('button', { name: 'Some lines are someone else…' }).click();
  const lines = panel.getByRole('group', { name: 'Lines of Ana Petrović that another person said' });
  await lines.getByRole('checkbox').nth(3).check();
  await lines.getByRole('checkbox').nth(4).check();
  await panel.getByRole('button', { name: 'Move the chosen lines to a new voice' }).click();
  await panel.locator('strong', { hasText: 'Speaker 3' }).waitFor();
  expect(await ipcCalls(page, 'split_voice')).toEqual([{ callId: 2, lines: [8, 10] }]);

  // The name was wrong after all: one click takes it off.
  await panel.getByRole('button', { name: 'Not Ana Petrović' }).click();
  await panel.locator('strong', { hasText: 'Speaker 2' }).waitFor();
  expect(await ipcCalls(page, 'unname_voice')).toEqual([{ callId: 2, voice: 0 }]);
  // Each change reloads the call, so the transcript and insights show the new names.
  expect((await ipcCalls(page, 'get_call')).length).toBeGreaterThanOrEqual(3);
  expect(problems).toEqual([]);
});

test('a colleague is put on the rep\'s side: the shell is asked and the call reloads with the new side', async () => {
  const { page, problems } = await openApp(browser, '/calls/1');
  const sides = page.getByRole('region', { name: 'Who is on your side' });
  await sides.waitFor();
  const rep = sides.getByRole('checkbox', { name: 'Priya Nair is on my side' });
  const other = sides.getByRole('checkbox', { name: 'Tom Becker is on my side' });
  expect(await rep.isChecked()).toBe(true);
  expect(await rep.isDisabled()).toBe(true);
  await other.check();
  await page.waitForFunction(() => window.__zapis.calls('set_speaker_side').length === 1);
  expect(await ipcCalls(page, 'set_speaker_side')).toEqual([{ callId: 1, speaker: 'Tom Becker', side: 'rep' }]);
  // Reloaded: both on the rep's side, so either may now leave it.
  await sides.getByRole('checkbox', { name: 'Priya Nair is on my side', disabled: false }).waitFor();
  expect(await other.isChecked()).toBe(true);
  await screenshot(page, 'call-sides');
  expect(problems).toEqual([]);
});

test('contacts, a contact, and settings render', async () => {
  const { page, problems } = await openApp(browser, '/contacts');
  // Tom Becker is list_contacts.json / get_contact.json's contact.
  await page.getByRole('link', { name: 'Tom Becker' }).waitFor();
  await screenshot(page, 'contacts');
  await page.getByRole('link', { name: 'Tom Becker' }).click();
  await page.getByRole('heading', { name: 'Open action items' }).waitFor();
  await page.getByRole('link', { name: '03 pricing negotiation' }).waitFor();
  await screenshot(page, 'contact-detail', true);
  await page.getByRole('button', { name: 'Export data…' }).click();
  await page.getByText('Written to /home/rep/Documents/zapis-data-tom-acme-example').waitFor();
  expect(await ipcCalls(page, 'export_person_data')).toEqual([
    { email: 'tom@acme.example', dialogTitle: 'Folder for the export of Tom Becker’s data' },
  ]);
  await page.getByRole('button', { name: 'Erase' }).click();
  const erase = page.getByRole('dialog').getByRole('button', { name: 'Erase' });
  await expect(erase.isDisabled()).resolves.toBe(true);
  await page.getByLabel('Type tom@acme.example to confirm').fill('tom@acme.example');
  await erase.click();
  await page.getByText(/^Erased \d+ calls and \d+ transcript segments\. The contact was removed too\.$/).waitFor();
  expect(await ipcCalls(page, 'erase_person')).toEqual([{ email: 'tom@acme.example' }]);

  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Tracked keywords' }).waitFor();
  // Devices are listed, never opened: there is no level meter before consent.
  await expect(page.getByLabel('Microphone').locator('option').allTextContents()).resolves.toEqual([
    'System default',
    'alsa_input.pci-0000_00_1f.3.analog-stereo (default)',
    'alsa_input.usb-Jabra_Evolve2_65',
  ]);
  expect(await page.getByRole('meter').count()).toBe(0);
  await page.getByText('Input levels show on the Live call screen during a call').waitFor();
  await page.getByRole('heading', { name: 'Log files' }).waitFor();
  await page.getByText('/home/rep/.local/share/zapis/logs').waitFor();

  // Models: a choice of the two installable ones, and a progress bar while installing.
  await expect(page.getByLabel('Model to install').locator('option').allTextContents()).resolves.toEqual([
    'tiny.en (installed — reinstall)',
    'base',
  ]);
  await page.getByLabel('Model to install').selectOption('base');
  await page.getByRole('button', { name: 'Install' }).click();
  await page.getByText('base: downloading, 56.4 MB of 141.1 MB').waitFor();
  expect(await ipcCalls(page, 'install_model')).toEqual([{ name: 'base' }]);
  await screenshot(page, 'settings', true);
  await page.evaluate(() => window.__zapis.finishInstall());
  await page.getByText('base is installed.').waitFor();
  await expect(page.getByLabel('Model for the live transcript').locator('option').allTextContents()).resolves.toEqual([
    'tiny.en — 74.1 MB',
    'base — 141.1 MB',
  ]);

  // A model file the rep already has, through the system's open dialog (which the shell opens).
  await page.getByRole('button', { name: 'Add a model file…' }).click();
  await page.getByText('small is installed from the file.').waitFor();
  expect(await ipcCalls(page, 'add_model_file')).toEqual([{ dialogTitle: 'Choose a whisper.cpp model file' }]);
  await expect(page.getByLabel('Model for the live transcript').locator('option').allTextContents()).resolves.toContain(
    'small — 465.0 MB',
  );

  // The final pass can use a larger model than the live transcript.
  await expect(
    page.getByLabel('Model for the transcript after the call').locator('option').allTextContents(),
  ).resolves.toEqual(['The same as the live one (tiny.en)', 'tiny.en — 74.1 MB', 'base — 141.1 MB', 'small — 465.0 MB']);
  await page.getByLabel('Model for the transcript after the call').selectOption('small');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved').first().waitFor();
  const saved = (await ipcCalls(page, 'save_settings')).at(-1) as { settings: { model: string; final_model: string | null } };
  expect([saved.settings.model, saved.settings.final_model]).toEqual(['tiny.en', 'small']);

  // The whole library, into a new folder inside the one the rep picks.
  await page.getByRole('button', { name: 'Export the whole library…' }).click();
  await page.getByText('The library is exported to /home/rep/Documents/zapis-library.').waitFor();
  expect(await ipcCalls(page, 'export_library')).toEqual([{ dialogTitle: 'Folder for the library export' }]);
  expect(problems).toEqual([]);
});
