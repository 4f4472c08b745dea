// End-to-end test of the real Zapis desktop app: tauri-driver starts the debug build under Xvfb,
// and this script drives the tray menu over D-Bus, goes through consent, records known speech
// played into the test PulseAudio server, stops from the tray, finds the call and its transcript
// in the history, imports a transcript through the system file dialog (answered with xdotool),
// and closes the window as a window manager would (the app stays in the tray).
//
// Environment (scripts/e2e-desktop.sh sets it up):
//   ZAPIS_APP             absolute path of the zapis-desktop binary
//   ZAPIS_DATA_DIR        a fresh library with the transcription model installed
//   ZAPIS_E2E_DRIVER      tauri-driver's address (default http://127.0.0.1:4444)
//   ZAPIS_E2E_SHOTS       where screenshots go (default target/screenshots; on failure, one more
//                         goes to target/e2e-desktop/app-failure.png)
//   PULSE_SERVER et al.   the test server of scripts/pulse-test-env.sh
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Tray } from './tray.mjs';
import { Session, sleep, waitFor } from './webdriver.mjs';

const run = promisify(execFile);
const driverUrl = process.env.ZAPIS_E2E_DRIVER ?? 'http://127.0.0.1:4444';
const shots = resolve(process.env.ZAPIS_E2E_SHOTS ?? 'target/screenshots');
const app = process.env.ZAPIS_APP;

// Two channels, two speakers: the customer comes through system audio (the call app's output, the
// null sink), the rep through the microphone. Their words do not overlap, so the roles can be told.
const CUSTOMER = {
  sink: 'zapis_null',
  text: 'We would like the proposal by Friday, and our budget is forty thousand dollars.',
  words: ['proposal', 'friday', 'budget', 'forty', 'thousand', 'dollars'],
  needed: 2,
};
const REP = {
  sink: 'zapis_mic_feed',
  text: 'Thank you for joining the call today. Let me walk you through our delivery plan.',
  words: ['thank', 'joining', 'call', 'today', 'walk', 'delivery', 'plan'],
  needed: 2,
};
const PEOPLE = [
  { name: 'Mila Rep', email: 'mila@zapis.example' },
  { name: 'Ana Petrović', email: 'ana.petrovic@delta-logistika.rs' },
];
const TITLE = `E2E call ${new Date().toISOString().slice(0, 19)}`;

const TRAY_MENU = ['Record…', 'Stop', 'Open Zapis', 'Quit'];

const results = [];
const problems = [];
let session;
let audioDir;
let tray;
let idleIcon;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function wordsFound(text, words) {
  const lower = text.toLowerCase();
  return words.filter((w) => new RegExp(`\\b${w}`).test(lower));
}

async function screenshot(name, dir = shots) {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `app-${name}.png`);
  await writeFile(path, await session.screenshotPng());
  console.log(`  screenshot ${path}`);
}

async function hash() {
  return session.execute('return location.hash;');
}

/** Error notices the app shows (red toasts); any of them means a command or event went wrong. */
async function collectErrorNotices() {
  const texts = await session.execute(
    `return [...document.querySelectorAll('.notices [role="alert"] span')].map((e) => e.textContent);`,
  );
  for (const text of texts) {
    if (!problems.includes(text)) {
      problems.push(text);
      console.log(`  app error notice: ${text}`);
    }
  }
}

/** The running app's process id: the newest process whose executable is ZAPIS_APP. */
async function appPid() {
  // /proc shows the executable's resolved path.
  const exePath = await realpath(app);
  let newest = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const exe = await readlink(`/proc/${entry}/exe`).catch(() => '');
    if (exe === exePath) newest = Math.max(newest, Number(entry));
  }
  check(newest > 0, `no running process of ${app}`);
  return newest;
}

async function trayState() {
  const items = await tray.items();
  const enabled = (label) => items.find((i) => i.label === label)?.enabled;
  return { record: enabled('Record…'), stop: enabled('Stop'), icon: await tray.icon() };
}

async function speak(person, file) {
  await run('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', file, person.text], { timeout: 30_000 });
  return file;
}

function play(sink, file) {
  console.log(`  playing ${file} into ${sink}`);
  return run('paplay', ['-d', sink, file], { timeout: 30_000 });
}

// --- the steps; each depends on the one before -------------------------------------------------

async function startsToAnInteractiveWindow() {
  check(app, 'ZAPIS_APP is not set: point it at target/debug/zapis-desktop');
  const launched = performance.now();
  session = await Session.create(driverUrl, {
    alwaysMatch: { 'tauri:options': { application: app } },
  });
  const sessionMs = performance.now() - launched;
  // Interactive: the navigation's Record button can be found (and so clicked).
  const record = await session.waitFor('header button.primary', { timeoutMs: 30_000, intervalMs: 25 });
  const interactiveMs = performance.now() - launched;
  await waitFor('the calls list to load', async () => {
    const status = await session.find('.calls .count');
    return status && !(await status.text()).includes('Loading');
  });
  const listedMs = performance.now() - launched;
  console.log(
    `  startup: session ${sessionMs.toFixed(0)} ms, first element ${interactiveMs.toFixed(0)} ms, ` +
      `calls listed ${listedMs.toFixed(0)} ms (from session request)`,
  );
  const title = await session.title();
  check(title === 'Zapis', `window title is "${title}", expected "Zapis"`);
  check(await record.enabled(), 'the Record button is disabled in a fresh app');
}

async function theTrayMenuOpensConsentAndTheWindow() {
  tray = await Tray.find(await appPid());
  const labels = (await tray.items()).filter((i) => !i.separator).map((i) => i.label);
  check(
    JSON.stringify(labels) === JSON.stringify(TRAY_MENU),
    `the tray menu is ${JSON.stringify(labels)}, expected ${JSON.stringify(TRAY_MENU)}`,
  );
  const idle = await trayState();
  check(idle.record && !idle.stop, `while idle the tray should offer Record… and not Stop: ${JSON.stringify(idle)}`);
  idleIcon = idle.icon;
  console.log(`  tray ${tray.dest} ${tray.itemPath}: ${labels.join(', ')}; icon ${idleIcon.path}`);

  await tray.click('Record…');
  await waitFor('the tray\'s Record… to open the consent screen', async () =>
    (await hash()) === '#/record' && (await session.find('main.consent section.notice')));
  await tray.click('Open Zapis');
  await waitFor('the tray\'s Open Zapis to show the calls', async () =>
    (await hash()) === '#/calls' && (await session.find('.calls .count')));
}

async function consentGatesTheStart() {
  await (await session.find('header button.primary')).click();
  await session.waitFor('main.consent li.participant');
  // The notice must be on screen (and versioned) before anyone is asked to agree.
  const notice = await session.waitFor('main.consent section.notice', { timeoutMs: 5_000 });
  const noticeText = await notice.text();
  check(/Notice version \S+/.test(noticeText), `the notice shows no version: "${noticeText.slice(0, 200)}"`);
  const start = await session.waitFor('main.consent button.start');
  check(!(await start.enabled()), 'Start recording is enabled before anyone was named');

  for (const [index, person] of PEOPLE.entries()) {
    if ((await session.findAll('li.participant')).length <= index) {
      await (await session.find('main.consent button.add')).click();
      await waitFor('a new participant row', async () => (await session.findAll('li.participant')).length > index);
    }
    const row = `li.participant:nth-of-type(${index + 1})`;
    await (await session.find(`${row} input[type="text"]`)).type(person.name);
    await (await session.find(`${row} input[type="email"]`)).type(person.email);
  }
  await (await session.find('#call-title')).type(TITLE);

  const switches = [];
  for (const person of PEOPLE) {
    const label = `${person.name} agrees to be recorded`;
    const found = await session.waitFor(`button[role="switch"][aria-label="${label}"]`);
    check((await found.attribute('aria-checked')) === 'false', `${person.name}'s switch is on before they chose`);
    switches.push(found);
  }
  check(!(await start.enabled()), 'Start recording is enabled before anyone opted in');
  await switches[0].click();
  check((await switches[0].attribute('aria-checked')) === 'true', 'the first switch did not turn on');
  check(!(await start.enabled()), 'Start recording is enabled with one of two opted in');
  const hint = await (await session.find('#start-hint')).text();
  check(hint.includes(PEOPLE[1].name), `the hint does not name who is missing: "${hint}"`);
  await switches[1].click();
  await waitFor('Start recording to be enabled once both opted in', () => start.enabled());
  // Show the people and the Start button, once the switches' transitions have ended.
  await session.execute(`document.querySelector('main.consent .go').scrollIntoView({ block: 'end' });`);
  await sleep(800);
  await screenshot('consent');
  console.log('  starting the recording');
  await start.click();
}

async function recordsWithALiveTranscript() {
  await session.waitFor('.banner.recording', { timeoutMs: 15_000 });
  console.log('  recording');
  await waitFor('the live screen', async () => (await hash()) === '#/live');
  const banner = await (await session.find('.banner.recording strong')).text();
  check(banner.includes('everyone was told'), `banner reads "${banner}"`);

  audioDir = await mkdtemp(join(tmpdir(), 'zapis-e2e-'));
  const [repWav, customerWav] = await Promise.all([
    speak(REP, join(audioDir, 'rep.wav')),
    speak(CUSTOMER, join(audioDir, 'customer.wav')),
  ]);
  // The meters should move while each side speaks: sample them during playback.
  const loudest = { 'Microphone (you)': -60, 'System audio (the others)': -60 };
  let playing = true;
  const sampling = (async () => {
    while (playing) {
      const now = await session.execute(
        `return [...document.querySelectorAll('[role="meter"]')].map((m) => [m.getAttribute('aria-label'), Number(m.getAttribute('aria-valuenow'))]);`,
      );
      for (const [label, db] of now) if (label in loudest) loudest[label] = Math.max(loudest[label], db);
      await sleep(200);
    }
  })();
  try {
    // A turn each, as in a call: the rep opens, the customer answers.
    await sleep(1_000);
    await play(REP.sink, repWav);
    await sleep(500);
    await play(CUSTOMER.sink, customerWav);
  } finally {
    playing = false;
    await sampling;
  }
  console.log(`  loudest meter readings while speaking: ${JSON.stringify(loudest)} dBFS`);
  for (const [label, db] of Object.entries(loudest)) {
    check(db > -50, `the "${label}" meter stayed at ${db} dBFS while speech played into it`);
  }

  // Live lines come per utterance as each one ends; both speakers should be on screen soon after.
  const played = performance.now();
  const liveLines = () =>
    session.execute(
      `return [...document.querySelectorAll('ol[aria-live] li')].map((li) => ({
         role: li.classList.contains('customer') ? 'customer' : 'rep',
         final: !li.classList.contains('provisional'),
         text: li.querySelector('.text')?.textContent ?? '' }));`,
    );
  let lines = await waitFor('the live transcript to show text', async () => {
    const now = await liveLines();
    return now.some((l) => l.text.trim()) && now;
  }, { timeoutMs: 30_000, intervalMs: 250 });
  const firstMs = performance.now() - played;
  lines = await waitFor('a live line from each speaker', async () => {
    const now = await liveLines();
    return ['rep', 'customer'].every((role) => now.some((l) => l.role === role && l.text.trim())) && now;
  }, { timeoutMs: 20_000, intervalMs: 250 }).catch((error) => {
    throw new Error(`${error.message}; the live transcript had: ${JSON.stringify(lines)}`);
  });
  console.log(
    `  live transcript (first line ${(firstMs / 1000).toFixed(1)} s, both speakers ` +
      `${((performance.now() - played) / 1000).toFixed(1)} s after the speech ended):`,
  );
  for (const l of lines) console.log(`    ${l.role}${l.final ? '' : ' (provisional)'}: ${l.text}`);
  await collectErrorNotices();
  await screenshot('live-call');

  // The tray follows the recording: Stop instead of Record…, and the recording icon.
  const recording = await trayState();
  check(recording.stop && !recording.record, `while recording the tray should offer Stop, not Record…: ${JSON.stringify({ ...recording, icon: recording.icon.path })}`);
  check(!recording.icon.bytes.equals(idleIcon.bytes), 'the tray icon did not change to the recording icon');
  console.log('  stopping from the tray');
  await tray.click('Stop');
}

async function findsTheCallInTheHistory() {
  await waitFor('the recording banner to go away', async () => !(await session.find('.banner.recording')));
  const stopped = await waitFor('the tray to offer Record… again', async () => {
    const now = await trayState();
    return now.record && !now.stop && now;
  });
  check(stopped.icon.bytes.equals(idleIcon.bytes), `after Stop the tray icon ${stopped.icon.path} is not the idle icon`);
  // The live screen opens the call by itself when processing is done.
  const opened = await waitFor(
    'processing to finish (the live screen opens the call)',
    async () => {
      await collectErrorNotices();
      const at = await hash();
      return /^#\/calls\/\d+$/.test(at) && at;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
  const callId = Number(opened.split('/').pop());
  console.log(`  processing done: ${opened}`);

  // Then find it the way a rep would: in the history.
  await (await session.find('nav a[href="#/calls"]')).click();
  const row = await waitFor(
    `"${TITLE}" in the call history`,
    () => session.findByText('[role="listbox"] [role="option"]', TITLE),
    { timeoutMs: 10_000 },
  );
  const rowText = await row.textContent();
  check(PEOPLE.every((p) => rowText.includes(p.name)), `the history row does not list both people: ${rowText}`);
  check(!/Processing|Failed/i.test(rowText), `the call is not ready in the history: ${rowText}`);
  await row.click();
  await waitFor(`call ${callId} to open`, async () => (await hash()) === `#/calls/${callId}`);
  await session.waitFor('ol.transcript li', { timeoutMs: 10_000 });

  const segments = await session.execute(
    `return [...document.querySelectorAll('ol.transcript li')].map((li) => ({
       role: li.className.includes('customer') ? 'customer' : li.className.includes('rep') ? 'rep' : li.className,
       text: li.querySelector('.text')?.textContent ?? '' }));`,
  );
  for (const s of segments) console.log(`  ${s.role}: ${s.text}`);
  const said = (role) => segments.filter((s) => s.role === role).map((s) => s.text).join(' ');
  const customerHeard = wordsFound(said('customer'), CUSTOMER.words);
  const repHeard = wordsFound(said('rep'), REP.words);
  check(
    customerHeard.length >= CUSTOMER.needed,
    `the customer's lines have ${customerHeard.length} of ${CUSTOMER.words.join(', ')}: "${said('customer')}"`,
  );
  check(
    repHeard.length >= REP.needed,
    `the rep's lines have ${repHeard.length} of ${REP.words.join(', ')}: "${said('rep')}"`,
  );
  await collectErrorNotices();
  await screenshot('call-detail');
}

// A Teams transcript of another call, imported the way a rep would: the Import button, the
// system's file dialog, the consent confirmation.
const IMPORTED = {
  file: 'Delta weekly sync.vtt',
  title: `E2E import ${new Date().toISOString().slice(0, 19)}`,
  vtt: [
    'WEBVTT',
    '',
    '00:00:01.000 --> 00:00:05.000',
    '<v Mila Rep>Thanks for making time today, Ana.</v>',
    '',
    '00:00:05.500 --> 00:00:11.000',
    '<v Ana Petrović>Sure. We need the warehouse integration live before the holiday peak.</v>',
    '',
    '00:00:11.500 --> 00:00:16.000',
    '<v Mila Rep>Understood. I will send you the rollout plan by Thursday.</v>',
    '',
  ].join('\n'),
};

/** Whether a window with this title is on screen (GTK may keep a closed dialog, unmapped). */
async function shown(title) {
  try {
    await run('xdotool', ['search', '--onlyvisible', '--name', title], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Answers GTK's open dialog (outside the webview, so WebDriver cannot) by typing the path. */
async function answerFileDialog(title, path) {
  const { stdout } = await run('xdotool', ['search', '--sync', '--onlyvisible', '--name', title], {
    timeout: 20_000,
  });
  const window = stdout.trim().split('\n')[0];
  check(window, `no file dialog titled "${title}" appeared`);
  // Ctrl+L opens GTK's location field whatever the chooser shows first (typing "/" into a
  // chooser whose focus is still arriving starts a search instead); Ctrl+A replaces anything a
  // completion put there. The field's completion can take a Return for itself, so Return is
  // pressed until the dialog has gone, and the whole path is typed again if it has not.
  for (let round = 0; round < 3 && (await shown(title)); round++) {
    await run('xdotool', ['windowfocus', '--sync', window], { timeout: 10_000 });
    await sleep(500);
    await run('xdotool', ['key', '--clearmodifiers', 'ctrl+l'], { timeout: 10_000 });
    await sleep(300);
    await run('xdotool', ['key', '--clearmodifiers', 'ctrl+a'], { timeout: 10_000 });
    await run('xdotool', ['type', '--delay', '25', path], { timeout: 60_000 });
    await sleep(400);
    for (let attempt = 0; attempt < 3 && (await shown(title)); attempt++) {
      await run('xdotool', ['key', 'Return'], { timeout: 10_000 });
      await sleep(1_000);
    }
  }
  check(!(await shown(title)), `the file dialog did not take the path ${path}`);
}

async function importsATranscriptThroughTheFileDialog() {
  const dir = await mkdtemp(join(tmpdir(), 'zapis-e2e-import-'));
  try {
    const path = join(dir, IMPORTED.file);
    await writeFile(path, IMPORTED.vtt);
    await (await session.find('nav a[href="#/calls"]')).click();
    await waitFor('the call history', async () => (await hash()) === '#/calls');
    const button = await waitFor('the Import… button', () => session.findByText('main.calls button', 'Import…'));
    await button.click();
    await answerFileDialog('Import a recording or a transcript', path);

    const dialog = await session.waitFor('dialog[open]', { timeoutMs: 10_000 });
    const asked = await dialog.text();
    check(asked.includes(IMPORTED.file), `the import dialog does not name the file: "${asked}"`);
    check(/Transcript/.test(asked), `the file is not recognised as a transcript: "${asked}"`);
    const confirm = await session.findByText('dialog[open] button', 'Import');
    check(!(await confirm.enabled()), 'Import is enabled before the consent confirmation');
    await (await session.find('dialog[open] input[type="checkbox"]')).click();
    await (await session.find('#import-title')).type(IMPORTED.title);
    await waitFor('Import to be enabled after the confirmation', () => confirm.enabled());
    await screenshot('import');
    await confirm.click();

    const opened = await waitFor(
      'the imported call to open',
      async () => {
        await collectErrorNotices();
        const at = await hash();
        return /^#\/calls\/\d+$/.test(at) && at;
      },
      { timeoutMs: 30_000 },
    );
    await session.waitFor('ol.transcript li', { timeoutMs: 10_000 });
    const heading = await (await session.find('main h1')).text();
    check(heading.includes(IMPORTED.title), `the imported call is titled "${heading}"`);
    const transcript = await (await session.find('ol.transcript')).text();
    check(/warehouse integration/.test(transcript), `the transcript is not the file's: "${transcript}"`);
    check(transcript.includes('Ana Petrović'), `the speaker names are lost: "${transcript}"`);
    console.log(`  imported as ${opened}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function closingTheWindowKeepsTheTray() {
  const pid = await appPid();
  const visibility = () => session.execute('return document.visibilityState;');
  check((await visibility()) === 'visible', `the window is ${await visibility()} before closing it`);
  // What a window manager's close button sends: WM_DELETE_WINDOW.
  const { stdout } = await run('python3', ['tests/desktop-e2e/close-window.py', String(pid), 'Zapis'], {
    timeout: 10_000,
  });
  console.log(`  ${stdout.trim()}`);
  await waitFor('the window to be hidden', async () => (await visibility()) === 'hidden');
  await sleep(500);
  check(isRunning(pid), 'closing the window quit the app');
  const items = await tray.items();
  check(items.some((i) => i.label === 'Open Zapis'), 'the tray is gone after closing the window');
  await tray.click('Open Zapis');
  await waitFor('the tray\'s Open Zapis to show the window again', async () =>
    (await visibility()) === 'visible' && (await hash()) === '#/calls');
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const STEPS = [
  ['starts to an interactive window titled Zapis', startsToAnInteractiveWindow],
  ['the tray menu (over D-Bus) opens the consent screen and the window', theTrayMenuOpensConsentAndTheWindow],
  ['consent gates Start recording until everyone opts in', consentGatesTheStart],
  ['records played speech with a live transcript; the tray follows and stops it', recordsWithALiveTranscript],
  ['finds the call and its transcript in the history', findsTheCallInTheHistory],
  ['imports a Teams transcript through the system file dialog, after the consent confirmation', importsATranscriptThroughTheFileDialog],
  ['closing the window keeps Zapis in the tray, which brings it back', closingTheWindowKeepsTheTray],
];

async function main() {
  let failed = false;
  for (const [name, step] of STEPS) {
    if (failed) {
      results.push({ name, ok: false, why: 'not run: an earlier step failed' });
      continue;
    }
    const began = performance.now();
    console.log(`- ${name}`);
    try {
      await step();
      results.push({ name, ok: true, ms: performance.now() - began });
    } catch (error) {
      failed = true;
      results.push({ name, ok: false, why: error.message });
      if (session) {
        // Kept out of docs/: a failure shot is for whoever debugs this run.
        await screenshot('failure', resolve('target/e2e-desktop')).catch(() => {});
        await collectErrorNotices().catch(() => {});
      }
    }
  }
  if (failed) {
    for (const p of problems) console.log(`  the app also showed: ${p}`);
  } else {
    // Any red notice means a command or event went wrong somewhere along the way.
    results.push({
      name: 'the app showed no error notices',
      ok: problems.length === 0,
      ms: 0,
      why: problems.join('\n     '),
    });
  }
  if (session) await session.delete().catch((e) => console.log(`  closing the session: ${e.message}`));
  if (audioDir) await rm(audioDir, { recursive: true, force: true });

  console.log('');
  for (const r of results) {
    const time = r.ok && r.ms > 0 ? ` (${(r.ms / 1000).toFixed(1)} s)` : '';
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${time}${r.ok ? '' : `\n     ${r.why}`}`);
  }
  const passed = results.filter((r) => r.ok).length;
  const failures = results.length - passed;
  console.log(`desktop e2e: ${passed} passed, ${failures} failed`);
  process.exitCode = failures > 0 ? 1 : 0;
}

await main();
