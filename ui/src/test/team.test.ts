// The team screen and Settings → Team, rendered from the team commands' contract samples (the
// JSON the Rust types serialise to), against a mocked shell.
import { describe, expect, test } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import TeamScreen from '../screens/TeamScreen.svelte';
import TeamPanel from '../screens/settings/TeamPanel.svelte';
import { dateTime } from '../lib/format';
import { i18n } from '../lib/i18n/index.svelte';
import { samples } from '../lib/contract-samples';
import type { CommandError, TeamStatus } from '../lib/api';

type Log = { cmd: string; args: Record<string, unknown> }[];

const UNREACHABLE: CommandError = {
  code: 'team.unreachable',
  message: 'the team server postgres://priya@team.example.com/sales cannot be reached (connection refused)',
  details: {},
};

/** A shell whose team commands answer with the samples, unless `overrides` says otherwise. */
function shell(overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}): Log {
  const log: Log = [];
  const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
    team_status: () => samples.teamStatus(),
    team_overview: () => samples.teamOverview(),
    team_account_history: () => samples.teamAccountHistory(),
    team_search: () => samples.teamSearch(),
    team_sync: () => samples.teamSync(),
    team_set_policy: () => 2,
    team_leave: () => null,
    team_join: () => samples.teamStatus().membership,
    ...overrides,
  };
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    log.push({ cmd, args: payload });
    const handler = handlers[cmd];
    if (!handler) throw `unexpected command ${cmd}`;
    return handler(payload);
  });
  return log;
}

const notJoined = (): TeamStatus => ({ membership: null, queued: 0, meanings_queued: 0 });

/** Text a reader would see: no "undefined", "NaN" or unfilled {placeholder} anywhere. */
function expectCleanText(): void {
  expect(document.body.textContent ?? '').not.toMatch(/undefined|NaN|\{\w+\}/);
}

describe('the team screen', () => {
  test('each rep is a row and two bars against the published bands', async () => {
    i18n.locale = 'en';
    const log = shell();
    render(TeamScreen);

    const chart = await screen.findByRole('list', { name: /Talk share and questions per call by rep/ });
    expect(log.find((e) => e.cmd === 'team_overview')?.args).toEqual({ days: 30 });
    expect(within(chart).getAllByRole('listitem')).toHaveLength(4);
    // Where each bar lies is said in words, not only in colour.
    expect(
      within(chart).getByRole('img', { name: 'Ana Petrović: talks 61% of the time, above the range of 43%–57%' }),
    ).toBeInTheDocument();
    expect(
      within(chart).getByRole('img', { name: 'James Carter: talks 48% of the time, within the range of 43%–57%' }),
    ).toBeInTheDocument();
    expect(
      within(chart).getByRole('img', { name: 'Priya Nair: 15.5 questions per call, above the range of 11–14' }),
    ).toBeInTheDocument();
    expect(
      within(chart).getByRole('img', { name: 'Ana Petrović: 8.5 questions per call, below the range of 11–14' }),
    ).toBeInTheDocument();
    // The band is drawn where it lies on each scale (talk share 0–100 %, questions 0–20).
    const talk = within(chart).getByRole('img', { name: /^Ana Petrović: talks/ });
    const band = talk.querySelector<HTMLElement>('.band');
    const bar = talk.querySelector<HTMLElement>('.bar');
    expect(band?.style.left).toBe('43%');
    expect(band?.style.width).toBe('14%');
    expect(bar?.style.width).toBe('61%');
    expect(bar?.classList.contains('above')).toBe(true);
    const questions = within(chart).getByRole('img', { name: /^Priya Nair: 15.5/ });
    expect(questions.querySelector<HTMLElement>('.band')?.style.left).toBe('55%');
    expect(questions.querySelector<HTMLElement>('.bar')?.style.width).toBe('77.5%');
    // A manager sees a rep without calls, without bars.
    const mia = within(chart).getAllByRole('listitem').find((li) => li.textContent?.includes('Mia Manager'));
    expect(mia?.textContent).toContain('No calls in this period');
    expect(within(mia!).queryAllByRole('img')).toHaveLength(0);

    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.children].map((c) => c.textContent?.trim()))).toEqual([
      ['Ana Petrović', '14', '61%', '8.5', '2:34', '5'],
      ['James Carter', '9', '48%', '12.3', '1:11', '2'],
      ['Mia Manager', '0', '–', '–', '–', '0'],
      ['Priya Nair', '11', '39%', '15.5', '4:23', '7'],
    ]);
    expect(screen.getByText(/the rep talks 43%–57% of the time and asks 11–14 questions/)).toBeInTheDocument();
    expectCleanText();
  });

  test('the period picker asks for that period', async () => {
    i18n.locale = 'en';
    const log = shell();
    const user = userEvent.setup();
    render(TeamScreen);
    await screen.findByRole('table');
    expect(screen.getByRole('radio', { name: 'Last 30 days' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Last 7 days' }));
    await waitFor(() => expect(log.filter((e) => e.cmd === 'team_overview').map((e) => e.args)).toEqual([{ days: 30 }, { days: 7 }]));
    await user.click(screen.getByRole('radio', { name: 'Last 90 days' }));
    await waitFor(() => expect(log.filter((e) => e.cmd === 'team_overview').at(-1)?.args).toEqual({ days: 90 }));
    expect(screen.getByRole('radio', { name: 'Last 90 days' })).toBeChecked();
  });

  test('an account across reps and a search show what the team shared, by name', async () => {
    i18n.locale = 'en';
    const log = shell();
    const user = userEvent.setup();
    render(TeamScreen);
    await screen.findByRole('table');

    await user.type(screen.getByLabelText('Account'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Show its calls' }));
    const history = await screen.findByRole('table', { name: 'Shared calls with Acme' });
    expect(log.find((e) => e.cmd === 'team_account_history')?.args).toEqual({ account: 'Acme' });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Priya Nair');
    expect(rows[0]).toHaveTextContent('03 pricing negotiation');
    expect(rows[0]).toHaveTextContent('3:17');
    expect(rows[0]).toHaveTextContent('Neutral');
    expect(rows[1]).toHaveTextContent('Ana Petrović');
    expect(rows[1]).toHaveTextContent('Not analysed');

    await user.type(screen.getByLabelText('Words or a topic from shared calls'), 'budget');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    const hits = await screen.findByRole('list', { name: 'Matches in the team’s calls' });
    expect(log.find((e) => e.cmd === 'team_search')?.args).toEqual({ query: 'budget' });
    const items = within(hits).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const when = dateTime(samples.teamSearch().hits[0]!.started_at, 'en');
    expect(items[0]).toHaveTextContent(`Priya Nair · 03 pricing negotiation · ${when}`);
    expect(items[0]).toHaveTextContent('Tom Becker at 0:14');
    expect(items[0]).toHaveTextContent('The number is higher than we budgeted, though.');
    expect(within(items[0]!).queryByText('same words')).toBeNull();
    expect(within(items[0]!).getByText('similar meaning')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('Ana Petrović at 12:14');
    expect(within(items[1]!).getByText('same words')).toBeInTheDocument();
    expect(screen.queryByText(/Matched by words only/)).toBeNull();
    expectCleanText();
  });

  test.each([
    ['en', 'model_not_installed', 'Words or a topic from shared calls', 'Install the sentence model'],
    ['en', 'not_on_server', 'Words or a topic from shared calls', 'It needs pgvector on the server'],
    ['sr-Latn', 'model_not_installed', 'Reči ili tema iz podeljenih poziva', 'Instalirajte model rečenica'],
    ['sr-Latn', 'not_on_server', 'Reči ili tema iz podeljenih poziva', 'Na serveru je potreban pgvector'],
  ] as const)('a search by words only says why (%s, %s)', async (locale, why, label, says) => {
    i18n.locale = locale;
    shell({ team_search: () => ({ ...samples.teamSearch(), meaning_off: why }) });
    const user = userEvent.setup();
    render(TeamScreen);
    await screen.findByRole('table');
    await user.type(screen.getByLabelText(label), 'budget');
    await user.click(screen.getByRole('button', { name: locale === 'en' ? 'Search' : 'Traži' }));
    expect(await screen.findByText(new RegExp(says))).toBeInTheDocument();
    expectCleanText();
  });

  test('nothing found is said, with the words searched', async () => {
    i18n.locale = 'en';
    shell({ team_search: () => ({ hits: [], meaning_off: null }), team_account_history: () => [] });
    const user = userEvent.setup();
    render(TeamScreen);
    await screen.findByRole('table');
    await user.type(screen.getByLabelText('Words or a topic from shared calls'), 'kubernetes');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Nothing the team shared matches “kubernetes”.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Account'), 'Globex');
    await user.click(screen.getByRole('button', { name: 'Show its calls' }));
    expect(await screen.findByText('No shared calls with Globex that you may see.')).toBeInTheDocument();
  });

  test('not in a team: a way to Settings, and no call to the server', async () => {
    for (const [locale, heading, link] of [
      ['en', 'You are not in a team yet', 'Join in Settings'],
      ['sr-Latn', 'Još niste u timu', 'Pridružite se u Podešavanjima'],
    ] as const) {
      i18n.locale = locale;
      const log = shell({ team_status: notJoined });
      const { unmount } = render(TeamScreen);
      expect(await screen.findByRole('heading', { name: heading })).toBeInTheDocument();
      expect(screen.getByRole('link', { name: link })).toHaveAttribute('href', '#/settings');
      expect(log.map((e) => e.cmd)).toEqual(['team_status']);
      expectCleanText();
      unmount();
    }
    i18n.locale = 'en';
  });

  test('a server that cannot be reached says so in the catalogue’s words, and can be retried', async () => {
    i18n.locale = 'en';
    let reachable = false;
    const log = shell({
      team_overview: () => {
        if (!reachable) throw UNREACHABLE;
        return samples.teamOverview();
      },
    });
    const user = userEvent.setup();
    render(TeamScreen);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The team server cannot be reached. Nothing was lost: your changes wait and go with the next sync.',
    );
    expect(alert).not.toHaveTextContent('connection refused');
    reachable = true;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table')).toBeInTheDocument();
    expect(log.filter((e) => e.cmd === 'team_overview')).toHaveLength(2);
  });

  test('Serbian: the bars and the table in Serbian', async () => {
    i18n.locale = 'sr-Latn';
    shell();
    render(TeamScreen);
    const chart = await screen.findByRole('list', { name: /Udeo govora i broj pitanja/ });
    expect(within(chart).getAllByRole('img', { name: /^Ana Petrović: govori 61\s?% vremena, iznad raspona od 43\s?%–57\s?%$/ })).toHaveLength(1);
    expect(screen.getByRole('columnheader', { name: 'Najduži monolog kupca' })).toBeInTheDocument();
    expectCleanText();
    i18n.locale = 'en';
  });
});

describe('Settings → Team', () => {
  test('joining sends the address and shares only chosen calls unless switched on', async () => {
    i18n.locale = 'en';
    let status = notJoined();
    const log = shell({
      team_status: () => status,
      team_join: () => {
        status = samples.teamStatus();
        return status.membership;
      },
    });
    const user = userEvent.setup();
    render(TeamPanel);
    const share = await screen.findByRole('switch', { name: 'Share every call everyone consented to' });
    expect(share).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByText(/Zapis keeps it in the system keyring, never in its data folder/)).toBeInTheDocument();

    // Nothing to join yet: said, and nothing sent.
    await user.click(screen.getByRole('button', { name: 'Join the team' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the team server’s address.');
    expect(log.some((e) => e.cmd === 'team_join')).toBe(false);

    await user.type(screen.getByLabelText('Team server address'), '  postgres://priya@team.example.com/sales ');
    await user.click(screen.getByRole('button', { name: 'Join the team' }));
    await screen.findByText('You joined the team on postgres://priya@team.example.com/sales as priya.');
    expect(log.find((e) => e.cmd === 'team_join')?.args).toEqual({
      address: 'postgres://priya@team.example.com/sales',
      shareAll: false,
    });
    // Now the status: server, you, what is shared, the queue, the last sync.
    expect(screen.getByText('postgres://priya@team.example.com/sales', { selector: 'code' })).toBeInTheDocument();
    expect(screen.getByText('2 calls')).toBeInTheDocument();
    // A call already there whose lines wait to be indexed for the team's search by meaning.
    expect(
      screen.getByText('Still to be indexed for search by meaning (found by words until then)').nextElementSibling,
    ).toHaveTextContent('1 call');
    expect(screen.getByRole('switch', { name: 'Share every call everyone consented to' })).toHaveTextContent(
      'Only the calls you choose',
    );
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeEnabled();
    expectCleanText();
  });

  test('the share-all switch is sent when on, and an address with a password says where the password goes', async () => {
    i18n.locale = 'en';
    const log = shell({ team_status: notJoined });
    const user = userEvent.setup();
    render(TeamPanel);
    await user.click(await screen.findByRole('switch', { name: 'Share every call everyone consented to' }));
    await user.type(screen.getByLabelText('Team server address'), 'postgres://priya:s3cret@team.example.com/sales');
    expect(screen.getByText(/This address holds a password: once it logs in, Zapis keeps it in the system keyring/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Join the team' }));
    await waitFor(() =>
      expect(log.find((e) => e.cmd === 'team_join')?.args).toEqual({
        address: 'postgres://priya:s3cret@team.example.com/sales',
        shareAll: true,
      }),
    );
  });

  test('Sync now: what it did, or why not with the last problem shown', async () => {
    i18n.locale = 'en';
    let fail = false;
    const log = shell({
      team_status: () => {
        const status = samples.teamStatus();
        if (fail && status.membership) status.membership.last_error = UNREACHABLE.message;
        return status;
      },
      team_sync: () => {
        if (fail) throw UNREACHABLE;
        return samples.teamSync();
      },
    });
    const user = userEvent.setup();
    render(TeamPanel);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    expect(
      await screen.findByText(
        'Synced: 3 calls sent, 1 removed from the team library, 4 kept on this computer, 2 teammate edits and 0 team erasures applied, 412 lines made searchable by meaning; 0 still waiting.',
      ),
    ).toBeInTheDocument();

    fail = true;
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not sync: The team server cannot be reached.');
    expect(await screen.findByText(UNREACHABLE.message)).toBeInTheDocument();
    expect(log.filter((e) => e.cmd === 'team_status').length).toBeGreaterThanOrEqual(3);
  });

  test('the policy switch sets all-calls, and leaving asks first', async () => {
    i18n.locale = 'en';
    let status: TeamStatus = samples.teamStatus();
    const log = shell({
      team_status: () => status,
      team_set_policy: (args) => {
        if (status.membership) status = { ...status, membership: { ...status.membership, policy: args.policy as 'all-calls' } };
        return 5;
      },
      team_leave: () => {
        status = notJoined();
        return null;
      },
    });
    const user = userEvent.setup();
    render(TeamPanel);
    await user.click(await screen.findByRole('switch', { name: 'Share every call everyone consented to' }));
    await screen.findByText('Saved. Every call is checked again at the next sync.');
    expect(log.find((e) => e.cmd === 'team_set_policy')?.args).toEqual({ policy: 'all-calls' });
    await waitFor(() =>
      expect(screen.getByRole('switch', { name: 'Share every call everyone consented to' })).toHaveAttribute(
        'aria-checked',
        'true',
      ),
    );

    await user.click(screen.getByRole('button', { name: 'Leave the team…' }));
    const dialog = screen.getByRole('dialog', { name: 'Leave the team?' });
    expect(log.some((e) => e.cmd === 'team_leave')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Leave' }));
    await screen.findByText('You left the team.');
    expect(log.filter((e) => e.cmd === 'team_leave')).toHaveLength(1);
    expect(await screen.findByLabelText('Team server address')).toBeInTheDocument();
  });
});
