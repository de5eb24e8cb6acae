// Starts the real Penneo Desk window for a test file: Xvfb (when DISPLAY is unset), a private
// D-Bus session with tauri-driver inside it, and a WebDriver session on the app binary.
// Every process it starts is stopped again by process id (process group) in stop().

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { Session, sleep } from './webdriver.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
export const APP_BIN = process.env.PENNEO_DESK_BIN ?? path.join(TARGET, 'debug', 'penneo-desk');
export const SIM_BIN = path.join(TARGET, 'debug', 'penneo-sim');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
/**
 * Which fonts the window may find. `dejavu` (the default, what `make test` runs): only DejaVu, as
 * on a fresh Debian machine, whatever this machine has installed. `system`: the machine's own
 * fontconfig. The app ships its own typeface, so both must lay out alike.
 */
export const FONTS = process.env.E2E_FONTS ?? 'dejavu';
if (!['dejavu', 'system'].includes(FONTS)) throw new Error(`E2E_FONTS must be dejavu or system, not ${FONTS}`);
const FONT_ENV = FONTS === 'dejavu' ? { FONTCONFIG_FILE: path.join(ROOT, 'e2e', 'fonts', 'dejavu-only.conf') } : {};

/** The glibc locale each UI language's window runs under (English keeps the machine's). */
const LOCALES = { da: 'da_DK', sv: 'sv_SE', nb: 'nb_NO' };

/**
 * The environment that makes the window's OS language `language`. WebKitGTK's navigator.language
 * is the process locale (setlocale, i.e. LC_ALL / LANG), not LANGUAGE: under C.UTF-8 it reads
 * "C". So another language gets its glibc locale, compiled once with localedef (Debian's
 * `locales` package has the sources) into a folder of its own that LOCPATH points to: no root,
 * nothing changed on the machine. English keeps the machine's locale, as before.
 */
function languageEnv(language) {
  const base = LOCALES[language];
  if (!base) return { LANGUAGE: language };
  const dir = path.join(tmpdir(), 'penneo-desk-e2e-locales');
  const name = `${base}.UTF-8`;
  if (!existsSync(path.join(dir, name, 'LC_CTYPE'))) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('localedef', ['-i', base, '-f', 'UTF-8', path.join(dir, name)], { encoding: 'utf8' });
    if (!existsSync(path.join(dir, name, 'LC_CTYPE'))) {
      throw new Error(`could not compile the ${name} locale for the ${language} window (Debian: apt-get install locales): ${r.stderr || r.error}`);
    }
  }
  return { LOCPATH: dir, LANG: name, LC_ALL: name, LANGUAGE: language };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntil(fn, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function killGroup(child, signal) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

/**
 * Opens the app. `env` is added to the app's environment (for example a prepared data dir);
 * `welcome` says what to do with the first start's welcome (see `passWelcome`). `language` is
 * the OS language the window sees (navigator.language, from the locale: see `languageEnv`): English
 * unless a test asks for another, e.g. `startApp({ language: 'da' })` for the Danish UI, so the suite does not depend
 * on the machine's locale. `composited: false` leaves the window's compositing to the app (see the
 * environment below). Returns {session, stop, shot, dataDir, display, welcomed}.
 */
/**
 * Removes an app's scratch folder. On a desktop with portals, GTK starts xdg-document-portal in
 * the test's D-Bus session, and with no XDG_RUNTIME_DIR it mounts its FUSE file system at
 * `$XDG_CACHE_HOME/doc`, inside this folder; it goes away shortly after the session ends. Such
 * mounts are detached first, and the removal is tried again for a few seconds.
 */
async function removeWorkDir(dir) {
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (e) {
      if (attempt >= 20) {
        console.warn(`# could not remove ${dir}: ${e.message}`);
        return;
      }
      for (const mount of mountsUnder(dir)) spawnSync('fusermount', ['-u', '-z', mount], { stdio: 'ignore' });
      await sleep(250);
    }
  }
}

function mountsUnder(dir) {
  try {
    return readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1])
      .filter((m) => m && (m === dir || m.startsWith(`${dir}/`)));
  } catch {
    return [];
  }
}

/**
 * Waits until no app holds the data dir's lock (`penneo-desk.lock`, taken by `DeskCore::open`):
 * an app stopped a moment ago may still be exiting, and a second app on the same data dir
 * refuses to start (`already_open`). Uses util-linux `flock`; without it, does not wait.
 */
async function waitForDataDirFree(dataDir) {
  const lock = path.join(dataDir, 'penneo-desk.lock');
  if (!existsSync(lock)) return;
  await waitUntil(async () => {
    const r = spawnSync('flock', ['--nonblock', '--shared', lock, 'true']);
    return r.error !== undefined || r.status === 0;
  }, `the app before this one to let go of ${dataDir}`, 15_000);
}

/**
 * The first start's welcome (a dialog over the window until it is closed once per data dir;
 * `startApp({ welcome: 'none' })` does not look for it, for a page that has none, like the
 * bench's blank page).
 * Waits until the window has read whether to show it: `'explore'` (the default) closes it the way a
 * user does, with "Explore the demo", so a test starts on the demo workspace as before; `'keep'`
 * leaves it open for the test that looks at it. Returns what the window showed: 'open' or 'closed'.
 */
export async function passWelcome(session, welcome = 'explore') {
  const state = await session.waitFor(
    async () => {
      const s = await session.execute('const el = document.querySelector("[data-welcome]"); return el && el.getAttribute("data-welcome");');
      return s && s !== 'pending' ? s : false;
    },
    'the window to decide on the welcome',
    { timeout: 30_000 },
  );
  if (state === 'open' && welcome === 'explore') {
    await (await session.find('[data-testid="welcome"] [data-testid="welcome-explore"]')).click();
    await session.waitFor(
      async () => (await session.execute('return document.querySelector("[data-welcome]").getAttribute("data-welcome");')) === 'closed',
      'the welcome to close',
    );
  }
  return state;
}

export async function startApp({ env = {}, name = 'app', welcome = 'explore', language = 'en', composited = true } = {}) {
  if (!existsSync(APP_BIN)) throw new Error(`app binary not found at ${APP_BIN}: run \`make app\` first`);
  const children = [];
  const work = mkdtempSync(path.join(tmpdir(), 'penneo-desk-e2e-'));
  const dataDir = env.PENNEO_DESK_DATA_DIR ?? path.join(work, 'data');
  mkdirSync(dataDir, { recursive: true });
  await waitForDataDirFree(dataDir);
  let display = process.env.DISPLAY;
  let session;

  const stop = async () => {
    if (session) await session.delete().catch(() => {});
    session = undefined;
    for (const c of children.reverse()) await stopChild(c);
    children.length = 0;
    keepAppLog(dataDir, name);
    await removeWorkDir(work);
  };

  try {
    if (!display) {
      let n = 90;
      while (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) n++;
      display = `:${n}`;
      const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
        stdio: 'ignore',
        detached: true,
      });
      children.push(xvfb);
      await waitUntil(async () => existsSync(`/tmp/.X11-unix/X${n}`), `Xvfb on ${display}`);
    }
    const port = await freePort();
    const nativePort = await freePort();
    const driverLog = [];
    const appEnv = {
      ...process.env,
      DISPLAY: display,
      NO_AT_BRIDGE: '1',
      XDG_DATA_HOME: path.join(work, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(work, 'xdg-config'),
      XDG_CACHE_HOME: path.join(work, 'xdg-cache'),
      PENNEO_DESK_DATA_DIR: dataDir,
      ...languageEnv(language),
      ...FONT_ENV,
      // WebKitWebDriver's screenshot waits forever (here: until the 120 s request timeout) in
      // WebKitGTK's non-composited mode, which the app picks on a machine without a GPU
      // (src-tauri/lib.rs), while the window itself draws fine (seen with `import -window root`
      // during the wait). The tests take screenshots, so they keep compositing on;
      // `composited: false` leaves the app its own choice (tests/rendering-default.test.mjs, and
      // make bench, which measures what a user gets).
      WEBKIT_DISABLE_COMPOSITING_MODE: '0',
    };
    if (!composited) delete appEnv.WEBKIT_DISABLE_COMPOSITING_MODE;
    const driver = spawn(
      'dbus-run-session',
      ['--', 'tauri-driver', '--port', String(port), '--native-port', String(nativePort)],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...appEnv, ...env },
      },
    );
    children.push(driver);
    for (const s of [driver.stdout, driver.stderr]) s.on('data', (d) => driverLog.push(String(d)));
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok, 'tauri-driver');
    try {
      session = await Session.create(`http://127.0.0.1:${port}`, {
        'tauri:options': { application: APP_BIN },
      });
    } catch (e) {
      throw new Error(`${e.message}\n--- tauri-driver output ---\n${driverLog.join('').slice(-4000)}`);
    }
    const shot = async (file) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      // Let the page paint what the test just did before the snapshot is taken.
      await session.executeAsync('const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));');
      await new Promise((r) => setTimeout(r, 300));
      const out = path.isAbsolute(file) ? file : path.join(ARTIFACTS, `${name}-${file}`);
      writeFileSync(out, await session.screenshot());
      return out;
    };
    const welcomed = welcome === 'none' ? 'none' : await passWelcome(session, welcome);
    return { session, stop, shot, dataDir, display, welcomed };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Keeps the app's log (`<data dir>/logs/penneo-desk*.log`, written by tauri-plugin-log) as
 * `e2e/artifacts/<name>-app.log` once the app has stopped, so a failure in CI can be read
 * afterwards. The previous run's copy is replaced.
 */
function keepAppLog(dataDir, name) {
  const logs = path.join(dataDir, 'logs');
  try {
    const files = readdirSync(logs)
      .filter((f) => f.endsWith('.log'))
      .sort();
    if (!files.length) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, `${name}-app.log`), files.map((f) => readFileSync(path.join(logs, f), 'utf8')).join(''));
  } catch {
    // No log folder (the app did not get that far): nothing to keep.
  }
}

/**
 * Opens one app for the whole test file (node:test before/after) and returns the object that
 * `startApp` gives, filled in once the app is up: `const app = useApp({ name: 'shell' })`.
 */
export function useApp(options) {
  const app = {};
  before(async () => {
    Object.assign(app, await startApp(options));
  });
  after(async () => {
    await app.stop?.();
  });
  return app;
}

/**
 * Starts the simulator binary on its own port (for a Penneo unlike the demo's, e.g.
 * `--signer-status-scheme postman`) and returns `{ url, stop }` once it answers.
 */
export async function startSim(args = []) {
  if (!existsSync(SIM_BIN)) throw new Error(`simulator binary not found at ${SIM_BIN}: run \`cargo build -p penneo-sim\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(SIM_BIN, ['--listen', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const stop = () => stopChild(child);
  try {
    await waitUntil(async () => (await fetch(`${url}/_sim/log`)).ok, `the simulator on ${url}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}
