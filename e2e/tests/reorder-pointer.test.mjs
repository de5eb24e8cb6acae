// Reordering with the mouse in the real window, through WebDriver pointer actions (the window gets
// pointer events as from a person's mouse): a section and a field in the form builder, a signer
// and a document in a new casefile. What counts is what reaches Penneo: the form definition the
// simulator stores, and the casefile's signing order and document order as the simulator has them.
// HTML5 drag and drop is not used for this (Windows' webview swallows its events while the
// window takes file drops), so these drags are what a user on any platform does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useApp } from '../lib/harness.mjs';
import { invoke } from '../lib/invoke.mjs';
import { makePdf } from '../lib/pdf.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-reorder-'));
writeFileSync(path.join(dir, 'engagement-letter.pdf'), makePdf('Engagement letter'));
writeFileSync(path.join(dir, 'terms-of-business.pdf'), makePdf('Terms of business'));
after(() => rmSync(dir, { recursive: true, force: true }));

const app = useApp({ name: 'reorder-pointer', env: { PENNEO_DESK_DIALOG_DIR: dir } });
const FORM_NAME = `Reorder ${Date.now().toString(36)}`;

/**
 * Page code: a point above the middle of `el` (so a dragged item lands before it). When that
 * middle is above the window, the top edge: the page scrolls up by itself while the pointer
 * rests there (pointerDrag's `rest`).
 */
const ABOVE = `
  const r = el.getBoundingClientRect();
  const y = Math.min(r.top + Math.min(16, r.height / 4), (r.top + r.bottom) / 2 - 8);
  return { x: Math.max(5, Math.min(innerWidth - 5, r.left + 60)), y: y < 80 ? 5 : Math.min(innerHeight - 5, y) };`;

async function setValue(css, value) {
  const el = await app.session.find(css);
  await el.clear();
  await el.type(value);
}

async function announced(re) {
  return app.session.waitFor(async () => {
    const t = await app.session.execute('return document.querySelector("[data-testid=reorder-announcement]")?.textContent ?? ""');
    return re.test(t) && t;
  }, `an announcement matching ${re}`);
}

// Runs async page code; returns its value or throws its error.
async function page(body, args = []) {
  const out = await app.session.executeAsync(
    `const done = arguments[arguments.length - 1];
     const tick = () => new Promise((r) => setTimeout(r, 60));
     (async () => { ${body} })().then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ error: String(e && e.stack || e) }));`,
    args,
  );
  if (out && out.error) throw new Error(out.error);
  return out?.ok;
}

const sectionTitles = () =>
  app.session.execute(
    `return [...document.querySelectorAll('[data-testid="builder-section"]')].map((s) => s.querySelector('input.control').value)`,
  );

test('a section and a field are reordered with the mouse, and Penneo gets the new order', async () => {
  const { session } = app;
  await session.find('[data-testid="page-forms"]');
  await (await session.find('[data-testid="new-form"]')).click();
  await session.find('[data-testid="form-builder"]');
  await setValue('[data-testid="form-name"]', FORM_NAME);
  // Alpha with the fields One and Two, then Beta with Three.
  await page(`
    const setVal = async (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); await tick(); };
    const sections = () => [...document.querySelectorAll('[data-testid="builder-section"]')];
    for (const [title, labels] of [['Alpha', ['One', 'Two']], ['Beta', ['Three']]]) {
      document.querySelector('[data-testid="add-section"]').click();
      await tick();
      const s = sections()[sections().length - 1];
      await setVal(s.querySelector('input.control'), title);
      for (const label of labels) {
        [...s.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Add field').click();
        await tick();
        const fields = s.querySelectorAll('[data-testid="builder-field"]');
        await setVal(fields[fields.length - 1].querySelector('input.control'), label);
      }
    }
  `);
  assert.deepEqual(await sectionTitles(), ['Alpha', 'Beta']);

  // Beta's handle, dragged above the middle of Alpha.
  const betaHandle = (await session.findAll('[data-testid="builder-section"] [data-section-handle]'))[1];
  await session.pointerDrag(betaHandle, `const el = document.querySelectorAll('[data-testid="builder-section"]')[0]; ${ABOVE}`, { rest: 2000 });
  await session.waitFor(async () => (await sectionTitles()).join() === 'Beta,Alpha', 'Beta first');
  await announced(/Section moved to position 1 of 2/);

  // In Alpha (now second), the field Two's grip, dragged above One.
  const labelsIn = (i) =>
    session.execute(
      `const s = document.querySelectorAll('[data-testid="builder-section"]')[${i}];
       return [...s.querySelectorAll('[data-testid="builder-field"]')].map((f) => f.querySelector('input.control').value)`,
    );
  assert.deepEqual(await labelsIn(1), ['One', 'Two']);
  const grips = await session.findAll('[data-testid="builder-field"] .grip');
  const twoGrip = grips[2]; // Three (in Beta), One, Two
  await session.pointerDrag(
    twoGrip,
    `const el = document.querySelectorAll('[data-testid="builder-section"]')[1].querySelector('[data-testid="builder-field"]'); ${ABOVE}`,
    { rest: 1000 },
  );
  await session.waitFor(async () => (await labelsIn(1)).join() === 'Two,One', 'Two before One');
  await announced(/Field moved to position 1 of 2 in section 2/);

  // A drag let go with Escape first changes nothing.
  await session.pointerDrag(
    (await session.findAll('[data-testid="builder-section"] [data-section-handle]'))[1],
    `const el = document.querySelectorAll('[data-testid="builder-section"]')[0]; ${ABOVE}`,
    { escape: true, rest: 1000 },
  );
  await announced(/Move cancelled/);
  assert.deepEqual(await sectionTitles(), ['Beta', 'Alpha']);

  // Create it in Penneo; the simulator's stored definition has the order made by the mouse.
  await session.waitFor(async () => /No problems found/.test(await (await session.find('[data-testid="builder-problems"]')).text()), 'no problems');
  await (await session.find('[data-testid="save-form"]')).click();
  await session.find('[data-testid="form-page"]', { timeout: 20_000 });
  const formId = await session.waitFor(async () => decodeURIComponent(((await session.execute('return location.hash')) ?? '').split('/')[3] ?? ''), 'the form id');
  const form = await invoke(session, 'get_form', { formId, refresh: true });
  assert.deepEqual(
    form.definition.sections.map((s) => [s.title, s.fields.map((f) => f.label)]),
    [
      ['Beta', ['Three']],
      ['Alpha', ['Two', 'One']],
    ],
  );
});

test('a signer and a document are reordered with the mouse, and the casefile is sent in that order', async () => {
  const { session } = app;
  await (await session.find('[data-testid="nav-casefiles"]')).click();
  await (await session.find('[data-testid="new-casefile"]')).click();
  await session.find('[data-testid="casefile-editor"]');
  await setValue('[data-testid="casefile-title"]', 'Reordered by mouse');
  const signers = [
    ['Ida Marie Holm', 'ida.holm@nordlys.example', 'Client'],
    ['Bo Lindqvist', 'bo.lindqvist@practice.example', 'Partner'],
  ];
  for (const [i, [name, email, role]] of signers.entries()) {
    await (await session.find('[data-testid="add-signer"]')).click();
    await session.waitFor(async () => (await session.findAll('[data-testid="signer-card"]')).length === i + 1, `signer card ${i + 1}`);
    for (const [field, value] of [['signer-name', name], ['signer-email', email], ['signer-role', role]]) {
      const el = (await session.findAll(`[data-testid="${field}"]`))[i];
      await el.clear();
      await el.type(value);
    }
  }
  await (await session.find('[data-testid="browse-files"]')).click();
  await session.waitFor(async () => (await session.findAll('[data-testid="document-row"]')).length === 2, 'two documents');
  const docNames = async () => {
    const out = [];
    for (const r of await session.findAll('[data-testid="document-row"]')) out.push(await r.attr('data-name'));
    return out;
  };
  assert.deepEqual(await docNames(), ['engagement-letter.pdf', 'terms-of-business.pdf']);
  const laneNames = () =>
    session.execute(
      `return [...document.querySelectorAll('[data-testid="signing-lane"]')].map((l) => [...l.querySelectorAll('[data-testid="signer-name"]')].map((i) => i.value).join('+'))`,
    );
  assert.deepEqual(await laneNames(), ['Ida Marie Holm', 'Bo Lindqvist']);

  // Bo's handle, dragged into the "new step" gap that opens above step 1: Bo signs first.
  const boHandle = (await session.findAll('[data-testid="signer-handle"]'))[1];
  await session.pointerDrag(
    boHandle,
    `const el = document.querySelector('[data-drop-gap="0"]');
     const r = el.getBoundingClientRect();
     if (r.height === 0) throw new Error('the new-step gap did not open');
     return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };`,
  );
  await session.waitFor(async () => (await laneNames()).join() === 'Bo Lindqvist,Ida Marie Holm', 'Bo in step 1');
  const said = await session.execute('return document.querySelector(\'[data-testid="lanes-announcement"]\').textContent');
  assert.equal(said, 'Bo Lindqvist signs in step 1 of 2.');

  // The terms' handle, dragged above the engagement letter.
  const termsHandle = (await session.findAll('[data-testid="document-handle"]'))[1];
  await session.pointerDrag(termsHandle, `const el = document.querySelector('[data-testid="document-row"]'); ${ABOVE}`);
  await session.waitFor(async () => (await docNames()).join() === 'terms-of-business.pdf,engagement-letter.pdf', 'the terms first');
  await announced(/Document moved to position 1 of 2/);

  // Send; the casefile Penneo made has Bo first and the terms first.
  await session.find('[data-testid="casefile-ready"]');
  await (await session.find('[data-testid="send-casefile"]')).click();
  await (await session.find('[data-testid="confirm-send"]')).click();
  const casefileId = Number(await (await session.find('[data-testid="created-casefile-id"]', { timeout: 60_000 })).text());
  assert.ok(casefileId > 0);
  const cf = await invoke(session, 'get_casefile', { casefileId, refresh: true });
  const order = Object.fromEntries(cf.signers.map((s) => [s.name, s.signingOrder]));
  assert.ok(order['Bo Lindqvist'] < order['Ida Marie Holm'], JSON.stringify(order));
  const docs = [...cf.documents].sort((a, b) => a.docOrder - b.docOrder).map((d) => d.title);
  assert.deepEqual(docs, ['Terms of business', 'Engagement letter']);
});
