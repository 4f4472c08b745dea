// Desktop start-up and scrolling benchmark (run by bench/app-startup.sh): launches the release app
// through tauri-driver several times against a 10,000-call library and prints the time to an
// interactive window and to a listed call history, then scrolls the history and prints frame times.
import { Session, waitFor } from '../tests/desktop-e2e/webdriver.mjs';

const driver = process.env.ZAPIS_DRIVER_URL ?? 'http://127.0.0.1:4444';
const app = process.env.ZAPIS_APP;
const runs = Number(process.env.RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

const interactive = [];
const listed = [];
let frames = [];
let idle = [];
for (let i = 0; i < runs; i++) {
  const launched = performance.now();
  const session = await Session.create(driver, { alwaysMatch: { 'tauri:options': { application: app } } });
  await session.waitFor('header button.primary', { timeoutMs: 30_000, intervalMs: 10 });
  interactive.push(performance.now() - launched);
  await waitFor('the first call rows', () => session.find('[role=listbox] [role=option]'), { timeoutMs: 30_000, intervalMs: 10 });
  listed.push(performance.now() - launched);
  if (i === runs - 1) {
    // The same number of frames without scrolling: what this display manages at all.
    idle = await session.execute(`
      return new Promise((done) => {
        const gaps = [];
        let last = performance.now();
        const step = (now) => {
          gaps.push(now - last);
          last = now;
          if (gaps.length < 120) requestAnimationFrame(step); else done(gaps.slice(1));
        };
        requestAnimationFrame(step);
      });`);
    // 240 animation frames, each scrolling the virtualised history by 300 px.
    frames = await session.execute(`
      const list = document.querySelector('[role=listbox]');
      return new Promise((done) => {
        const gaps = [];
        let last = performance.now();
        const step = (now) => {
          gaps.push(now - last);
          last = now;
          list.scrollTop += 300;
          if (gaps.length < 240) requestAnimationFrame(step); else done(gaps.slice(1));
        };
        requestAnimationFrame(step);
      });`);
  }
  await session.delete();
}

console.log(`desktop app, ${runs} launches (release build, 10,000-call library, measured from the WebDriver session request, which includes starting WebKitWebDriver):`);
console.log(`  interactive window: median ${median(interactive).toFixed(0)} ms (min ${Math.min(...interactive).toFixed(0)})   (target < 1000 ms)`);
console.log(`  call history listed: median ${median(listed).toFixed(0)} ms`);
console.log(`history scroll, ${frames.length} frames of 300 px: frame time p50 ${pct(frames, 0.5).toFixed(1)} ms, p95 ${pct(frames, 0.95).toFixed(1)} ms, ` +
  `frames over 50 ms: ${frames.filter((f) => f > 50).length}`);
console.log(`  same display, not scrolling: frame time p50 ${pct(idle, 0.5).toFixed(1)} ms, p95 ${pct(idle, 0.95).toFixed(1)} ms ` +
  '(jank is scrolling frames well above this)');
