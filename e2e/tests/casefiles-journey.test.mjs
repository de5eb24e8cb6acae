// A casefile from files to signed PDFs on the real window against the demo workspace's simulator:
// "Browse…" (the same backend check a drop uses) with two PDFs and one file that only claims to be
// one; two signers one after the other; send and follow the job to a pending casefile; every
// signer signs through the simulator's control API; the app shows it completed; both signed PDFs
// are saved into a folder and checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, ROOT } from '../lib/harness.mjs';
import { invoke } from '../lib/invoke.mjs';
import { makePdf } from '../lib/pdf.mjs';
import { injectFault } from '../lib/sim.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-casefiles-'));
const originals = {
  'engagement-letter-2026.pdf': makePdf('Engagement letter 2026'),
  'terms-of-business.pdf': makePdf('Terms of business'),
};
for (const [name, bytes] of Object.entries(originals)) writeFileSync(path.join(dir, name), bytes);
// Claims to be a PDF by its name only.
writeFileSync(path.join(dir, 'meeting-notes.pdf'), 'Meeting notes: call the client on Monday.\n');

// The demo's simulator numbers signer statuses the SDKs' way; casefiles-journey-postman.test.mjs
// walks the same flow with the Postman description's numbering (E2E_SIGNER_SCHEME=postman).
const SCHEME = process.env.E2E_SIGNER_SCHEME ?? 'sdk';

let app;
before(async () => {
  app = await startApp({ name: SCHEME === 'sdk' ? 'casefiles' : `casefiles-${SCHEME}`, env: { PENNEO_DESK_DIALOG_DIR: dir, PENNEO_DESK_DEMO_SIGNER_STATUS_SCHEME: SCHEME } });
});
after(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SHOTS = process.env.PENNEO_DESK_DOC_SHOTS === '1' && SCHEME === 'sdk' ? path.join(ROOT, 'docs', 'screenshots') : null;
async function shot(name) {
  const file = await app.shot(`${name}.png`);
  // PENNEO_DESK_DOC_SHOTS=1 refreshes the pictures in docs/screenshots.
  if (SHOTS && ['create', 'sending', 'detail'].includes(name)) copyFileSync(file, path.join(SHOTS, `casefiles-${name}.png`));
}

/** Casefile drafts in the webview's storage (where they are kept only when the backend cannot). */
async function localDrafts(session) {
  return session.execute('return Object.keys(localStorage).filter((k) => k.startsWith("penneo-desk.casefile-draft."))');
}

async function fill(session, el, text) {
  await el.clear();
  await el.type(text);
}

test('files, two signers in order, send, sign, download the sealed PDFs', async () => {
  const { session } = app;
  // The demo workspace opens at start-up.
  const status = await session.waitFor(async () => {
    const s = await invoke(session, 'account_status');
    return s.signedIn && s.apiHost ? s : null;
  }, 'the demo workspace to be signed in', { timeout: 60_000 });
  const api = status.apiHost;

  await (await session.find('[data-testid="nav-casefiles"]')).click();
  await (await session.find('[data-testid="new-casefile"]')).click();
  await session.find('[data-testid="casefile-editor"]');
  await fill(session, await session.find('[data-testid="casefile-title"]'), 'Engagement Nordlys ApS 2026');
  // When signing expires, typed as an English practice reads a date: day first, then the time
  // (the window runs under en_US, whose native datetime field put the month first).
  await (await session.find('[data-testid="casefile-expire-at"] [role="spinbutton"]')).click();
  await session.keys('311220271730');
  const expire = await session.find('[data-testid="casefile-expire-at"]');
  await session.waitFor(async () => (await expire.attr('data-value')) === '2027-12-31T17:30', 'the expiry typed');
  assert.equal(await expire.text(), '31/12/2027, 17:30');
  await app.shot('editor-dates.png');

  // Two signers, one after the other (two lanes).
  const signers = [
    ['Ida Marie Holm', 'ida.holm@nordlys.example', 'Client'],
    ['Bo Lindqvist', 'bo.lindqvist@practice.example', 'Partner'],
  ];
  for (const [i, [name, email, role]] of signers.entries()) {
    await (await session.find('[data-testid="add-signer"]')).click();
    await session.waitFor(async () => (await session.findAll('[data-testid="signer-card"]')).length === i + 1, `signer card ${i + 1}`);
    await fill(session, (await session.findAll('[data-testid="signer-name"]'))[i], name);
    await fill(session, (await session.findAll('[data-testid="signer-email"]'))[i], email);
    await fill(session, (await session.findAll('[data-testid="signer-role"]'))[i], role);
  }
  assert.equal((await session.findAll('[data-testid="signing-lane"]')).length, 2, 'two lanes: Ida signs first, then Bo');

  // Browse…: the backend checks every file; the fake PDF is rejected with its own sentence.
  await (await session.find('[data-testid="browse-files"]')).click();
  await session.waitFor(async () => (await session.findAll('[data-testid="document-row"]')).length === 2, 'two accepted documents');
  const rejected = await (await session.find('[data-testid="rejected-files"]')).text();
  assert.match(rejected, /meeting-notes\.pdf/);
  assert.match(rejected, /not a PDF/i);
  const names = [];
  for (const r of await session.findAll('[data-testid="document-row"]')) names.push(await r.attr('data-name'));
  assert.deepEqual(names, ['engagement-letter-2026.pdf', 'terms-of-business.pdf']);
  const rowText = await (await session.findAll('[data-testid="document-row"]'))[0].text();
  assert.match(rowText, /1 page/);
  // First-page thumbnails drawn by pdf.js from the asset: URL the backend allowed.
  await session.waitFor(async () => {
    const states = [];
    for (const t of await session.findAll('[data-testid="document-thumbnail"]')) states.push(await t.attr('data-state'));
    if (states.includes('none')) {
      const why = await (await session.find('[data-testid="document-thumbnail"][data-state="none"]')).attr('title');
      throw new Error(`no thumbnail: ${why}`);
    }
    return states.length === 2 && states.every((s) => s === 'image');
  }, 'both thumbnails', { timeout: 20_000 });
  await session.find('[data-testid="casefile-ready"]');
  const titles = await session.execute('return [...document.querySelectorAll("[data-testid=document-title]")].map((i) => i.value)');
  assert.deepEqual(titles, ['Engagement letter 2026', 'Terms of business']);
  // The second signing step and the documents with their thumbnails in one picture.
  await session.execute('const l = document.querySelectorAll("[data-testid=signing-lane]"); l[l.length - 1].scrollIntoView({ block: "start" })');
  await shot('create');
  // The draft is in the app's database (autosave waits for a pause in typing), with its files.
  await session.waitFor(async () => {
    const d = await invoke(session, 'list_casefile_drafts');
    return d.length === 1 && d[0].draft.documents.length === 2 && d[0].draft.signers.length === 2;
  }, 'the draft kept in the database');
  // The expiry is kept as the draft always kept it: unix seconds of that local minute.
  const kept = await invoke(session, 'list_casefile_drafts');
  assert.equal(kept[0].draft.expireAt, new Date(2027, 11, 31, 17, 30).getTime() / 1000);

  // Send: the upload, then the job's steps, then the casefile with both signing links. The
  // simulator answers the first job-status poll slowly, so the picture catches the send midway.
  await injectFault(api, { pathPrefix: '/send/api/v1/queue', delayMs: 6000, count: 1 });
  await (await session.find('[data-testid="send-casefile"]')).click();
  // Nothing leaves before the confirmation: the account and its environment, every signer with
  // e-mail and signing step, the documents.
  const confirmation = await session.find('[data-testid="send-confirmation"]');
  assert.equal(await confirmation.attr('data-environment'), 'demo');
  assert.equal(await (await session.find('[data-testid="confirm-environment"]')).text(), 'Demo');
  assert.match(await (await session.find('[data-testid="confirm-account"]')).text(), /Demo Practice/);
  const confirmSigners = [];
  for (const li of await session.findAll('[data-testid="confirm-signer"]')) confirmSigners.push((await li.text()).replace(/\s+/g, ' '));
  assert.equal(confirmSigners.length, 2, confirmSigners.join(' | '));
  for (const [i, [name, email, role]] of signers.entries()) {
    assert.ok(confirmSigners[i].includes(name) && confirmSigners[i].includes(email), confirmSigners[i]);
    assert.ok(confirmSigners[i].includes(`${role} · Step ${i + 1} of 2`), confirmSigners[i]);
  }
  const confirmDocs = [];
  for (const li of await session.findAll('[data-testid="confirm-document"]')) confirmDocs.push(await li.text());
  assert.equal(confirmDocs.length, 2);
  assert.match(confirmDocs[0], /Engagement letter 2026/);
  assert.match(confirmDocs[1], /Terms of business/);
  await shot('send-confirmation');
  await (await session.find('[data-testid="confirm-send"]')).click();
  await session.find('[data-testid="send-view"]');
  // Caught while Penneo has the upload and the job is queued or processing. Every phase seen is
  // kept, so a send that went elsewhere says where.
  const seen = [];
  const midway = async () => {
    const now = await session.execute(`const p = document.querySelector('[data-testid="send-progress"]');
      return p ? p.dataset.phase + ': ' + (document.querySelector('[data-testid="send-message"]')?.textContent ?? '') : 'no progress shown'`);
    if (seen.at(-1) !== now) seen.push(now);
    if (/^(created|failed|stopped):/.test(now)) throw new Error(`the send went past the job without being caught midway: ${seen.join(' → ')}`);
    return /^(uploaded|processing):/.test(now);
  };
  try {
    await session.waitFor(midway, 'the job to be queued at Penneo', { timeout: 60_000 });
  } catch (e) {
    throw new Error(`${e.message} (phases seen: ${seen.join(' → ')})`);
  }
  await shot('sending');
  const idEl = await session.find('[data-testid="created-casefile-id"]', { timeout: 60_000 });
  const casefileId = Number(await idEl.text());
  assert.ok(casefileId > 0, 'a casefile id');
  const steps = [];
  for (const s of await session.findAll('[data-testid="send-step"]')) steps.push(await s.attr('data-status'));
  assert.deepEqual(steps, ['done', 'done', 'done', 'done', 'done']);
  const links = await session.findAll('[data-testid="signing-link"]');
  assert.equal(links.length, 2, 'a signing link per signer');
  assert.match(await links[0].text(), /Ida Marie Holm/);
  const hrefs = await session.execute('return [...document.querySelectorAll("[data-testid=signing-link] code")].map((c) => c.textContent)');
  assert.equal(hrefs.length, 2);
  for (const h of hrefs) assert.match(h, new RegExp(`^${api.replace(/[.]/g, '\\.')}/`), 'a signing link on the simulator');
  await shot('sent');

  // The draft is gone now that the casefile exists.
  assert.deepEqual(await invoke(session, 'list_casefile_drafts'), []);
  assert.deepEqual(await localDrafts(session), [], 'nothing left in the webview\'s storage either');

  // The casefile: pending, Ida first, Bo waiting.
  await (await session.find('[data-testid="open-created-casefile"]')).click();
  const detail = await session.find(`[data-testid="casefile-detail"][data-id="${casefileId}"]`, { timeout: 20_000 });
  await session.waitFor(async () => (await (await session.find('[data-testid="casefile-detail"] [data-testid="casefile-status"]')).text()) === 'Out for signing', 'the casefile pending');
  assert.equal((await session.findAll('[data-testid="detail-signer"]')).length, 2);
  assert.equal((await session.findAll('[data-testid="detail-document"]')).length, 2);
  assert.ok(detail);

  // While it is out for signing, each signer still to sign has Copy link and Send reminder; the
  // link comes from Penneo's signing-request call, the reminder is its PATCH …/send.
  const ida = (await session.findAll('[data-testid="detail-signer"]'))[0];
  assert.match(await ida.text(), /Ida Marie Holm · Client\s+ida\.holm@nordlys\.example/);
  // The outcome of an action: `expected`, or whatever else it says (an error), once it is no
  // longer the previous action's outcome, which stays on screen while the next one is on its way.
  const result = (expected, previous = null) =>
    session.waitFor(async () => {
      const t = await (await ida.find('[data-testid="signer-action-result"]')).text();
      if (!t || t === previous) return false;
      return t === expected || t;
    }, expected);
  await (await ida.find('[data-testid="copy-signer-link"]')).click();
  assert.equal(await result('Link copied'), true);
  await (await ida.find('[data-testid="remind-signer"]')).click();
  assert.equal(await result('Reminder sent', 'Link copied'), true);
  const calls = (await (await fetch(`${api}/_sim/log`)).json()).items.filter((e) => e.path.startsWith('/api/v1/signingrequests/'));
  const said = calls.map((e) => `${e.method} ${e.path.replace(/signingrequests\/\d+/, 'signingrequests/N')} ${e.status}`);
  // (The send view may have asked for every signer's link before; the last two calls are ours.)
  assert.deepEqual(said.slice(-2), ['GET /api/v1/signingrequests/N/link 200', 'PATCH /api/v1/signingrequests/N/send 204']);
  assert.equal(said.filter((c) => c.startsWith('PATCH')).length, 1, 'one reminder');
  assert.equal(calls.at(-1).path.replace('/send', ''), calls.at(-2).path.replace('/link', ''), 'both for Ida');
  await app.shot('pending.png');

  // Everyone signs (the simulator's control API), in signing order.
  const res = await fetch(`${api}/_sim/casefiles/${casefileId}/sign-all`, { method: 'POST' });
  assert.equal(res.status, 200, await res.text());

  // The app shows it completed (status 4 → 5 after the sealing delay).
  await session.waitFor(async () => {
    const chip = await (await session.find('[data-testid="casefile-detail"] [data-testid="casefile-status"]')).text();
    if (chip === 'Completed') return true;
    const btn = await session.find('[data-testid="casefile-refresh"]');
    if ((await btn.attr('disabled')) === null) await btn.click();
    return false;
  }, 'the casefile completed', { timeout: 60_000 });
  const stages = [];
  for (const s of await session.findAll('[data-testid="detail-signer"]')) stages.push(await s.attr('data-stage'));
  assert.deepEqual(stages, ['signed', 'signed']);
  await shot('detail');

  // Download both signed PDFs into the chosen folder (the dialog answers with the test's folder).
  const before = new Set(readdirSync(dir));
  await (await session.find('[data-testid="download-all"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="download-status"]')).attr('data-phase')) === 'done', 'the download', { timeout: 60_000 });
  const saved = [];
  for (const f of await session.findAll('[data-testid="saved-file"]')) saved.push(await f.attr('data-path'));
  assert.equal(saved.length, 2);
  assert.match(await (await session.find('[data-testid="download-message"]')).text(), /Saved 2 signed documents/);
  const added = readdirSync(dir).filter((n) => !before.has(n)).sort();
  assert.equal(added.length, 2, `two new files in the folder: ${added.join(', ')}`);
  for (const p of saved) assert.ok(added.includes(path.basename(p)), `${p} is in the folder`);
  const originalsList = Object.values(originals);
  for (const name of added) {
    const bytes = readFileSync(path.join(dir, name));
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', `${name} is a PDF`);
    assert.ok(originalsList.every((o) => !o.equals(bytes)), `${name} differs from the originals`);
    const original = originalsList.find((o) => bytes.subarray(0, o.length).equals(o));
    assert.ok(original, `${name} keeps its original's bytes (an incremental update)`);
    assert.ok(bytes.length > original.length, `${name} has the signature page appended`);
    assert.match(bytes.subarray(original.length).toString('latin1'), /%%EOF/);
  }
  await shot('downloaded');

  // The casefile's files as Penneo keeps them (for a completed casefile, the sealed PDFs), saved
  // into the folder that holds the originals: beside them under numbered names, never over them.
  const beforeFiles = new Set(readdirSync(dir));
  await (await session.find('[data-testid="casefile-files-download-all"]')).click();
  const filesDone = await session.waitFor(async () => {
    const phase = await (await session.find('[data-testid="casefile-files-download-status"]')).attr('data-phase');
    if (phase === 'failed') throw new Error(await (await session.find('[data-testid="casefile-files-download-status"]')).text());
    return phase === 'done';
  }, 'the casefile files saved', { timeout: 60_000 });
  assert.ok(filesDone);
  const addedFiles = readdirSync(dir).filter((n) => !beforeFiles.has(n)).sort();
  assert.equal(addedFiles.length, 2, `two casefile files: ${addedFiles.join(', ')}`);
  for (const name of addedFiles) {
    assert.match(name, / \(\d+\)\.pdf$/, `${name}: a numbered name beside the file of the same name`);
    const bytes = readFileSync(path.join(dir, name));
    assert.ok(saved.some((p) => readFileSync(p).equals(bytes)), `${name} is one of the sealed PDFs`);
  }
  for (const [n, b] of Object.entries(originals)) assert.ok(readFileSync(path.join(dir, n)).equals(b), `${n} untouched`);

  // Back on the list: the casefile is there, completed.
  await (await session.find('[data-testid="back-to-casefiles"]')).click();
  const row = await session.find(`[data-testid="casefile-row"][data-id="${casefileId}"]`, { timeout: 20_000 });
  await session.waitFor(async () => (await row.attr('data-status')) === '5', 'the row completed');
});

test('a send Penneo refuses stops with its reason, and Retry sends it', async () => {
  const { session } = app;
  const { apiHost: api } = await invoke(session, 'account_status');
  // Only the two PDFs and the fake one in the folder again.
  for (const n of readdirSync(dir)) if (!(n in originals) && n !== 'meeting-notes.pdf') rmSync(path.join(dir, n));
  // The next casefile upload is answered 400 by the simulator.
  await injectFault(api, { pathPrefix: '/send/api/v1/casefiles', method: 'POST', status: 400, count: 1 });

  await (await session.find('[data-testid="nav-casefiles"]')).click();
  await (await session.find('[data-testid="new-casefile"]')).click();
  await session.find('[data-testid="casefile-editor"]');
  await fill(session, await session.find('[data-testid="casefile-title"]'), 'Confidentiality agreement Fjord Revision');
  await (await session.find('[data-testid="add-signer"]')).click();
  await fill(session, await session.find('[data-testid="signer-name"]'), 'Sofie Berg');
  await fill(session, await session.find('[data-testid="signer-email"]'), 'sofie.berg@fjord.example');
  await fill(session, await session.find('[data-testid="signer-role"]'), 'Client');
  await (await session.find('[data-testid="browse-files"]')).click();
  await session.waitFor(async () => (await session.findAll('[data-testid="document-row"]')).length === 2, 'two documents');
  await session.find('[data-testid="casefile-ready"]');
  // Cancel in the confirmation sends nothing and leaves the draft open; the second time it goes.
  await (await session.find('[data-testid="send-casefile"]')).click();
  assert.match(await (await session.find('[data-testid="confirm-signers"]')).text(), /sofie\.berg@fjord\.example/);
  await (await session.find('[data-testid="confirm-cancel"]')).click();
  await session.waitFor(async () => (await session.findAll('[data-testid="send-confirmation"]')).length === 0, 'the confirmation to close');
  await session.find('[data-testid="casefile-editor"]');
  assert.deepEqual(await invoke(session, 'outbox_list', { includeFinished: false }), [], 'nothing was queued');
  await (await session.find('[data-testid="send-casefile"]')).click();
  await (await session.find('[data-testid="confirm-send"]')).click();

  try {
    await session.waitFor(async () => (await (await session.find('[data-testid="send-progress"]')).attr('data-phase')) === 'failed', 'the send to stop', { timeout: 30_000 });
  } catch (e) {
    // What the window, the outbox and the simulator saw, for the next person reading a failure.
    const phase = await (await session.find('[data-testid="send-progress"]')).attr('data-phase').catch(() => 'none');
    const outbox = await invoke(session, 'outbox_list', { includeFinished: true }).catch((x) => x.message);
    const log = (await (await fetch(`${api}/_sim/log`)).json()).items.filter((x) => x.method !== 'GET').slice(-15);
    const faults = (await (await fetch(`${api}/_sim/faults`)).json()).items;
    throw new Error(`${e.message}; phase ${phase}; outbox ${JSON.stringify(outbox)}; faults left ${JSON.stringify(faults)}; last writes: ${log.map((x) => `${x.method} ${x.path} ${x.status}`).join(', ')}`);
  }
  assert.match(await (await session.find('[data-testid="send-message"]')).text(), /did not accept/i);
  // The draft stays until the casefile exists.
  const kept = await invoke(session, 'list_casefile_drafts');
  assert.deepEqual(kept.map((d) => d.draft.title), ['Confidentiality agreement Fjord Revision']);

  // The Casefiles page lists the stopped send with Retry, and Remove in the row's menu.
  await (await session.find('[data-testid="back-to-casefiles"]')).click();
  const stopped = '[data-testid="sends-panel"] [data-testid="send-row"][data-state="stopped"]';
  await (await session.find(`${stopped} [data-testid="send-menu"]`)).click();
  await session.find(`${stopped} [role="menu"] [data-testid="remove-send"]`);
  await shot('stopped');
  await (await session.find(`${stopped} [data-testid="send-menu"]`)).click(); // closed again
  await (await session.find('[data-testid="send-row"][data-state="stopped"] [data-testid="retry-send"]')).click();
  // Retried: it goes through, leaves the panel, and its casefile appears in the list.
  await session.waitFor(async () => (await session.findAll('[data-testid="send-row"]')).length === 0, 'the send to finish', { timeout: 60_000 });
  await session.waitFor(async () => {
    for (const r of await session.findAll('[data-testid="casefile-row"]')) if (/Confidentiality agreement Fjord Revision/.test(await r.text())) return true;
    return false;
  }, 'the new casefile in the list', { timeout: 30_000 });
  assert.deepEqual(await invoke(session, 'list_casefile_drafts'), [], 'the draft is removed once the casefile exists');
});
