// The local editors in the real window: a new form opens the builder with its live preview,
// and a new casefile opens the draft editor with signing lanes. Both are kept on this computer
// (autosaved) until the backend commands that send them land.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';

const app = useApp({ name: 'drafts' });

test('New form opens the builder beside its preview, and the draft is kept', async () => {
  const { session } = app;
  await (await session.find('[data-testid="nav-forms"]')).click();
  await (await session.find('[data-testid="new-form"]')).click();
  await session.find('[data-testid="form-builder"]');
  assert.ok(await (await session.find('[data-testid="form-preview"]')).displayed());
  const name = await session.find('[data-testid="form-name"]');
  await name.clear();
  await name.type('Client onboarding 2026');
  await (await session.find('[data-testid="add-section"]')).click();
  await session.waitFor(
    async () => (await session.findAll('[data-testid="builder-section"]')).length >= 1,
    'a section in the builder',
  );
  await session.waitFor(
    async () => /^Saved on this computer/.test(await (await session.find('[data-testid="autosave-status"]')).text()),
    'the autosave to report the draft saved',
  );
  await app.shot('builder.png');
  // Back on the list, the draft is offered again.
  await (await session.find('[data-testid="nav-forms"]')).click();
  const drafts = await session.find('[data-testid="local-drafts"]');
  await session.waitFor(async () => /Client onboarding 2026/.test(await drafts.text()), 'the draft in the list');
});

test('New casefile opens the draft editor with signing lanes', async () => {
  const { session } = app;
  await (await session.find('[data-testid="nav-casefiles"]')).click();
  await (await session.find('[data-testid="new-casefile"]')).click();
  await session.find('[data-testid="casefile-editor"]');
  assert.ok(await (await session.find('[data-testid="signing-lanes"]')).displayed());
  assert.match(await (await session.find('[data-testid="local-draft-badge"]')).text(), /local draft/i);
  await app.shot('casefile-editor.png');
});
