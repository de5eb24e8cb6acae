// One instance: a second launch of Penneo Desk (same user, same desktop session) hands over to the
// running one, which brings its window forward, and exits at once; the running window goes on
// as it was. Without this a second process would open a second window on the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { APP_BIN, useApp } from '../lib/harness.mjs';

const app = useApp({ name: 'single-instance' });

/** The app processes started with this data dir, with their environment. */
function appProcesses(dataDir) {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== APP_BIN) continue;
      const env = Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      if (env.PENNEO_DESK_DATA_DIR === dataDir) out.push({ pid: Number(pid), env });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

test('a second launch hands over to the running window and exits', async () => {
  const { session, dataDir } = app;
  await session.find('[data-testid="page-forms"]');
  const [first, ...others] = appProcesses(dataDir);
  assert.ok(first, 'the running app is found');
  assert.equal(others.length, 0);

  // Launched the way a user's second click on the icon launches it: same desktop session (D-Bus,
  // display), same data.
  const second = spawn(APP_BIN, [], { env: first.env, stdio: 'ignore' });
  const code = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the second launch is still running after 20 s')), 20_000);
    second.once('exit', (c, sig) => {
      clearTimeout(t);
      resolve(sig ?? c);
    });
  }).finally(() => second.kill('SIGKILL'));
  assert.equal(code, 0, 'the second launch exits cleanly');

  assert.deepEqual(
    appProcesses(dataDir).map((p) => p.pid),
    [first.pid],
    'only the first app is running',
  );
  // The first window still answers.
  await (await session.find('[data-testid="nav-settings"]')).click();
  await session.find('[data-testid="page-settings"]');
});
