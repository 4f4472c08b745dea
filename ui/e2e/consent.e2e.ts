import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ipcCalls, launch, openApp, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function addPerson(page: Page, index: number, name: string, email = ''): Promise<void> {
  const row = page.locator('li.participant').nth(index);
  if ((await row.count()) === 0) await page.getByRole('button', { name: /add person/i }).click();
  await row.getByLabel('Name').fill(name);
  if (email) await row.getByLabel('Email (optional)').fill(email);
}

test('Start stays disabled until every participant opts in, then records', async () => {
  const { page, problems } = await openApp(browser, '/record');
  const start = page.getByRole('button', { name: 'Start recording' });
  await expect(page.getByText('Notice version en-1').isVisible()).resolves.toBe(true);
  await expect(start.isDisabled()).resolves.toBe(true);

  await addPerson(page, 0, 'Mila Rep', 'mila@zapis.example');
  await addPerson(page, 1, 'Ana Petrović', 'ana.petrovic@delta-logistika.rs');
  await addPerson(page, 2, 'James Carter');
  await expect(start.isDisabled()).resolves.toBe(true);

  await page.getByRole('switch', { name: 'Mila Rep agrees to be recorded' }).click();
  await page.getByRole('switch', { name: 'Ana Petrović agrees to be recorded' }).click();
  await expect(start.isDisabled()).resolves.toBe(true);
  await expect(page.getByText('Waiting for James Carter to agree.').isVisible()).resolves.toBe(true);
  await screenshot(page, 'consent', true);

  const james = page.getByRole('switch', { name: 'James Carter agrees to be recorded' });
  await james.click();
  await expect(james.getAttribute('aria-checked')).resolves.toBe('true');
  await expect(start.isEnabled()).resolves.toBe(true);
  // Opting out again closes the gate again.
  await james.click();
  await expect(start.isDisabled()).resolves.toBe(true);
  await james.click();

  expect(await ipcCalls(page, 'start_recording')).toEqual([]);
  await start.click();
  await page.waitForURL(/#\/live$/);
  const [request] = await ipcCalls(page, 'start_recording');
  expect(request).toEqual({
    participants: [
      { name: 'Mila Rep', email: 'mila@zapis.example', decision: 'granted' },
      { name: 'Ana Petrović', email: 'ana.petrovic@delta-logistika.rs', decision: 'granted' },
      { name: 'James Carter', email: null, decision: 'granted' },
    ],
    language: 'en',
    method: 'on-screen',
  });

  // The banner appears on every view while recording.
  await page.getByRole('region', { name: 'Recording — everyone was told' }).waitFor();
  // Payloads as the shell emits them (see src/lib/contract-samples/events.json): seconds, channel roles.
  await page.evaluate(async () => {
    const at = new Date().toISOString();
    await window.__zapis.emit('zapis://level', { type: 'level', mic: -12.4, system: -24.0 });
    await window.__zapis.emit('zapis://segment', { type: 'segment', final: true, speaker: 'rep', start: 1.2, end: 4.8, text: 'Thanks for joining — shall we look at the rollout plan?', emitted_at: at });
    await window.__zapis.emit('zapis://segment', { type: 'segment', final: true, speaker: 'customer', start: 5.2, end: 9.8, text: 'Yes, forty drivers are on the new routing already.', emitted_at: at });
    await window.__zapis.emit('zapis://segment', { type: 'segment', final: false, speaker: 'rep', start: 70.4, end: 72.0, text: 'Great, and what is holding back the', emitted_at: at });
  });
  await page.getByText('still being transcribed').waitFor({ state: 'attached' });
  expect(await page.getByRole('meter', { name: 'Microphone (you)' }).getAttribute('aria-valuenow')).toBe('-12');
  const lines = await page.locator('ol[aria-live] li').evaluateAll((items) =>
    items.map((li) => [...li.querySelectorAll('.who, .at')].map((e) => e.textContent)),
  );
  expect(lines).toEqual([
    ['You', '0:01'],
    ['Others', '0:05'],
    ['You', '1:10'],
  ]);
  await screenshot(page, 'live-call');

  await page.getByRole('link', { name: 'Calls' }).click();
  await page.getByRole('region', { name: 'Recording — everyone was told' }).waitFor();
  await page.getByRole('button', { name: 'Someone withdrew consent' }).click();
  await page.getByRole('radio', { name: 'Ana Petrović' }).check();
  await screenshot(page, 'withdraw-consent');
  await page.getByRole('button', { name: 'Stop and delete' }).click();
  await page.getByText('Everything recorded in this call was deleted.').waitFor();
  expect(await ipcCalls(page, 'withdraw_consent')).toEqual([{ participant: 'Ana Petrović' }]);
  expect(problems).toEqual([]);
});

test('a decline records nothing and says so', async () => {
  const { page, problems } = await openApp(browser, '/record');
  await addPerson(page, 0, 'Mila Rep');
  await addPerson(page, 1, 'Marko Jovanović');
  await page.getByRole('switch', { name: 'Mila Rep agrees to be recorded' }).click();
  await page.getByRole('button', { name: 'Marko Jovanović declines to be recorded' }).click();
  await page.getByRole('heading', { name: 'Nothing was recorded' }).waitFor();
  await expect(page.getByText('Marko Jovanović said no, so Zapis did not record this call.').isVisible()).resolves.toBe(true);
  await screenshot(page, 'consent-declined');
  await page.getByRole('button', { name: 'Back to calls' }).click();
  await page.waitForURL(/#\/calls$/);
  expect(await ipcCalls(page, 'start_recording')).toEqual([]);
  expect(problems).toEqual([]);
});

test('the language switch changes the notice and the interface to Serbian', async () => {
  const { page, problems } = await openApp(browser, '/record');
  await page.getByRole('button', { name: 'Srpski' }).click();
  await page.getByRole('heading', { name: 'Pre nego što snimimo ovaj poziv' }).waitFor();
  await expect(page.getByText('Verzija obaveštenja sr-Latn-1').isVisible()).resolves.toBe(true);
  await expect(page.getByText('Ovaj poziv snima Zapis').isVisible()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Počni snimanje' }).isDisabled()).resolves.toBe(true);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('sr-Latn');
  expect(await ipcCalls(page, 'notice')).toEqual([{ language: 'en' }, { language: 'sr-Latn' }]);
  await screenshot(page, 'consent-sr', true);

  await page.getByRole('button', { name: 'Otkaži' }).click();
  await page.getByRole('heading', { name: 'Pozivi' }).waitFor();
  await expect(page.getByRole('link', { name: 'Podešavanja' }).isVisible()).resolves.toBe(true);
  expect(problems).toEqual([]);
});

test("the tray routes the window, and a state event's detail reaches the user", async () => {
  const { page, problems } = await openApp(browser, '/calls');
  await page.getByRole('heading', { name: 'Calls' }).waitFor();
  await page.evaluate(() => window.__zapis.emit('zapis://navigate', 'consent'));
  await page.getByRole('heading', { name: 'Before we record this call' }).waitFor();
  await page.evaluate(() => window.__zapis.emit('zapis://navigate', 'live'));
  await page.getByRole('heading', { name: 'Live call' }).waitFor();

  // The processing event from events.json: the microphone was unplugged mid-call.
  await page.evaluate(async () => {
    await window.__zapis.emit('zapis://state', {
      type: 'state',
      state: 'processing',
      call_id: 1,
      detail: 'zapis_mic disappeared (device unplugged); everything captured before it was kept',
    });
    await window.__zapis.emit('zapis://progress', { type: 'progress', stage: 'final transcript', percent: 42.0, eta_seconds: 12.5 });
  });
  await page.getByText('The recording ended early: zapis_mic disappeared (device unplugged)', { exact: false }).waitFor();
  await page.getByText('Processing the call: final transcript 42%').waitFor();
  await screenshot(page, 'live-processing');

  // When it is ready, the live screen opens the call, as it promised.
  await page.evaluate(() => window.__zapis.emit('zapis://state', { type: 'state', state: 'ready', call_id: 1 }));
  await page.waitForURL(/#\/calls\/1$/);
  await page.getByRole('heading', { name: '03 pricing negotiation' }).waitFor();
  await page.evaluate(() => window.__zapis.emit('zapis://navigate', 'calls'));
  await page.waitForURL(/#\/calls$/);
  expect(problems).toEqual([]);
});
