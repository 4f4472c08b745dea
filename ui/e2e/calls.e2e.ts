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
  await page.getByLabel('Search').fill('Priya');
  await page.waitForFunction(() => window.__zapis.calls('list_calls').some((a) => a.search === 'Priya'));
  const searched = (await ipcCalls(page, 'list_calls')).filter((a) => a.search === 'Priya');
  // Debounced: one request for the whole word, not one per key.
  expect(searched).toHaveLength(1);
  expect(searched[0]).toEqual({ search: 'Priya', limit: 200, offset: 0 });
  const options = page.getByRole('listbox', { name: 'Call history' }).getByRole('option');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[role=option]')].every((o) => o.textContent?.includes('Priya Shah')),
  );
  expect(await options.count()).toBeGreaterThan(0);

  await page.getByLabel('Sentiment').selectOption('negative');
  await page.waitForFunction(() => window.__zapis.calls('list_calls').some((a) => a.sentiment === 'negative'));
  const last = (await ipcCalls(page, 'list_calls')).at(-1);
  expect(last).toEqual({ search: 'Priya', sentiment: 'negative', limit: 200, offset: 0 });

  await page.getByLabel('Search').fill('no such call anywhere');
  await page.getByRole('heading', { name: 'No calls match' }).waitFor();
  await screenshot(page, 'calls-no-match');
  expect(problems).toEqual([]);
});

test('an empty library says what to do', async () => {
  const { page } = await openApp(browser, '/calls', { calls: 0 });
  await page.getByRole('heading', { name: 'No calls yet' }).waitFor();
  await expect(page.getByText('zapis import FILE').isVisible()).resolves.toBe(true);
  await screenshot(page, 'calls-empty');
});

test('checking off an action item calls update_action_item', async () => {
  const { page, problems } = await openApp(browser, '/calls/call-1');
  await page.getByRole('heading', { name: 'Discovery — Delta Logistika' }).waitFor();
  const box = page.getByRole('checkbox', { name: 'Done: Send the proposal for sixty seasonal seats' });
  await expect(box.isChecked()).resolves.toBe(false);
  await box.check();
  await page.waitForFunction(() => window.__zapis.calls('update_action_item').length === 1);
  expect(await ipcCalls(page, 'update_action_item')).toEqual([{ id: 'call-1-a1', done: true }]);
  await expect(box.isChecked()).resolves.toBe(true);

  await page.getByRole('button', { name: 'Edit “Schedule a demo for the Novi Sad depot”' }).click();
  await page.getByLabel('Action item', { exact: true }).fill('Schedule the Novi Sad demo with dispatch');
  await page.getByLabel('Due date').fill('2025-07-10');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Schedule the Novi Sad demo with dispatch').waitFor();
  expect((await ipcCalls(page, 'update_action_item'))[1]).toEqual({
    id: 'call-1-a2',
    text: 'Schedule the Novi Sad demo with dispatch',
    due: '2025-07-10',
  });

  // A summary bullet's source link highlights its transcript line.
  await page.getByRole('button', { name: 'Go to the transcript at 1:03' }).click();
  await page.locator('#seg-4.highlighted').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'call-detail', true);

  await page.getByRole('button', { name: 'Delete call' }).click();
  await page.getByRole('dialog', { name: 'Delete this call?' }).waitFor();
  await screenshot(page, 'call-delete-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/#\/calls$/);
  expect(await ipcCalls(page, 'delete_call')).toEqual([{ id: 'call-1' }]);
  expect(problems).toEqual([]);
});

test('contacts, a contact, and settings render', async () => {
  const { page, problems } = await openApp(browser, '/contacts');
  await page.getByRole('link', { name: 'Ana Petrović' }).waitFor();
  await screenshot(page, 'contacts');
  await page.getByRole('link', { name: 'Ana Petrović' }).click();
  await page.getByRole('heading', { name: 'Open action items' }).waitFor();
  await screenshot(page, 'contact-detail', true);
  await page.getByRole('button', { name: 'Erase' }).click();
  const erase = page.getByRole('dialog').getByRole('button', { name: 'Erase' });
  await expect(erase.isDisabled()).resolves.toBe(true);
  await page.getByLabel('Type ana.petrovic@delta-logistika.rs to confirm').fill('ana.petrovic@delta-logistika.rs');
  await erase.click();
  await page.getByText('Erased 3 calls and 412 transcript segments.').waitFor();
  expect(await ipcCalls(page, 'erase_person')).toEqual([{ email: 'ana.petrovic@delta-logistika.rs' }]);

  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Tracked keywords' }).waitFor();
  await page.getByRole('button', { name: 'Test devices' }).click();
  await page.evaluate(() => window.__zapis.emit('zapis://level', { mic_db: -18, system_db: -40 }));
  await page.getByRole('meter', { name: 'Microphone' }).waitFor();
  await screenshot(page, 'settings', true);
  expect(await ipcCalls(page, 'monitor_levels')).toEqual([{ enabled: true }]);
  expect(problems).toEqual([]);
});
