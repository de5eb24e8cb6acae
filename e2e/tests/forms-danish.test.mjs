// A form's journey in Danish, in the real window against the demo simulator: the window follows
// the OS language (LANGUAGE=da), a new form is built with a section and fields, created in Penneo
// and published, a prefilled request is sent and its answers read back — every step asserting the
// Danish text on screen and Danish dates (dd.mm.åååå tt.mm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builderHelpers, pageRunner } from '../lib/builder.mjs';
import { useApp } from '../lib/harness.mjs';

const app = useApp({ name: 'forms-danish', language: 'da' });
const FORM_NAME = `Kundekendskab ${Date.now().toString(36)}`;
const DANISH_DATE_TIME = /\d{2}\.\d{2}\.\d{4} \d{2}\.\d{2}/;

// DOM helpers run inside the page, found by their Danish labels; every step awaits Svelte's update.
const HELPERS = builderHelpers({ newFieldType: 'Type for det nye felt', addField: 'Tilføj felt', label: 'Spørgsmål', required: 'Obligatorisk' });

const page = pageRunner(app, HELPERS);

async function text(css) {
  return (await app.session.find(css)).text();
}

async function waitText(css, re, what, timeout = 20_000) {
  return app.session.waitFor(
    async () => {
      for (const el of await app.session.findAll(css)) {
        const t = await el.text();
        if (re.test(t)) return t;
      }
      return false;
    },
    what,
    { timeout },
  );
}

async function click(css) {
  await (await app.session.find(css)).click();
}

let apiHost;

test('the window speaks Danish: from the OS language, else chosen in Settings', async () => {
  const { session } = app;
  // WebKitGTK takes navigator.language from the C library's locale (setlocale), not from
  // LANGUAGE alone; the harness compiles a da_DK locale for the window (see startApp). Should the
  // window still not say Danish, the test picks Dansk in Settings, as a user would.
  const nav = await session.execute('return navigator.language');
  if (!/^da\b/i.test(nav ?? '')) {
    await click('[data-testid="nav-settings"]');
    await session.find('[data-testid="language-select"]');
    await page(`
      const select = document.querySelector('[data-testid="language-select"]');
      await setVal(select, 'da');
    `);
    await click('[data-testid="nav-forms"]');
  }
  assert.match(await session.execute('return document.documentElement.lang'), /^da(-DK)?$/);
  await session.find('[data-testid="page-forms"]');
  await session.waitFor(async () => (await session.findAll('[data-testid="server-form-row"]')).length >= 6, 'the demo forms', {
    timeout: 60_000,
  });
  assert.equal(await text('#server-forms-h'), 'Formularer i Penneo');
  // The list's dates are Danish, and the statuses too.
  const row = await text('[data-testid="server-form-row"]');
  assert.match(row, DANISH_DATE_TIME, row);
  const statuses = await Promise.all((await session.findAll('[data-testid="form-status"]')).map((s) => s.text()));
  assert.ok(
    statuses.every((s) => ['Kladde', 'Aktiv', 'Arkiveret'].includes(s)),
    statuses.join(', '),
  );
  const status = await session.executeAsync(
    "const done = arguments[0]; window.__TAURI_INTERNALS__.invoke('account_status').then(done, (e) => done({ error: String(e) }))",
  );
  apiHost = status.apiHost;
  assert.match(apiHost ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('a new form gets a section and fields, all in Danish', async () => {
  const { session } = app;
  await click('[data-testid="new-form"]');
  await session.find('[data-testid="form-builder"]');
  assert.match(await text('[data-testid="penneo-state"]'), /Endnu ikke i Penneo/);
  // Made in a Danish window, the form is in Danish.
  const language = await page(`const s = byLabel(document, 'Sprog'); return [s.value, s.selectedOptions[0].textContent];`);
  assert.deepEqual(language, ['DA', 'Dansk']);
  await page(`
    await setVal(document.querySelector('[data-testid="form-name"]'), ${JSON.stringify(FORM_NAME)});
    document.querySelector('[data-testid="add-section"]').click();
    await tick();
    const sec = document.querySelector('[data-testid="builder-section"]');
    await setVal(byLabel(sec, 'Titel'), 'Kontaktperson');
    await addField(sec, 'TEXT', 'Fulde navn', true);
    await addField(sec, 'EMAIL', 'E-mail', true);
    await addField(sec, 'CHOICE', 'Kundetype', false);
    const choice = [...sec.querySelectorAll('[data-testid="builder-field"]')][2];
    const labels = [...choice.querySelectorAll('.option input:not(.mono)')];
    const values = [...choice.querySelectorAll('.option input.mono')];
    // A new choice starts with Ja / Nej (in the UI language); these are the practice's own.
    if (labels[0].value !== 'Ja' || labels[1].value !== 'Nej') throw new Error('default options ' + labels.map((l) => l.value));
    await setVal(labels[0], 'Privatperson');
    await setVal(values[0], 'privat');
    await setVal(labels[1], 'Virksomhed');
    await setVal(values[1], 'virksomhed');
  `);
  const section = await session.find('[data-testid="builder-section"]');
  const sectionText = await section.text();
  assert.match(sectionText, /Slet sektion/);
  assert.match(sectionText, /Tilføj felt/);
  // The section key is not in the way: it sits under "Avanceret", made from the title.
  const advanced = await page(`
    const d = document.querySelector('[data-testid="section-advanced"]');
    return { open: d.open, summary: d.querySelector('summary').textContent.trim(), key: d.querySelector('input').value };
  `);
  assert.deepEqual(advanced, {
    open: false,
    summary: 'Avanceret',
    key: 'kontaktperson',
  });
  await waitText('[data-testid="builder-problems"]', /Ingen fejl fundet/, 'a form without problems');
  await waitText('[data-testid="autosave-status"]', /^Gemt på denne computer/, 'the draft autosaved');
  const preview = await text('[data-testid="form-preview"]');
  assert.match(preview, /Kontaktperson/);
  assert.match(preview, /Privatperson/);
  assert.match(preview, /Kontrollér svar/);
});

test('the form is created in Penneo and published, said in Danish', async () => {
  const { session } = app;
  assert.equal((await text('[data-testid="save-form"]')).trim(), 'Opret i Penneo');
  await click('[data-testid="save-form"]');
  await session.find('[data-testid="form-page"]', { timeout: 20_000 });
  await waitText('[data-testid="form-notice"]', /er oprettet i Penneo som kladde \(version 1\)/, 'the created notice');
  await session.find('[data-testid="form-builder"]');
  assert.equal(await text('[data-testid="form-page-status"]'), 'Kladde');
  // Penneo has it as a Danish form: the builder now shows the definition Penneo answered.
  assert.equal(await page(`return byLabel(document, 'Sprog').value;`), 'DA');
  assert.match(await text('[data-testid="form-tab-build"]'), /Opbygning/);

  await click('[data-testid="publish-form"]');
  assert.match(await text('[data-testid="confirm-save"]'), /Udgiver version 1: den bliver AKTIV/);
  await click('[data-testid="confirm-save-yes"]');
  await waitText('[data-testid="form-notice"]', /Udgivet: version 1 er aktiv/, 'the published notice');
  assert.equal(await text('[data-testid="form-page-status"]'), 'Aktiv');

  await click('[data-testid="form-tab-versions"]');
  const row = await session.find('[data-testid="version-row"][data-version="1"]');
  await session.waitFor(async () => (await row.attr('data-status')) === 'ACTIVE', 'version 1 active');
  const rowText = await row.text();
  assert.match(rowText, /Aktiv/);
  assert.match(rowText, DANISH_DATE_TIME, rowText);
  assert.match(rowText, /Kopiér til ny kladde/);
  assert.match(await text('[data-testid="form-versions"]'), /Sammenlign to versioner/);
});

test('a prefilled request is sent and its answers read back, with the option labels', async () => {
  const { session } = app;
  await click('[data-testid="form-tab-requests"]');
  await session.find('[data-testid="prefilled-requests"]');
  assert.match(await text('[data-testid="prefilled-requests"]'), /Anmodninger bruger den aktive version, version 1/);
  await click('[data-testid="new-prefilled-request"]');
  const dialog = await session.find('[data-testid="prefill-dialog"]');
  assert.match(await dialog.text(), /Ny forudfyldt anmodning/);
  // Laid out whole: the name field and the first field are in view, corner to corner, between
  // the title and the buttons (not under them, not cut off by the scrolling body).
  const hidden = await page(`
    const d = document.querySelector('[data-testid="prefill-dialog"]');
    const seen = (el) => {
      const r = el.getBoundingClientRect();
      return [[r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2]].every(([x, y]) => el.contains(document.elementFromPoint(x, y)));
    };
    return [d.querySelector('[data-testid="prefill-label"]'), d.querySelector('[data-testid="prefill-input"]')]
      .filter((el) => !seen(el)).map((el) => el.outerHTML.slice(0, 80));
  `);
  assert.deepEqual(hidden, []);
  await page(`
    const d = document.querySelector('[data-testid="prefill-dialog"]');
    const field = (name) => d.querySelector('[data-testid="prefill-field"][data-name="' + name + '"]');
    await setVal(field('fulde_navn').querySelector('[data-testid="prefill-input"]'), 'Karen Blixen');
    field('fulde_navn').querySelector('[data-testid="prefill-lock"]').click();
    await setVal(field('e_mail').querySelector('[data-testid="prefill-input"]'), 'karen@');
    await setVal(field('kundetype').querySelector('select'), 'virksomhed');
    await setVal(d.querySelector('[data-testid="prefill-label"]'), 'Karen Blixen, onboarding');
  `);
  await click('[data-testid="prefill-create"]');
  await waitText('[data-testid="prefill-message"]', /Angiv en e-mailadresse/, 'the e-mail problem in Danish');
  await page(`
    const d = document.querySelector('[data-testid="prefill-dialog"]');
    const field = (name) => d.querySelector('[data-testid="prefill-field"][data-name="' + name + '"]');
    await setVal(field('e_mail').querySelector('[data-testid="prefill-input"]'), 'karen@example.dk');
  `);
  await click('[data-testid="prefill-create"]');
  await session.find('[data-testid="prefill-url"]', { timeout: 20_000 });
  assert.match(await text('[data-testid="prefill-result"]'), /Anmodningen er klar\./);
  assert.equal((await text('[data-testid="prefill-copy"]')).trim(), 'Kopiér');
  await click('[data-testid="prefill-done"]');

  const row = await session.find('[data-testid="request-row"]');
  const requestId = await row.attr('data-request-id');
  const rowText = await row.text();
  assert.match(rowText, /Karen Blixen, onboarding/);
  assert.match(rowText, /Venter på klienten/);
  assert.match(rowText, /3 forudfyldte værdier/);
  assert.match(rowText, DANISH_DATE_TIME, rowText);

  const res = await fetch(`${apiHost}/_sim/requests/${encodeURIComponent(requestId)}/submit`, { method: 'POST' });
  assert.equal(res.status, 200, await res.text());
  await click('[data-testid="sync-request-answers"]');
  await waitText('[data-testid="request-sync-note"]', /1 ny besvarelse hentet\./, 'the submission synced');
  assert.match(await text('[data-testid="request-answered"]'), /Indsendt/);
  await click('[data-testid="show-request-answers"]');
  const answers = await waitText('[data-testid="request-answers"]', /Karen Blixen/, 'the answers');
  // The choice is shown by its label ("Virksomhed"), not its stored value ("virksomhed").
  assert.match(answers, /Kundetype\s*Virksomhed/, answers);
  assert.doesNotMatch(answers, /Kundetype\s*virksomhed/);
  assert.match(answers, /karen@example\.dk/);
  await app.shot('requests-da.png');
});
