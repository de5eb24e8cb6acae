// The Forms page on the demo workspace: after the demo sign-in the forms sync from the
// simulator into the local cache and the list shows them, filtered by status and by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';

const app = useApp({ name: 'forms' });

const rows = () => app.session.findAll('[data-testid="server-form-row"]');

test('the demo forms sync and are listed with status and version', async () => {
  const { session } = app;
  await session.find('[data-testid="page-forms"]');
  const n = await session.waitFor(async () => (await rows()).length >= 6 && (await rows()).length, 'the demo forms', {
    timeout: 60_000,
  });
  assert.ok(n >= 6, `expected the six demo forms, saw ${n}`);
  const status = await (await session.find('[data-testid="forms-sync-status"]')).text();
  assert.match(status, /^Synced /);
  await app.shot('list.png');
});

test('the status filter and the search narrow the list', async () => {
  const { session } = app;
  const all = (await rows()).length;
  await session.execute(
    `const s = document.querySelector('[data-testid="forms-status-filter"]');
     s.value = 'ACTIVE'; s.dispatchEvent(new Event('change', { bubbles: true }));`,
  );
  await session.waitFor(async () => {
    const chips = await session.findAll('[data-testid="form-status"]');
    if (chips.length === 0 || chips.length >= all) return false;
    const texts = await Promise.all(chips.map((c) => c.text()));
    return texts.every((t) => t === 'Active');
  }, 'only active forms');
  await session.execute(
    `const s = document.querySelector('[data-testid="forms-status-filter"]');
     s.value = ''; s.dispatchEvent(new Event('change', { bubbles: true }));`,
  );
  const search = await session.find('[data-testid="forms-search"]');
  await search.type('KYC');
  await session.waitFor(async () => {
    const r = await rows();
    if (r.length === 0 || r.length >= all) return false;
    const texts = await Promise.all(r.map((x) => x.text()));
    return texts.every((t) => /KYC/i.test(t));
  }, 'only KYC forms');
});
