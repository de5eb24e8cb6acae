// The installed package: `scripts/test-package.sh` builds the .deb, installs it with apt-get (which
// pulls its own dependencies) and runs this file against the installed /usr/bin/penneo-desk, with
// a fresh data dir, under Xvfb like every other window test. It proves that what a user installs
// starts, opens the demo workspace and shows its forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { APP_BIN, useApp } from '../lib/harness.mjs';

test('the package installed the app where the desktop entry points', () => {
  assert.equal(APP_BIN, '/usr/bin/penneo-desk', 'run through scripts/test-package.sh');
  assert.ok(statSync(APP_BIN).mode & 0o111, 'the binary is executable');
  assert.ok(existsSync('/usr/share/applications/Penneo Desk.desktop'), 'the desktop entry is installed');
  assert.ok(existsSync('/usr/share/icons/hicolor/128x128/apps/penneo-desk.png'), 'the icon is installed');
});

const app = useApp({ name: 'installed' });

test('the installed app opens the demo workspace and lists its forms', async () => {
  const { session } = app;
  await session.waitFor(async () => /Penneo Desk$/.test(await session.title()), 'the window title');
  const indicator = await session.find('[data-testid="account-indicator"]');
  await session.waitFor(async () => /Demo Practice/.test(await indicator.text()), 'the demo signed in', {
    timeout: 60_000,
  });
  const n = await session.waitFor(
    async () => {
      const rows = await session.findAll('[data-testid="server-form-row"]');
      return rows.length >= 6 && rows.length;
    },
    'the demo forms listed',
    { timeout: 60_000 },
  );
  assert.ok(n >= 6, `expected the six demo forms, saw ${n}`);
  await app.shot('forms.png');
});
