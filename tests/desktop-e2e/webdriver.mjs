// A small W3C WebDriver client over fetch, enough to drive the real Zapis window through
// tauri-driver (which forwards to WebKitWebDriver). Plain HTTP keeps the test free of npm packages.

// The W3C web element identifier key.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, body) {
    const detail = body?.value?.message || body?.value?.error || JSON.stringify(body);
    super(`${method} ${path} answered ${status}: ${detail}`);
    this.code = body?.value?.error;
  }
}

// No single command should take long; a stuck one (a frozen window) must fail the test, not hang it.
const COMMAND_TIMEOUT_MS = 30_000;

async function call(base, method, path, body) {
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Error(`${method} ${path} got no answer: ${error.message}`);
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(method, path, response.status, { value: { message: text } });
  }
  if (!response.ok) throw new WebDriverError(method, path, response.status, json);
  return json.value;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy; throws with `what` after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = 10_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const result = await probe();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

export class Session {
  static async create(base, capabilities) {
    const value = await call(base, 'POST', '/session', { capabilities });
    return new Session(base, value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  request(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  title() {
    return this.request('GET', '/title');
  }

  url() {
    return this.request('GET', '/url');
  }

  /** All elements matching a CSS selector (possibly none). */
  async findAll(css) {
    const found = await this.request('POST', '/elements', { using: 'css selector', value: css });
    return found.map((e) => new Element(this, e[ELEMENT]));
  }

  async find(css) {
    const [first] = await this.findAll(css);
    return first;
  }

  /** Waits until a CSS selector matches, returning the first match. */
  waitFor(css, options) {
    return waitFor(`"${css}"`, () => this.find(css), options);
  }

  /** The first element matching `css` whose text contains `text` (textContent, so hidden overflow counts). */
  async findByText(css, text) {
    const found = await this.execute(
      'return [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.includes(arguments[1])) ?? null;',
      [css, text],
    );
    return found ? new Element(this, found[ELEMENT]) : undefined;
  }

  execute(script, args = []) {
    return this.request('POST', '/execute/sync', { script, args });
  }

  async screenshotPng() {
    return Buffer.from(await this.request('GET', '/screenshot'), 'base64');
  }

  delete() {
    return call(this.base, 'DELETE', `/session/${this.id}`);
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  request(method, path, body) {
    return this.session.request(method, `/element/${this.id}${path}`, body);
  }

  click() {
    return this.request('POST', '/click', {});
  }

  type(text) {
    return this.request('POST', '/value', { text });
  }

  /** The rendered text, as a person sees it. */
  text() {
    return this.request('GET', '/text');
  }

  /** All text inside, clipped or not. */
  textContent() {
    return this.session.execute('return arguments[0].textContent;', [{ [ELEMENT]: this.id }]);
  }

  attribute(name) {
    return this.request('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  enabled() {
    return this.request('GET', '/enabled');
  }
}
