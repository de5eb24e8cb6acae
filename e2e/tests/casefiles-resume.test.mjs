// Closing the app in the middle of a send and opening it again: the send was written down before
// the upload started, so the reopened app resumes it (reconciling first, so no second casefile)
// and shows it through to the casefile.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../lib/harness.mjs';
import { invoke } from '../lib/invoke.mjs';
import { makePdf } from '../lib/pdf.mjs';
import { injectFault } from '../lib/sim.mjs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-resume-data-'));
const dialogDir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-resume-files-'));
writeFileSync(path.join(dialogDir, 'employment-contract.pdf'), makePdf('Employment contract'));
const env = { PENNEO_DESK_DATA_DIR: dataDir, PENNEO_DESK_DIALOG_DIR: dialogDir };
let app;
after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dialogDir, { recursive: true, force: true });
});

async function signedIn(session) {
  return session.waitFor(async () => {
    const s = await invoke(session, 'account_status');
    return s.signedIn && s.apiHost ? s : null;
  }, 'the demo workspace to be signed in', { timeout: 60_000 });
}

test('a send cut off by closing the app resumes when it opens again', async () => {
  app = await startApp({ name: 'casefiles-resume', env });
  let { session } = app;
  const { apiHost } = await signedIn(session);
  // The upload hangs at the simulator: the app is closed while it is on its way.
  await injectFault(apiHost, { pathPrefix: '/send/api/v1/casefiles', method: 'POST', delayMs: 60_000, count: 1 });

  await (await session.find('[data-testid="nav-casefiles"]')).click();
  await (await session.find('[data-testid="new-casefile"]')).click();
  const title = await session.find('[data-testid="casefile-title"]');
  await title.clear();
  await title.type('Employment contract Sofie Berg');
  await (await session.find('[data-testid="add-signer"]')).click();
  await (await session.find('[data-testid="signer-name"]')).type('Sofie Berg');
  await (await session.find('[data-testid="signer-email"]')).type('sofie.berg@example.org');
  await (await session.find('[data-testid="signer-role"]')).type('Employee');
  await (await session.find('[data-testid="browse-files"]')).click();
  await session.waitFor(async () => (await session.findAll('[data-testid="document-row"]')).length === 1, 'the document');
  await session.find('[data-testid="casefile-ready"]');
  await (await session.find('[data-testid="send-casefile"]')).click();
  await (await session.find('[data-testid="send-confirmation"] [data-testid="confirm-send"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="send-progress"]')).attr('data-phase')) === 'uploading', 'the upload to start', { timeout: 20_000 });
  const hash = await session.execute('return location.hash');
  const entryId = decodeURIComponent(hash.split('/').pop());
  assert.match(hash, /^#\/casefiles\/send\//);

  // Close the app mid-upload, open it again on the same data.
  await app.stop();
  app = await startApp({ name: 'casefiles-resume', env });
  session = app.session;
  await signedIn(session);
  const entry = await session.waitFor(async () => {
    const e = await invoke(session, 'outbox_entry', { entryId });
    return e.casefileId ? e : null;
  }, 'the resumed send to make its casefile', { timeout: 60_000 });
  assert.ok(entry.attempts >= 2, `the upload was tried again (attempts ${entry.attempts})`);

  // The app shows the send, resumed, through to its casefile.
  await session.execute(`location.hash = ${JSON.stringify(`#/casefiles/send/${encodeURIComponent(entryId)}`)}`);
  const id = await session.find('[data-testid="created-casefile-id"]', { timeout: 20_000 });
  assert.equal(Number(await id.text()), entry.casefileId);
  assert.match(await (await session.find('[data-testid="send-view"]')).text(), /attempt \d/);
  await app.shot('resumed.png');
  // Exactly one casefile with that title (the resumed send checked before sending again).
  const list = await invoke(session, 'list_casefiles', {
    query: { statuses: [], dateField: 'created', from: null, to: null, search: 'Employment contract Sofie Berg', ascending: false, limit: 10, cursor: null },
  });
  assert.equal(list.result.length, 1);
});
