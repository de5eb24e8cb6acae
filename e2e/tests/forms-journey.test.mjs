// A form's whole life in the real window against the demo simulator: build it (four sections,
// one conditional, one repeatable) with its live preview, create and publish it in Penneo,
// change it (a new DRAFT version), publish again, restore version 1 (a new DRAFT equal to it),
// then send a prefilled request, submit it through the simulator, sync and read the answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { builderHelpers, pageRunner } from '../lib/builder.mjs';
import { ROOT, useApp } from '../lib/harness.mjs';

const app = useApp({ name: 'forms-journey' });
const FORM_NAME = `Journey KYC ${Date.now().toString(36)}`;
const DOCS = path.join(ROOT, 'docs', 'screenshots');

// DOM helpers run inside the page; every step awaits Svelte's update before the next.
const HELPERS =
  builderHelpers({ newFieldType: 'Type of the new field', addField: 'Add field', label: 'Label', required: 'Required' }) +
  `
  const sections = () => [...document.querySelectorAll('[data-testid="builder-section"]')];
  const addSection = async (title) => {
    document.querySelector('[data-testid="add-section"]').click();
    await tick();
    const s = sections()[sections().length - 1];
    await setVal(byLabel(s, 'Title'), title);
    return s;
  };
`;

const page = pageRunner(app, HELPERS);

async function text(css) {
  return (await app.session.find(css)).text();
}

async function waitText(css, re, what, timeout = 20_000) {
  return app.session.waitFor(async () => {
    const els = await app.session.findAll(css);
    for (const el of els) {
      const t = await el.text();
      if (re.test(t)) return t;
    }
    return false;
  }, what, { timeout });
}

async function click(css) {
  await (await app.session.find(css)).click();
}

async function versionRow(n) {
  return app.session.find(`[data-testid="version-row"][data-version="${n}"]`);
}

async function versionStatus(n) {
  return (await versionRow(n)).attr('data-status');
}

async function clickInRow(n, testid) {
  const row = await versionRow(n);
  const id = await app.session.execute(
    `const row = document.querySelector('[data-testid="version-row"][data-version="${n}"]');
     const b = row && row.querySelector('[data-testid="${testid}"]');
     if (!b) return null; b.setAttribute('data-pick', 'yes'); return true;`,
  );
  assert.ok(row && id, `version ${n} offers ${testid}`);
  await click('[data-pick="yes"]');
  await app.session.execute(`document.querySelector('[data-pick="yes"]')?.removeAttribute('data-pick')`);
}

async function confirmVersionAction(expect) {
  const confirm = await app.session.find('[data-testid="version-confirm"]');
  const said = await confirm.text();
  assert.match(said, expect, 'the confirmation states the effect before it runs');
  await click('[data-testid="version-confirm-yes"]');
  await app.session.waitFor(async () => (await app.session.findAll('[data-testid="version-confirm"]')).length === 0, 'the action to finish');
}

function keep(file, docName) {
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(file, path.join(DOCS, docName));
}

let formId;
let apiHost;

test('the demo forms are listed with their actions', async () => {
  const { session } = app;
  await session.find('[data-testid="page-forms"]');
  await session.waitFor(async () => (await session.findAll('[data-testid="server-form-row"]')).length >= 6, 'the demo forms', { timeout: 60_000 });
  const status = await session.executeAsync(
    "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('account_status').then(done, (e) => done({ error: String(e) }))",
  );
  apiHost = status.apiHost;
  assert.match(apiHost ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('a new form with four sections, a conditional and a repeatable one, is built beside its preview', async () => {
  const { session } = app;
  await click('[data-testid="new-form"]');
  await session.find('[data-testid="form-builder"]');
  await page(`
    await setVal(document.querySelector('[data-testid="form-name"]'), ${JSON.stringify(FORM_NAME)});
    const contact = await addSection('Contact person');
    await addField(contact, 'TEXT', 'Full name', true);
    await addField(contact, 'EMAIL', 'Email', true);
    await addField(contact, 'CHOICE', 'Is a company', false);

    const company = await addSection('Company');
    btn(company, 'Show only when…').click();
    await tick();
    const cond = company.querySelector('[data-testid="condition-editor"]');
    const [fieldSel, valueSel] = cond.querySelectorAll('select');
    await setVal(fieldSel, 'is_a_company');
    await setVal(cond.querySelectorAll('select')[1] || valueSel, 'yes');
    await addField(company, 'BUSINESS_ID', 'CVR number', true);

    const owners = await addSection('Beneficial owners');
    const rep = [...owners.querySelectorAll('label.check')].find((l) => l.textContent.includes('Repeatable')).querySelector('input');
    rep.click();
    await tick();
    const max = [...owners.querySelectorAll('label.check')].find((l) => l.textContent.includes('up to')).querySelector('input');
    await setVal(max, '3');
    await addField(owners, 'TEXT', 'Owner name', false);

    const confirm = await addSection('Confirmation');
    await addField(confirm, 'DATE', 'Signed on', false);
  `);
  assert.equal((await session.findAll('[data-testid="builder-section"]')).length, 4);
  await waitText('[data-testid="builder-problems"]', /No problems found/, 'a form without problems');
  // The preview follows: the company section appears only once "Is a company" is yes.
  const preview = await session.find('[data-testid="form-preview"]');
  assert.doesNotMatch(await preview.text(), /CVR number/);
  await page(`
    const p = document.querySelector('[data-testid="form-preview"]');
    const yes = [...p.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Yes');
    yes.querySelector('input').click();
    await tick();
  `);
  await session.waitFor(async () => /CVR number/.test(await preview.text()), 'the conditional section in the preview');
  await waitText('[data-testid="autosave-status"]', /^Saved on this computer/, 'the draft autosaved');
  // The draft is in the app's database (list_form_drafts), not only in the webview.
  const drafts = await session.executeAsync(
    "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('list_form_drafts').then(done, (e) => done({ error: String(e) }))",
  );
  assert.ok(Array.isArray(drafts) && drafts.some((d) => d.definition?.name === FORM_NAME && d.formId === null), JSON.stringify(drafts).slice(0, 300));
  await session.execute(`window.scrollTo(0, 0); for (const el of document.querySelectorAll('*')) if (el.scrollTop > 0) el.scrollTop = 0;`);
  keep(await app.shot('builder.png'), 'forms-builder.png');
});

test('the form is created in Penneo and published', async () => {
  const { session } = app;
  await click('[data-testid="save-form"]');
  await session.find('[data-testid="form-page"]', { timeout: 20_000 });
  // Penneo has it now: the new-form draft is gone from the database.
  await session.waitFor(async () => {
    const left = await session.executeAsync(
      "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('list_form_drafts').then(done, (e) => done({ error: String(e) }))",
    );
    return Array.isArray(left) && !left.some((d) => d.definition?.name === FORM_NAME);
  }, 'the local draft removed after the create');
  const notice = await waitText('[data-testid="form-notice"]', /created in Penneo as a draft \(version 1\)/, 'the created notice');
  assert.match(notice, new RegExp(FORM_NAME));
  const hash = await session.execute('return location.hash');
  formId = decodeURIComponent(hash.split('/')[3]);
  assert.ok(formId, `a form id in ${hash}`);
  await session.find('[data-testid="form-builder"]');

  await click('[data-testid="publish-form"]');
  const confirm = await text('[data-testid="confirm-save"]');
  assert.match(confirm, /Publishes version 1: it becomes ACTIVE/);
  await click('[data-testid="confirm-save-yes"]');
  await waitText('[data-testid="form-notice"]', /Published: version 1 is active/, 'the published notice');
  assert.equal(await text('[data-testid="form-page-status"]'), 'Active');
});

test('changing the ACTIVE form says first that it makes a new DRAFT version, which then appears', async () => {
  const { session } = app;
  await page(`
    const confirm = sections()[3];
    await addField(confirm, 'TEXT', 'Notes', false);
  `);
  await waitText('[data-testid="penneo-state"]', /Changes not yet saved to Penneo/, 'the unsaved marker');
  await click('[data-testid="save-form"]');
  const said = await text('[data-testid="confirm-save"]');
  assert.match(said, /creates version 2 as a DRAFT/);
  assert.match(said, /keep getting version 1 until you publish/);
  await click('[data-testid="confirm-save-yes"]');
  await waitText('[data-testid="form-notice"]', /Saved to Penneo as version 2 \(draft\)/, 'the saved notice');

  await click('[data-testid="form-tab-versions"]');
  await session.find('[data-testid="version-list"]');
  await session.waitFor(async () => (await versionStatus(2)) === 'DRAFT', 'version 2 as a DRAFT');
  assert.equal(await versionStatus(1), 'ACTIVE');
});

test('publishing version 2 archives version 1; restoring version 1 makes a DRAFT equal to it', async () => {
  const { session } = app;
  await clickInRow(2, 'version-publish');
  await confirmVersionAction(/Version 2 becomes ACTIVE and replaces version 1, which is archived/);
  await session.waitFor(async () => (await versionStatus(2)) === 'ACTIVE' && (await versionStatus(1)) === 'ARCHIVED', 'v2 active, v1 archived');

  await clickInRow(1, 'version-restore');
  await confirmVersionAction(/Makes version 3, a new DRAFT with the content of version 1/);
  await session.waitFor(async () => (await session.findAll('[data-testid="version-row"][data-version="3"]')).length === 1, 'version 3');
  assert.equal(await versionStatus(3), 'DRAFT');

  const pick = async (left, right) => {
    await app.session.execute(
      `for (const [id, v] of [['compare-left', ${left}], ['compare-right', ${right}]]) {
         const s = document.querySelector('[data-testid="' + id + '"]');
         s.value = String(v); s.dispatchEvent(new Event('change', { bubbles: true }));
       }`,
    );
    await click('[data-testid="compare-versions"]');
  };
  await pick(1, 3);
  await waitText('[data-testid="version-diff"]', /No differences between Version 1 and Version 3/, 'v3 equal to v1');
  await pick(1, 2);
  const diff = await waitText('[data-testid="version-diff"]', /Sections: 1 changed\. Fields: 1 added\./, 'v1 → v2 adds the Notes field');
  assert.match(diff, /Notes/);
  keep(await app.shot('versions.png'), 'forms-versions.png');
});

test('a prefilled request is sent, submitted through the simulator and its answers are read in the app', async () => {
  const { session } = app;
  await click('[data-testid="form-tab-requests"]');
  await session.find('[data-testid="prefilled-requests"]');
  await click('[data-testid="new-prefilled-request"]');
  await session.find('[data-testid="prefill-dialog"]');
  // A bad value is refused next to its field before anything is sent.
  await page(`
    const d = document.querySelector('[data-testid="prefill-dialog"]');
    const field = (name, i = 0) => d.querySelectorAll('[data-testid="prefill-field"][data-name="' + name + '"]')[i];
    await setVal(field('full_name').querySelector('[data-testid="prefill-input"]'), 'Ada Lovelace');
    field('full_name').querySelector('[data-testid="prefill-lock"]').click();
    await setVal(field('email').querySelector('[data-testid="prefill-input"]'), 'ada@');
    await setVal(d.querySelector('[data-testid="prefill-label"]'), 'Ada Lovelace onboarding');
  `);
  await click('[data-testid="prefill-create"]');
  const msg = await waitText('[data-testid="prefill-message"]', /email address/, 'the email problem beside the field');
  assert.match(msg, /Enter an email address/);
  await page(`
    const d = document.querySelector('[data-testid="prefill-dialog"]');
    const field = (name, i = 0) => d.querySelectorAll('[data-testid="prefill-field"][data-name="' + name + '"]')[i];
    await setVal(field('email').querySelector('[data-testid="prefill-input"]'), 'ada@example.com');
    await setVal(field('is_a_company').querySelector('select'), 'no');
    const owners = d.querySelector('[data-testid="prefill-section"][data-slug="beneficial-owners"]');
    owners.querySelector('[data-testid="prefill-add-entry"]').click();
    await tick();
    const names = owners.querySelectorAll('[data-testid="prefill-field"][data-name="owner_name"] [data-testid="prefill-input"]');
    await setVal(names[0], 'Ada Lovelace');
    await setVal(names[1], 'Charles Babbage');
  `);
  await click('[data-testid="prefill-create"]');
  const url = await (await session.find('[data-testid="prefill-url"]', { timeout: 20_000 })).attr('value');
  assert.match(url ?? (await session.execute('return document.querySelector(\'[data-testid="prefill-url"]\').value')), /^http:\/\/127\.0\.0\.1/);
  await click('[data-testid="prefill-done"]');

  const row = await session.find('[data-testid="request-row"]');
  const requestId = await row.attr('data-request-id');
  assert.ok(requestId);
  assert.match(await row.text(), /Ada Lovelace onboarding/);
  assert.match(await row.text(), /Waiting for the client/);

  const res = await fetch(`${apiHost}/_sim/requests/${encodeURIComponent(requestId)}/submit`, { method: 'POST' });
  assert.equal(res.status, 200, await res.text());

  await click('[data-testid="sync-request-answers"]');
  await waitText('[data-testid="request-sync-note"]', /1 new submission synced/, 'the submission synced');
  await session.find('[data-testid="request-answered"]');
  await click('[data-testid="show-request-answers"]');
  const answers = await waitText('[data-testid="request-answers"]', /Charles Babbage/, 'the answers');
  assert.match(answers, /Ada Lovelace/);
  assert.match(answers, /ada@example\.com/);
  assert.match(answers, /Owner name \(entry 2\)\s*Charles Babbage/);
  keep(await app.shot('requests.png'), 'forms-requests.png');
});

test('the list shows the new form; duplicating makes a DRAFT copy and archiving says submissions are kept', async () => {
  const { session } = app;
  await click('[data-testid="nav-forms"]');
  await session.find('[data-testid="server-forms-table"]');
  await app.session.execute(
    `const s = document.querySelector('[data-testid="forms-search"]'); s.value = ${JSON.stringify(FORM_NAME)}; s.dispatchEvent(new Event('input', { bubbles: true }));`,
  );
  await session.waitFor(async () => (await session.findAll('[data-testid="server-form-row"]')).length === 1, 'the new form alone');
  // Version 3 (the restored DRAFT) waits while clients still get version 2: the list says both.
  const mine = await (await session.find('[data-testid="server-form-row"]')).text();
  assert.match(mine, /Draft[\s\S]*v3\s*v2 is live/, mine);
  await click('[data-testid="row-menu"]'); // the row's actions are in its menu
  await click('[data-testid="duplicate-form"]');
  await waitText('[data-testid="forms-action-note"]', new RegExp(`"Copy of ${FORM_NAME}" is created as a new draft`), 'the copy');
  await session.waitFor(async () => (await session.findAll('[data-testid="server-form-row"]')).length === 2, 'both forms listed');
  const rows = await session.findAll('[data-testid="server-form-row"]');
  const texts = await Promise.all(rows.map((r) => r.text()));
  assert.ok(texts.some((t) => t.includes(`Copy of ${FORM_NAME}`) && /Draft/.test(t)), texts.join('\n'));

  await app.session.execute(`const s = document.querySelector('[data-testid="forms-search"]'); s.value = ''; s.dispatchEvent(new Event('input', { bubbles: true }));`);
  await session.waitFor(async () => (await session.findAll('[data-testid="server-form-row"]')).length >= 8, 'the whole list');
  keep(await app.shot('list.png'), 'forms-list.png');

  // Archive the copy: the confirmation says the submissions are kept.
  await app.session.execute(
    `const s = document.querySelector('[data-testid="forms-search"]'); s.value = ${JSON.stringify(`Copy of ${FORM_NAME}`)}; s.dispatchEvent(new Event('input', { bubbles: true }));`,
  );
  await session.waitFor(async () => (await session.findAll('[data-testid="server-form-row"]')).length === 1, 'the copy alone');
  await click('[data-testid="row-menu"]');
  await click('[data-testid="archive-form"]');
  assert.match(await text('[data-testid="archive-confirm"]'), /submissions are\s+kept/);
  await click('[data-testid="archive-confirm-yes"]');
  await waitText('[data-testid="forms-action-note"]', /is archived\. Its submissions are kept\./, 'archived');
  await waitText('[data-testid="form-status"]', /Archived/, 'the archived status');
});
