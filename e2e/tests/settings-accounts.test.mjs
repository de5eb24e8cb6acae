// Settings → Accounts on the real window: the demo workspace is active and signed in, the secret
// store is named, the add-account form refuses bad input on its own (no backend call) and shows
// a backend refusal (a busy redirect port) next to its field, and a Custom account pointed at the
// embedded simulator signs in through the real loopback PKCE path, becomes active, hands back to
// the demo, and after a sign-out needs a sign-in again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { useApp } from '../lib/harness.mjs';
import { invoke as invokeIn } from '../lib/invoke.mjs';

const app = useApp({ name: 'settings' });
const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

const css = (id) => `[data-testid="${id}"]`;
const find = (id, opts) => app.session.find(css(id), opts);

function listen(port = 0) {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

async function freePort() {
  const srv = await listen(0);
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const invoke = (cmd, args = {}) => invokeIn(app.session, cmd, args);

/** Records every command the page sends from now on (the UI's own calls, through Tauri's IPC). */
async function spyOnCommands() {
  await app.session.execute(`
    const internals = window.__TAURI_INTERNALS__;
    if (!window.__settingsSpy) {
      const original = internals.invoke.bind(internals);
      window.__settingsSpy = [];
      internals.invoke = (cmd, ...rest) => { window.__settingsSpy.push(cmd); return original(cmd, ...rest); };
    }
    window.__settingsSpy.length = 0;`);
}
const spied = () => app.session.execute('return window.__settingsSpy.slice()');

async function row(environment) {
  const rows = await app.session.findAll('[data-testid="account-row"]');
  for (const r of rows) if ((await r.attr('data-environment')) === environment) return r;
  return null;
}

async function rowInfo(environment) {
  const r = await row(environment);
  if (!r) return null;
  return { state: await r.attr('data-state'), active: await r.attr('data-active'), id: await r.attr('data-account-id') };
}

async function clickIn(environment, testid) {
  const r = await row(environment);
  await (await r.find(css(testid))).click();
}

async function setField(testid, value) {
  const el = await find(testid);
  await el.clear();
  if (value !== '') await el.type(value);
}

async function fieldError(field) {
  const els = await app.session.findAll(css(`field-error-${field}`));
  return els.length ? els[0].text() : null;
}

const headerBadge = () =>
  app.session.execute(
    'const b = document.querySelector(\'[data-testid="account-indicator"] [data-testid="environment-badge"]\'); return b && b.textContent;',
  );

const scrollTo = (testid) =>
  app.session.execute(`document.querySelector('[data-testid="${testid}"]').scrollIntoView({ block: 'start' })`);

let sim;

test('Settings shows the demo workspace active and signed in, and the secret store', async () => {
  const { session } = app;
  const indicator = await find('account-indicator');
  await session.waitFor(async () => /Demo Practice/.test(await indicator.text()), 'the demo sign-in', { timeout: 60_000 });
  await (await find('nav-settings')).click();
  await find('page-settings');
  await session.waitFor(async () => {
    const d = await rowInfo('demo');
    return d && d.state === 'signedIn' && d.active === 'true';
  }, 'the demo row: active and signed in');
  const demoRow = await row('demo');
  assert.match(await demoRow.text(), /Demo workspace/);
  assert.match(await demoRow.text(), /Demo Practice \(demo@penneo\.local\)/);
  assert.match(await demoRow.text(), /Signed in/);
  assert.equal(await (await find('settings-environment')).text(), 'Demo');

  const store = await find('storage-secret-store');
  const kind = await store.attr('data-store');
  assert.ok(['keychain', 'memory', 'file'].includes(kind), `secret store ${kind}`);
  const info = await invoke('storage_info');
  assert.equal(kind, info.secretStore);
  assert.equal(await (await find('storage-data-dir')).text(), info.dataDir);
  if (info.fallbackReason) {
    // A plain sentence on screen; the library's own words only behind "Show details".
    assert.match(await (await find('storage-fallback-reason')).text(), /No keychain answered on this computer/);
  }
  if (kind === 'memory') {
    // No keychain here (no Secret Service): nothing is written to disk until the user agrees.
    assert.equal(fs.existsSync(path.join(info.dataDir, 'secrets.json')), false);
    await (await find('storage-allow-file')).click();
    await session.waitFor(async () => (await store.attr('data-store')) === 'file', 'the file store after agreeing');
    // What memory held (the demo's client secret and refresh token) is now in the 0600 file.
    const file = path.join(info.dataDir, 'secrets.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).length >= 1);
    // "Try the keychain again" asks it without a restart; still none here, and the file stays.
    await (await find('storage-retry-keychain')).click();
    assert.match(await (await find('storage-retry-note')).text(), /No keychain answered this time either/);
    assert.equal(await store.attr('data-store'), 'file');
    assert.ok(fs.existsSync(file));
  }
  assert.equal(await (await find('app-name')).text(), 'Penneo Desk');

  // Updates: the test build has no feed, and says so.
  await (await find('update-check')).click();
  const updates = await find('update-status');
  assert.equal(await updates.attr('data-state'), 'not-configured');
  // Diagnostics: the log file is in the test's data dir, not the user's.
  const logDir = await (await find('log-folder')).text();
  assert.equal(logDir, path.join(info.dataDir, 'logs'));
  assert.ok(fs.readFileSync(path.join(logDir, 'penneo-desk.log'), 'utf8').length > 0, 'the log file has lines');

  const status = await invoke('account_status');
  assert.match(status.apiHost, /^http:\/\/127\.0\.0\.1:\d+$/);
  sim = status.apiHost;
});

test('bad input is refused next to each field without calling the backend', async () => {
  const { session } = app;
  await (await find('add-account')).click();
  await find('add-account-form');
  // Sandbox comes first and is chosen; the redirect URI to register is shown for the port.
  assert.equal(await (await find('account-environment-sandbox')).attr('checked'), 'true');
  assert.equal(await (await find('account-redirect-uri')).text(), 'http://127.0.0.1:8765/callback');
  // Penneo compares the URI exactly: the host name is a choice, and the URI follows it.
  await (await find('account-redirect-host-localhost')).click();
  assert.equal(await (await find('account-redirect-uri')).text(), 'http://localhost:8765/callback');
  assert.match(await (await find('account-redirect-mismatch-help')).text(), /redirect_uri_mismatch.*exactly http:\/\/localhost:8765\/callback/);
  await (await find('account-redirect-host-127.0.0.1')).click();
  assert.equal(await (await find('account-redirect-uri')).text(), 'http://127.0.0.1:8765/callback');
  await find('account-redirect-uri-copy');

  await (await find('account-environment-custom')).click();
  await setField('account-oauth-host', 'http://penneo.example.com');
  await setField('account-api-host', sim);
  await setField('account-client-secret', 'demo-secret');
  await setField('account-redirect-port', '80');
  await spyOnCommands();
  await (await find('add-account-submit')).click();

  await session.waitFor(async () => (await fieldError('clientId')) !== null, 'the client id error');
  assert.match(await fieldError('clientId'), /client id/i);
  assert.match(await fieldError('redirectPort'), /1024 to 65535/);
  assert.match(await fieldError('oauthHost'), /https:\/\//);
  assert.equal(await fieldError('apiHost'), null, 'the simulator address on 127.0.0.1 is fine');
  assert.equal(await fieldError('clientSecret'), null);
  assert.equal(await (await find('account-client-id')).attr('aria-invalid'), 'true');
  const calls = await spied();
  assert.deepEqual(calls.filter((c) => c !== 'plugin:event|listen' && c !== 'plugin:event|unlisten'), [], `commands sent: ${calls}`);
  assert.equal((await invoke('list_accounts')).length, 1);
  // No redirect URI is offered for a port that cannot work.
  assert.equal((await session.findAll(css('account-redirect-uri'))).length, 0);
  await app.shot('add-account-errors.png');
});

test('a busy redirect port is refused by the backend and shown next to the port', async () => {
  const { session } = app;
  const busy = await listen(0);
  servers.push(busy);
  const busyPort = busy.address().port;
  await setField('account-label', 'Simulator');
  await setField('account-oauth-host', sim);
  await setField('account-client-id', 'demo-client');
  await setField('account-redirect-port', String(busyPort));
  assert.equal(await (await find('account-redirect-uri')).text(), `http://127.0.0.1:${busyPort}/callback`);
  await (await find('add-account-submit')).click();
  await session.waitFor(async () => /in use/.test((await fieldError('redirectPort')) ?? ''), 'the busy-port error at the port');
  assert.match(await fieldError('redirectPort'), new RegExp(`Port ${busyPort} on 127\\.0\\.0\\.1 is in use`));
  const outcome = await find('sign-in-status');
  assert.equal(await outcome.attr('data-code'), 'port_in_use');
  // The half-made account did not stay behind, and the form kept what was typed.
  await session.waitFor(async () => (await invoke('list_accounts')).length === 1, 'the failed account removed');
  assert.equal((await session.findAll('[data-testid="account-row"]')).length, 1);
  assert.equal(
    await session.execute('return document.querySelector(\'[data-testid="account-client-id"]\').value'),
    'demo-client',
  );
});

test('a Custom account on the simulator signs in through the loopback flow and becomes active', async () => {
  const { session } = app;
  const port = await freePort();
  await setField('account-redirect-port', String(port));
  // The busy-port outcome went with the change, and so did the message at the port.
  await session.waitFor(async () => (await session.findAll(css('sign-in-status'))).length === 0, 'the old outcome to go');
  assert.equal(await fieldError('redirectPort'), null);
  await scrollTo('add-account-form');
  await fetch(`${sim}/_sim/log`, { method: 'DELETE' });
  await app.shot('add-account.png');
  await (await find('add-account-submit')).click();

  await session.waitFor(async () => {
    const c = await rowInfo('custom');
    return c && c.state === 'signedIn' && c.active === 'true';
  }, 'the custom account active and signed in', { timeout: 30_000 });
  assert.equal((await session.findAll(css('add-account-form'))).length, 0, 'the form closed');
  assert.match(await (await find('accounts-notice')).text(), /“Simulator” was added and signed in/);
  const custom = await row('custom');
  assert.match(await custom.text(), /Simulator/);
  assert.match(await custom.text(), /OAuth client demo-client/);
  assert.match(await custom.text(), new RegExp(sim.replace(/[.]/g, '\\.')));
  const demo = await rowInfo('demo');
  assert.equal(demo.active, 'false');

  // The header follows: a Custom environment now.
  await session.waitFor(async () => (await headerBadge()) === 'Custom', 'the header badge to say Custom', { timeout: 5000 });
  assert.equal(await (await find('settings-environment')).text(), 'Custom');

  // It really went through the simulator's authorize + token endpoints with the loopback redirect.
  const log = await (await fetch(`${sim}/_sim/log`)).json();
  const entries = log.items;
  const authorize = entries.find((e) => e.path === '/oauth/authorize');
  assert.ok(authorize, `authorize request in ${JSON.stringify(entries).slice(0, 400)}`);
  assert.match(JSON.stringify(authorize), new RegExp(`127\\.0\\.0\\.1(%3A|:)${port}`));
  assert.ok(entries.some((e) => e.path === '/oauth/token' && e.status === 200), 'token exchange answered 200');

  const status = await invoke('account_status');
  assert.equal(status.environment, 'custom');
  assert.equal(status.signedIn, true);
  await scrollTo('page-settings');
  await app.shot('accounts.png');
});

test('switching back to the demo, then signing out of the custom account', async () => {
  const { session } = app;
  await clickIn('demo', 'account-switch');
  await session.waitFor(async () => (await rowInfo('demo'))?.active === 'true', 'the demo active again');
  await session.waitFor(async () => (await headerBadge()) === 'Demo', 'the header badge to say Demo', { timeout: 5000 });
  assert.equal((await rowInfo('custom')).state, 'signedIn');

  await clickIn('custom', 'account-sign-out');
  const confirm = await find('account-confirm');
  assert.match(await confirm.text(), /revokes the session/);
  assert.match(await confirm.text(), /cached forms, submissions and casefiles are kept/);
  await (await find('confirm-sign-out')).click();
  await session.waitFor(async () => (await rowInfo('custom'))?.state === 'needsSecrets', 'the custom account to need a sign-in');
  assert.match(await (await row('custom')).text(), /Needs sign-in/);
  assert.match(await (await find('accounts-notice')).text(), /Signed out of “Simulator”/);
  const list = await invoke('list_accounts');
  const c = list.find((s) => s.account.environment === 'custom');
  assert.deepEqual([c.signedIn, c.canResume, c.hasSecrets], [false, false, false]);
  // The demo is untouched.
  assert.equal((await rowInfo('demo')).state, 'signedIn');
  await app.shot('signed-out.png');
});

test('signing in again asks for the client secret, then goes through the browser flow', async () => {
  const { session } = app;
  await clickIn('custom', 'account-sign-in');
  await find('account-secrets-form');
  await setField('account-secrets-client-secret', 'demo-secret');
  await (await find('account-secrets-submit')).click();
  await session.waitFor(async () => {
    const c = await rowInfo('custom');
    return c && c.state === 'signedIn' && c.active === 'true';
  }, 'the custom account signed in again', { timeout: 30_000 });
  // Back to the demo for whatever runs next.
  await clickIn('demo', 'account-switch');
  await session.waitFor(async () => (await rowInfo('demo'))?.active === 'true', 'the demo active again');
});

test('Sync everything on the demo reports what it fetched and the overview follows', async () => {
  const { session } = app;
  await (await find('sync-all')).click();
  const report = await find('sync-report', { timeout: 60_000 });
  const text = await report.text();
  const m = text.match(/Synced (\d+) forms?, (\d+) submissions? and (\d+) casefiles?/);
  assert.ok(m, text);
  assert.equal(Number(m[1]), 6, text);
  assert.ok(Number(m[2]) >= 44, text);
  assert.ok(Number(m[3]) >= 56, text);
  assert.equal((await session.findAll(css('sync-failures'))).length, 0);
  await session.waitFor(async () => (await (await find('sync-forms')).text()) === 'just now', 'forms synced just now');
  assert.equal(await (await find('sync-casefiles')).text(), 'just now');
  assert.match(await (await find('sync-submissions')).text(), /^6 forms, the oldest synced just now/);
  await scrollTo('settings-sync');
  await app.shot('sync.png');
});

test('an API-key account signs in without a browser, and is removed after confirming', async () => {
  const { session } = app;
  await (await find('add-account')).click();
  await find('add-account-form');
  await (await find('account-environment-custom')).click();
  await setField('account-oauth-host', sim);
  await setField('account-api-host', sim);
  await setField('account-label', 'Service account');
  await (await find('account-method-apikey')).click();
  await setField('account-client-id', 'demo-client');
  await setField('account-client-secret', 'demo-secret');
  await setField('account-api-key', 'demo-key');
  await setField('account-api-secret', 'demo-api-secret');
  await (await find('add-account-submit')).click();
  const serviceRow = async () => {
    for (const r of await session.findAll('[data-testid="account-row"]')) {
      if (/Service account/.test(await r.text())) return r;
    }
    return null;
  };
  await session.waitFor(async () => {
    const r = await serviceRow();
    return r && (await r.attr('data-state')) === 'signedIn' && (await r.attr('data-active')) === 'true';
  }, 'the API-key account active and signed in', { timeout: 30_000 });
  assert.match(await (await serviceRow()).text(), /API key demo-key/);

  await clickIn('demo', 'account-switch');
  await session.waitFor(async () => (await rowInfo('demo'))?.active === 'true', 'the demo active again');
  await scrollTo('settings-accounts');
  await session.waitFor(async () => {
    const r = await serviceRow();
    await (await r.find(css('account-remove'))).click();
    return (await session.findAll(css('account-confirm'))).length === 1;
  }, 'the remove confirmation');
  assert.match(await (await find('account-confirm')).text(), /deletes everything/);
  await (await find('confirm-remove')).click();
  await session.waitFor(async () => (await serviceRow()) === null, 'the API-key account gone');
  assert.ok(!(await invoke('list_accounts')).some((s) => s.account.label === 'Service account'));
});
