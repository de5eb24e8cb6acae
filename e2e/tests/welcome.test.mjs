// The first start's welcome: shown on a fresh data dir over the demo workspace, it says what the
// demo is and that nothing in it reaches real clients; "Connect your Penneo account" says what to
// ask the Penneo administrator for, with the redirect URI and an e-mail to copy; "Explore the demo"
// closes it, and the next start on the same data dir does not show it again. Settings brings it
// back. (Every other test closes it the same way, through the harness: `passWelcome`.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../lib/harness.mjs';
import { invoke } from '../lib/invoke.mjs';
import { Keys } from '../lib/webdriver.mjs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-welcome-data-'));
const env = { PENNEO_DESK_DATA_DIR: dataDir };
const REDIRECT_URI = 'http://127.0.0.1:8765/callback';
let app;
after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const welcomeState = (session) => session.execute('return document.querySelector("[data-welcome]").getAttribute("data-welcome")');

test('the first start shows the welcome, and Explore the demo closes it', async () => {
  app = await startApp({ name: 'welcome', env, welcome: 'keep' });
  const { session } = app;
  assert.equal(app.welcomed, 'open', 'a fresh data dir opens on the welcome');
  const welcome = await session.find('[data-testid="welcome"]');
  assert.ok(await welcome.displayed());
  const text = await welcome.text();
  assert.match(text, /demo workspace/);
  assert.match(await (await session.find('[data-testid="welcome-safe"]')).text(), /Nothing in it reaches real clients/);
  // The demo is there behind it, signed in.
  await session.waitFor(async () => (await invoke(session, 'account_status')).signedIn, 'the demo signed in', { timeout: 60_000 });
  await app.shot('first-start.png');

  // The connect path: what to ask for, the exact redirect URI, an e-mail with it, and Copy.
  await (await session.find('[data-testid="welcome-connect"]')).click();
  assert.equal(await (await session.find('[data-testid="welcome"]')).attr('data-step'), 'connect');
  assert.equal(await (await session.find('[data-testid="welcome-redirect-uri"]')).text(), REDIRECT_URI);
  const email = await session.execute('return document.querySelector("[data-testid=welcome-email]").value');
  assert.ok(email.includes(`Redirect URI, exactly as written: ${REDIRECT_URI}`), email);
  assert.match(email, /OAuth client/);
  assert.match(email, /client ID and the client secret/);
  await (await session.find('[data-testid="welcome-copy"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="welcome-copy"]')).text()) === 'Copied', 'the e-mail copied');
  await app.shot('connect.png');

  await (await session.find('[data-testid="welcome-back"]')).click();
  await (await session.find('[data-testid="welcome"] [data-testid="welcome-explore"]')).click();
  await session.waitFor(async () => (await welcomeState(session)) === 'closed', 'the welcome to close');
  assert.equal((await session.findAll('[data-testid="welcome"]')).length, 0);
  // The window behind it works: the forms of the demo.
  await (await session.find('[data-testid="nav-casefiles"]')).click();
  await session.find('[data-testid="page-casefiles"]');
  assert.equal((await invoke(session, 'preferences')).welcomeSeen, true);
});

test('the second start does not show it; Settings shows it again', async () => {
  await app.stop();
  app = await startApp({ name: 'welcome-again', env, welcome: 'keep' });
  const { session } = app;
  assert.equal(app.welcomed, 'closed', 'the second start goes straight to the app');
  assert.equal((await session.findAll('[data-testid="welcome"]')).length, 0);

  await (await session.find('[data-testid="nav-settings"]')).click();
  await (await session.find('[data-testid="show-welcome"]')).click();
  await session.find('[data-testid="welcome"]');
  assert.equal(await welcomeState(session), 'open');
  // Esc closes it, as "Explore the demo" does.
  await session.keys(Keys.ESCAPE);
  await session.waitFor(async () => (await welcomeState(session)) === 'closed', 'Esc to close the welcome');
});
