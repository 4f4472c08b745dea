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

const CHART = 'Talk share and questions per call by rep, against the published ranges';

test('the team view: a row and bars per rep, a period, an account and a search', async () => {
  // team_overview.json and friends, the JSON the Rust types serialise to.
  const { page, problems } = await openApp(browser, '/team', { team: 'joined' });
  const chart = page.getByRole('list', { name: CHART });
  await chart.waitFor();
  expect(await ipcCalls(page, 'team_overview')).toEqual([{ days: 30 }]);
  await expect(page.getByRole('link', { name: 'Team' }).getAttribute('aria-current')).resolves.toBe('page');
  await expect(chart.getByRole('listitem').count()).resolves.toBe(4);
  const cells = await page
    .locator('table.reps tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim())));
  expect(cells).toEqual([
    ['Ana Petrović', '14', '61%', '8.5', '2:34', '5'],
    ['James Carter', '9', '48%', '12.3', '1:11', '2'],
    ['Mia Manager', '0', '–', '–', '–', '0'],
    ['Priya Nair', '11', '39%', '15.5', '4:23', '7'],
  ]);

  // Drawn, not only labelled: Ana's talk-share bar runs past the band, Priya's stops short of it,
  // James's ends inside it.
  const bar = async (name: RegExp) => {
    const track = chart.getByRole('img', { name });
    const band = await track.locator('.band').boundingBox();
    const fill = await track.locator('.bar').boundingBox();
    if (!band || !fill) throw new Error(`no bar for ${name}`);
    return { bandStart: band.x, bandEnd: band.x + band.width, end: fill.x + fill.width };
  };
  const ana = await bar(/^Ana Petrović: talks 61% of the time, above the range of 43%–57%$/);
  expect(ana.end).toBeGreaterThan(ana.bandEnd);
  const priya = await bar(/^Priya Nair: talks 39% of the time, below the range of 43%–57%$/);
  expect(priya.end).toBeLessThan(priya.bandStart);
  const james = await bar(/^James Carter: talks 48% of the time, within the range of 43%–57%$/);
  expect(james.end).toBeGreaterThan(james.bandStart);
  expect(james.end).toBeLessThan(james.bandEnd);
  const questions = await bar(/^Priya Nair: 15.5 questions per call, above the range of 11–14$/);
  expect(questions.end).toBeGreaterThan(questions.bandEnd);
  await screenshot(page, 'team');

  await page.getByRole('radio', { name: 'Last 7 days' }).check();
  await page.waitForFunction(() => window.__zapis.calls('team_overview').length === 2);
  expect((await ipcCalls(page, 'team_overview')).at(-1)).toEqual({ days: 7 });

  await page.getByRole('searchbox', { name: 'Account' }).fill('acme');
  await page.getByRole('button', { name: 'Show its calls' }).click();
  const history = page.getByRole('table', { name: 'Shared calls with acme' });
  await history.waitFor();
  expect(await ipcCalls(page, 'team_account_history')).toEqual([{ account: 'acme' }]);
  await expect(history.locator('tbody tr').count()).resolves.toBe(2);
  await history.getByText('Priya Nair').waitFor();

  await page.getByLabel('Words or a topic from shared calls').fill('budget');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const hits = page.getByRole('list', { name: 'Matches in the team’s calls' });
  await hits.waitFor();
  expect(await ipcCalls(page, 'team_search')).toEqual([{ query: 'budget' }]);
  const items = hits.getByRole('listitem');
  await expect(items.count()).resolves.toBe(2);
  await expect(items.first().innerText()).resolves.toMatch(/^Priya Nair · 03 pricing negotiation · 2 Mar 2026/);
  await items.first().getByText('Tom Becker at 0:14').waitFor();
  await items.first().getByText('similar meaning').waitFor();
  await items.nth(1).getByText('Ana Petrović at 12:14').waitFor();
  await screenshot(page, 'team-search', true);

  await page.getByLabel('Words or a topic from shared calls').fill('kubernetes');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('Nothing the team shared matches “kubernetes”.').waitFor();
  expect(problems).toEqual([]);
});

test('not in a team: the Team screen leads to Settings, where joining opens the team view', async () => {
  const { page, problems } = await openApp(browser, '/team');
  await page.getByRole('heading', { name: 'You are not in a team yet' }).waitFor();
  expect(await ipcCalls(page, 'team_overview')).toEqual([]);
  await screenshot(page, 'team-not-joined');
  await page.getByRole('link', { name: 'Join in Settings' }).click();
  await page.waitForURL(/#\/settings$/);

  const share = page.getByRole('switch', { name: 'Share every call everyone consented to' });
  await expect(share.getAttribute('aria-checked')).resolves.toBe('false');
  await page.getByLabel('Team server address').fill('postgres://priya@team.example.com/sales');
  await page.getByRole('button', { name: 'Join the team' }).click();
  await page.getByText('You joined the team on postgres://priya@team.example.com/sales as priya.').waitFor();
  expect(await ipcCalls(page, 'team_join')).toEqual([
    { address: 'postgres://priya@team.example.com/sales', shareAll: false },
  ]);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText(/^Synced: 3 calls sent/).waitFor();
  await page.getByRole('heading', { name: 'Team', exact: true }).scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-team');

  await page.getByRole('navigation').getByRole('link', { name: 'Team' }).click();
  await page.getByRole('list', { name: CHART }).waitFor();
  expect(problems).toEqual([]);
});

test('a team server that cannot be reached is said in the catalogue’s words', async () => {
  const { page, problems } = await openApp(browser, '/team', { team: 'unreachable' });
  await page
    .getByRole('alert')
    .getByText('The team server cannot be reached. Nothing was lost: your changes wait and go with the next sync.')
    .waitFor();
  await expect(page.getByRole('alert').getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
  // The shell's English message is not what a reader sees.
  await expect(page.getByText('connection refused').count()).resolves.toBe(0);
  // A rejected command is logged by nobody: the screen handled it.
  expect(problems).toEqual([]);
});

test('a call is shared from its own page, and the page says where it stands', async () => {
  const { page, problems } = await openApp(browser, '/calls/1', { team: 'joined' });
  const section = page.getByRole('region', { name: 'Team library' });
  const toggle = section.getByRole('switch', { name: 'Share this call with the team' });
  await toggle.waitFor();
  // The sample team shares only the calls the rep chooses; nobody chose this one yet.
  await expect(toggle.getAttribute('aria-checked')).resolves.toBe('false');
  await section.getByText('Stays on this computer.', { exact: true }).waitFor();
  await section.getByText('Following your default: only the calls you choose are shared.').waitFor();

  await toggle.click();
  await section.getByText('Goes to the team library at the next sync.').waitFor();
  await expect(toggle.getAttribute('aria-checked')).resolves.toBe('true');
  await section.getByText('You chose this for this call.').waitFor();
  expect(await ipcCalls(page, 'team_share_call')).toEqual([{ callId: 1, shared: true }]);
  await screenshot(page, 'call-team-sharing', true);

  await toggle.click();
  await section.getByText('Stays on this computer; the next sync takes it out of the team library if it is there.').waitFor();
  expect((await ipcCalls(page, 'team_share_call')).at(-1)).toEqual({ callId: 1, shared: false });

  // Call 3 is still being transcribed: the choice is kept, the call goes once it is ready.
  await page.goto(page.url().replace(/\/calls\/1$/, '/calls/3'));
  const later = page.getByRole('region', { name: 'Team library' });
  await later.getByRole('switch', { name: 'Share this call with the team' }).click();
  await later.getByText('Goes to the team library once its notes are ready.').waitFor();
  expect(problems).toEqual([]);
});

test('a call page shows no team switch when the library has not joined a team', async () => {
  const { page, problems } = await openApp(browser, '/calls/1');
  await page.getByRole('heading', { name: 'Consent receipts' }).waitFor();
  await page.waitForFunction(() => window.__zapis.calls('team_call_sharing').length === 1);
  await expect(page.getByRole('region', { name: 'Team library' }).count()).resolves.toBe(0);
  expect(problems).toEqual([]);
});
