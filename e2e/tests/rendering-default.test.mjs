// The window as the app sets it up itself: on a machine without a GPU (no render node in
// /dev/dri, as under Xvfb here) the app turns WebKitGTK's accelerated compositing off before the
// webview starts (src-tauri/lib.rs). The other tests keep compositing on, because WebKitWebDriver's
// screenshot hangs without it; this one takes no screenshots and walks the main views in the mode a
// user without a GPU gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { useApp } from '../lib/harness.mjs';
import { openSyncedSubmissions, formIdByName } from '../lib/bulk.mjs';

const app = useApp({ name: 'rendering', composited: false });

/** The environment of the WebKit web process of the app that uses this test's data dir (the
 *  app's own /proc environ is the one it started with, not what it set since). */
function webProcessEnvironment() {
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let env;
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!env.includes(`PENNEO_DESK_DATA_DIR=${app.dataDir}`)) continue;
    let exe = '';
    try {
      exe = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (exe.startsWith('WebKitWebProces')) return Object.fromEntries(env.filter(Boolean).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  }
  return null;
}

const hasRenderNode = () => existsSync('/dev/dri') && readdirSync('/dev/dri').some((n) => n.startsWith('renderD'));

test('without a GPU the app turns compositing off itself, and the forms are listed', async () => {
  const { session } = app;
  const rows = () => session.findAll('[data-testid="server-form-row"]');
  await session.waitFor(async () => (await rows()).length >= 6, 'the demo forms', { timeout: 60_000 });
  // The variable the app set for itself (the harness passed none), as WebKit's web process
  // inherited it from the app process.
  const env = webProcessEnvironment();
  assert.ok(env, 'the web process was found');
  assert.equal(env.WEBKIT_DISABLE_COMPOSITING_MODE, hasRenderNode() ? undefined : '1');
});

test('the submissions table draws its rows and scrolls in that mode', async () => {
  const { session } = app;
  await openSyncedSubmissions(session);
  const formId = await formIdByName(session, 'KYC – individual');
  assert.ok(formId, 'the KYC form in the picker');
  await session.execute(`location.hash = arguments[0]`, [`#/submissions/${encodeURIComponent(formId)}`]);
  const count = await session.waitFor(async () => (await session.findAll('[data-testid="submission-row"]')).length || false, 'rows drawn', {
    timeout: 30_000,
  });
  assert.ok(count > 0);
  // A frame after a scroll comes (the window keeps drawing without compositing).
  const framed = await session.executeAsync(`const done = arguments[arguments.length - 1];
    const vp = document.querySelector('[data-testid="submissions-table"]');
    vp.scrollTop = vp.scrollHeight;
    requestAnimationFrame(() => requestAnimationFrame(() => done(vp.scrollTop > 0 || vp.scrollHeight <= vp.clientHeight)));`);
  assert.equal(framed, true);
});
