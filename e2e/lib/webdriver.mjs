// A small W3C WebDriver client over HTTP (the protocol tauri-driver speaks). The end-to-end
// tests need a dozen commands; written here with Node's fetch so that the e2e suite needs no
// WebDriver library (WebdriverIO's utilities pull in browser-driver downloaders). Its one npm
// package is axe-core (e2e/package.json), the page-side accessibility checker.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} -> ${status}: ${value?.error ?? ''} ${value?.message ?? JSON.stringify(value)}`);
    this.status = status;
    this.code = value?.error;
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch { json = { value: { message: text } }; }
  if (!res.ok) throw new WebDriverError(method, path, res.status, json.value);
  return json.value;
}

export class Session {
  static async create(base, capabilities) {
    const value = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new Session(base, value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async delete() {
    await call(this.base, 'DELETE', `/session/${this.id}`);
  }

  /** Finds one element by CSS selector, waiting up to `timeout` ms for it to appear. */
  async find(css, { timeout = 10_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        const el = await this.cmd('POST', '/element', { using: 'css selector', value: css });
        return new Element(this, elementId(el));
      } catch (e) {
        if (e.code !== 'no such element' || Date.now() > deadline) throw e;
        await sleep(150);
      }
    }
  }

  async findAll(css) {
    const els = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return els.map((e) => new Element(this, elementId(e)));
  }

  /** Waits until `fn` returns a truthy value (polling), or fails with `what`. */
  async waitFor(fn, what, { timeout = 15_000 } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
      await sleep(200);
    }
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  async activeTestId() {
    return this.execute('return document.activeElement && document.activeElement.getAttribute("data-testid")');
  }

  async keys(text) {
    const actions = [...text].flatMap((ch) => [
      { type: 'keyDown', value: ch },
      { type: 'keyUp', value: ch },
    ]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  /** Presses keys together and lets go in reverse order, e.g. `chord(Keys.CONTROL, '/')`. */
  async chord(...keys) {
    const actions = [...keys.map((value) => ({ type: 'keyDown', value })), ...[...keys].reverse().map((value) => ({ type: 'keyUp', value }))];
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  /**
   * Drags with the mouse through W3C pointer actions (what a person's mouse does: the window gets
   * real pointer events, not synthetic ones from a script): scrolls `handle` into view, presses
   * at its centre, moves a few pixels so the drag starts, then asks `target` where to go. `target`
   * is the body of a page function returning `{x, y}` in viewport pixels; it runs once the drag
   * has started, so it sees the page as the drag changed it (e.g. a gap that opens). The pointer
   * glides there in `steps` moves, rests `rest` ms (time for the page to scroll by itself when
   * the target is at its edge), and lets go. `escape: true` presses Escape before letting go (a
   * cancelled drag).
   */
  async pointerDrag(handle, target, { steps = 12, rest = 150, escape = false } = {}) {
    const from = await this.execute(
      `const el = arguments[0];
       el.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
       const r = el.getBoundingClientRect();
       return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };`,
      [handle.ref()],
    );
    const pointer = (actions) => this.cmd('POST', '/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
    const move = (x, y, duration) => ({ type: 'pointerMove', origin: 'viewport', x: Math.round(x), y: Math.round(y), duration });
    try {
      await pointer([move(from.x, from.y, 0), { type: 'pointerDown', button: 0 }, { type: 'pause', duration: 60 }, move(from.x, from.y + 6, 40), move(from.x, from.y + 12, 40)]);
      await sleep(150);
      const to = await this.execute(target);
      if (!to || !Number.isFinite(to.x) || !Number.isFinite(to.y)) throw new Error(`pointerDrag: the target gave ${JSON.stringify(to)}`);
      const start = { x: from.x, y: from.y + 12 };
      const path = [];
      for (let i = 1; i <= steps; i++) path.push(move(start.x + ((to.x - start.x) * i) / steps, start.y + ((to.y - start.y) * i) / steps, 30));
      await pointer([...path, { type: 'pause', duration: rest }]);
      if (escape) await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: Keys.ESCAPE }, { type: 'keyUp', value: Keys.ESCAPE }] }] });
      await pointer([{ type: 'pointerUp', button: 0 }]);
    } finally {
      await this.cmd('DELETE', '/actions');
    }
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  title() {
    return this.cmd('GET', '/title');
  }
}

export class Element {
  constructor(session, id) {
    this.s = session;
    this.id = id;
  }
  /** A reference to this element as a script argument. */
  ref() {
    return { [ELEMENT]: this.id, ELEMENT: this.id };
  }

  /**
   * Clicks like a person would: first scrolls the element to the centre of its nearest scrolling
   * ancestor (and every one above it), then waits until it is displayed and nothing covers its
   * centre, then clicks; a click the driver still refuses (an animation, a reflow) is tried again
   * until `timeout`. Every test clicks through here, so none depends on where the window's size
   * or the machine's fonts happened to put an element.
   */
  async click({ timeout = 10_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      let state;
      try {
        state = await this.s.execute(
          `const el = arguments[0];
           el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
           const r = el.getBoundingClientRect();
           if (r.width === 0 || r.height === 0) return 'not displayed';
           const x = r.left + r.width / 2, y = r.top + r.height / 2;
           if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return 'outside the window';
           const hit = document.elementFromPoint(x, y);
           if (hit !== el && !el.contains(hit)) return 'covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing');
           return 'ok';`,
          [this.ref()],
        );
        if (state === 'ok') return await this.s.cmd('POST', `/element/${this.id}/click`, {});
      } catch (e) {
        const retry = ['element not interactable', 'element click intercepted'].includes(e.code);
        if (!retry || Date.now() > deadline) throw e;
        state = e.message;
      }
      if (Date.now() > deadline) throw new Error(`element ${this.id} not clickable after ${timeout} ms: ${state}`);
      await sleep(100);
    }
  }
  /** The first element matching `css` inside this one (no waiting). */
  async find(css) {
    const el = await this.s.cmd('POST', `/element/${this.id}/element`, { using: 'css selector', value: css });
    return new Element(this.s, elementId(el));
  }
  text() {
    return this.s.cmd('GET', `/element/${this.id}/text`);
  }
  attr(name) {
    return this.s.cmd('GET', `/element/${this.id}/attribute/${name}`);
  }
  displayed() {
    return this.s.cmd('GET', `/element/${this.id}/displayed`);
  }
  clear() {
    return this.s.cmd('POST', `/element/${this.id}/clear`, {});
  }
  type(text) {
    return this.s.cmd('POST', `/element/${this.id}/value`, { text });
  }
}

export const Keys = { TAB: '\uE004', ENTER: '\uE007', DOWN: '\uE015', UP: '\uE013', LEFT: '\uE012', RIGHT: '\uE014', BACKSPACE: '\uE003', ESCAPE: '\uE00C', SPACE: '\uE00D', CONTROL: '\uE009' };

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function elementId(ref) {
  const id = ref?.[ELEMENT] ?? ref?.ELEMENT;
  if (!id) throw new Error(`unexpected element reference ${JSON.stringify(ref)}`);
  return id;
}
