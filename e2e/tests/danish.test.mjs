// The app in Danish, as a Danish practice gets it: the window started under the da_DK.UTF-8
// locale (`startApp({ language: 'da' })`: WebKitGTK's navigator.language is the process locale)
// on a fresh data dir. The welcome, one whole
// journey on Submissions, Casefiles (create, the send confirmation, a send Penneo refuses and
// its retry) and Settings, each
// asserting the Danish words and the Danish date format, and the axe scan of every page in the
// light and the dark theme. PENNEO_DESK_DOC_SHOTS=1 refreshes the Danish pictures in
// docs/screenshots (da-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startApp } from '../lib/harness.mjs';
import { invoke } from '../lib/invoke.mjs';
import { injectFault } from '../lib/sim.mjs';
import { makePdf } from '../lib/pdf.mjs';
import { chooseTheme, scanEveryPage } from '../lib/scan.mjs';
import { Keys } from '../lib/webdriver.mjs';
import { atWindowSize, selectProblems } from '../lib/layout.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-danish-'));
writeFileSync(path.join(dir, 'opdragsbekraeftelse-2026.pdf'), makePdf('Opdragsbekræftelse 2026'));

const DOCS = process.env.PENNEO_DESK_DOC_SHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : null;
/** A picture in e2e/artifacts, and in docs/screenshots as `da-<name>.png` when asked for. */
async function shot(name) {
  const file = await app.shot(`${name}.png`);
  if (DOCS) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, path.join(DOCS, `da-${name}.png`));
  }
}

/** Danish dates and times as the app writes them: `26.10.2026` and `26.10.2026 02.24`. */
const DA_DATE = /^\d{2}\.\d{2}\.\d{4}$/;
const DA_DATE_TIME = /^\d{2}\.\d{2}\.\d{4} \d{2}\.\d{2}$/;

let app;
before(async () => {
  app = await startApp({ name: 'danish', language: 'da', welcome: 'keep', env: { PENNEO_DESK_DIALOG_DIR: dir } });
});
after(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const text = async (testid) => (await (await app.session.find(`[data-testid="${testid}"]`)).text()).trim();
const go = (hash) => app.session.execute(`location.hash = ${JSON.stringify(hash)}`);
async function setSelect(testid, value) {
  await app.session.execute(
    `const s = document.querySelector('[data-testid="${testid}"]');
     s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));`,
    [value],
  );
}
async function fill(el, value) {
  await el.clear();
  await el.type(value);
}

test('a Danish locale reaches the window: navigator.language is Danish, the page is da-DK, and the welcome is in Danish', async () => {
  const { session } = app;
  const nav = await session.execute('return [navigator.language, navigator.languages]');
  assert.match(nav[0], /^da\b/i, `navigator.language under da_DK.UTF-8: ${JSON.stringify(nav)}`);
  // The document's language is the Intl locale: WebKit lays out date fields in its order.
  assert.equal(await session.execute('return document.documentElement.lang'), 'da-DK');

  assert.equal(app.welcomed, 'open');
  const welcome = await session.find('[data-testid="welcome"]');
  assert.match(await welcome.text(), /Velkommen til Penneo Desk/);
  assert.match(await text('welcome-safe'), /Intet herfra når ud til rigtige klienter/);
  assert.equal(await text('welcome-explore'), 'Udforsk demoen');
  await session.waitFor(async () => (await invoke(session, 'account_status')).signedIn, 'the demo signed in', { timeout: 60_000 });
  // The picture over the page used most: the casefiles.
  await go('#/casefiles');
  await session.find('[data-testid="casefile-row"]', { timeout: 60_000 });
  await shot('welcome');
  await (await session.find('[data-testid="welcome-connect"]')).click();
  const email = await session.execute('return document.querySelector("[data-testid=welcome-email]").value');
  assert.match(email, /^Emne: OAuth-klient til Penneo Desk/);
  assert.ok(email.includes('Redirect-URI, præcis som skrevet: http://127.0.0.1:8765/callback'), email);
  await (await session.find('[data-testid="welcome-back"]')).click();
  await (await session.find('[data-testid="welcome"] [data-testid="welcome-explore"]')).click();
  await session.waitFor(
    async () => (await session.execute('return document.querySelector("[data-welcome]").getAttribute("data-welcome")')) === 'closed',
    'the welcome to close',
  );
});

test('Submissions in Danish: the table, a filter, one submission reviewed with a note, the search', async () => {
  const { session } = app;
  await (await session.find('[data-testid="nav-submissions"]')).click();
  await session.find('[data-testid="page-submissions"]');
  assert.equal(await text('nav-submissions'), 'Besvarelser');
  await session.waitFor(
    async () => (await (await session.find('[data-testid="last-synced"]')).attr('data-synced-at')) || false,
    'the first sync to finish',
    { timeout: 90_000 },
  );
  const formId = await session.execute(
    `const o = [...document.querySelectorAll('[data-testid="form-picker"] option')].find((o) => o.textContent.startsWith('KYC – individual'));
     return o ? o.value : null;`,
  );
  assert.ok(formId, 'the KYC form in the picker');
  await setSelect('form-picker', formId);
  const rows = async () => Number(await (await session.find('[data-testid="submissions-table"]')).attr('data-row-count'));
  const n = await session.waitFor(async () => (await rows()) >= 10 && (await rows()), 'the KYC submissions');
  assert.equal(await text('submissions-count'), `${n} besvarelser`);
  assert.equal(await text('sort-completedAt'), 'Udfyldt');
  assert.equal(await text('sort-respondent'), 'Besvarer');
  assert.equal(await text('sort-reviewed'), 'Gennemgået');
  const firstWhen = (await (await session.find('[data-testid="submission-open"]')).text()).trim();
  assert.match(firstWhen, DA_DATE_TIME);
  assert.match(await text('export-csv'), /^Eksportér CSV$/);
  // The CSV separator follows the language: semicolon and decimal comma for a Danish Excel.
  await session.waitFor(
    async () => (await session.execute('return document.querySelector(\'[data-testid="csv-delimiter"]\').value')) === 'semicolon',
    'the semicolon for a Danish Excel',
  );
  // The choice shows its Danish options whole (no text under the arrow), in both window sizes.
  assert.deepEqual(await selectProblems(session, '[data-testid="csv-delimiter"]'), [], 'at 1280×800');
  await atWindowSize(session, 1366, 768, async () => {
    assert.deepEqual(await selectProblems(session, '[data-testid="csv-delimiter"]'), [], 'at 1366×768');
    await app.shot('submissions-table-1366x768.png');
  });
  await shot('submissions-table');

  // A filter: reviewed only (none yet), then an exact match without a value, which says what is missing.
  const reviewedOptions = await session.execute(
    `return [...document.querySelectorAll('[data-testid="filter-reviewed"] option')].map((o) => o.textContent.trim())`,
  );
  assert.deepEqual(reviewedOptions, ['Alle', 'Gennemgået', 'Ikke gennemgået']);
  await setSelect('filter-reviewed', 'yes');
  await session.waitFor(async () => (await text('submissions-none')) === 'Ingen besvarelser passer til disse filtre.', 'no reviewed submission yet');
  await (await session.find('[data-testid="add-field-filter"]')).click();
  await setSelect('field-filter-op', 'equals');
  assert.equal(await text('field-filter-problem'), 'Angiv den værdi, der skal matche.');
  await (await session.find('[data-testid="clear-filters"]')).click();
  await session.waitFor(async () => (await rows()) === n, 'every submission again');

  // One submission: reviewed, a note, both saved with Danish receipts.
  await (await session.find('[data-testid="submission-open"]')).click();
  await session.find('[data-testid="submission-detail"]');
  assert.equal(await text('back-to-submissions'), '← Alle besvarelser');
  const head = await session.execute('return document.querySelector(\'[data-testid="submission-detail"] .head .hint\').textContent.trim()');
  assert.match(head, /^Udfyldt \d{2}\.\d{2}\.\d{4} \d{2}\.\d{2} · .*synkroniseret (\d{2}\.\d{2}\.\d{4} \d{2}\.\d{2})$/);
  await (await session.find('[data-testid="review-reviewed"]')).click();
  await session.waitFor(async () => (await text('review-status')) === 'Markeret som gennemgået.', 'reviewed saved');
  await (await session.find('[data-testid="review-note"]')).type('Ring til klienten om pas');
  await (await session.find('[data-testid="review-save-note"]')).click();
  await session.waitFor(async () => (await text('review-status')) === 'Noten er gemt.', 'the note saved');
  await (await session.find('[data-testid="back-to-submissions"]')).click();
  await session.find('[data-testid="submission-row"][data-reviewed="true"]');

  // The search over every answer, its counts in Danish.
  const box = await session.find('[data-testid="answers-search"]');
  await box.type('Jensen');
  await session.waitFor(async () => (await session.findAll('[data-testid="search-group"]')).length >= 1, 'hits');
  assert.match(await text('search-group-count'), /^\d+\+? fund$/);
  await box.clear();
  await session.keys(Keys.ESCAPE);
});

test('Casefiles in Danish: the list, a new casefile, the send confirmation naming account, signer and step, and the send', async () => {
  const { session } = app;
  await session.chord(Keys.CONTROL, '2');
  await session.find('[data-testid="page-casefiles"]');
  assert.equal(await text('nav-casefiles'), 'Sager');
  await session.find('[data-testid="casefile-row"]', { timeout: 60_000 });
  const dates = await session.execute(
    `return [...document.querySelectorAll('[data-testid="casefile-row"] td')].map((c) => c.textContent.trim()).filter((t) => /\\d{4}/.test(t) && /\\d[./-]\\d/.test(t))`,
  );
  assert.ok(dates.length > 0 && dates.every((d) => DA_DATE.test(d)), `Danish dates in the list: ${dates.slice(0, 4).join(', ')}`);
  await shot('casefiles-list');

  await session.chord(Keys.CONTROL, 'n');
  await session.find('[data-testid="casefile-editor"]');
  await fill(await session.find('[data-testid="casefile-title"]'), 'Opdragsbekræftelse Nordlys ApS 2026');
  await (await session.find('[data-testid="add-signer"]')).click();
  await session.find('[data-testid="signer-card"]');
  await fill(await session.find('[data-testid="signer-name"]'), 'Ida Marie Holm');
  await fill(await session.find('[data-testid="signer-email"]'), 'ida.holm@nordlys.example');
  await fill(await session.find('[data-testid="signer-role"]'), 'Klient');
  await (await session.find('[data-testid="browse-files"]')).click();
  await session.waitFor(async () => (await session.findAll('[data-testid="document-row"]')).length === 1, 'the document');
  await session.find('[data-testid="casefile-ready"]', { timeout: 20_000 });

  await (await session.find('[data-testid="send-casefile"]')).click();
  const confirmation = await session.find('dialog[open][data-testid="send-confirmation"]');
  assert.match(await confirmation.text(), /Send denne sag\?/);
  assert.equal(await text('confirm-environment'), 'Demo');
  assert.match(await text('confirm-account'), /Fra:\s*Demo Practice/);
  const signer = (await text('confirm-signer')).replace(/\s+/g, ' ');
  assert.ok(signer.includes('Ida Marie Holm') && signer.includes('ida.holm@nordlys.example'), signer);
  assert.ok(signer.includes('Klient · Underskriver i det eneste trin'), signer);
  assert.match(await text('confirm-document'), /underskrives af Klient/);
  assert.equal(await text('confirm-send'), 'Send til underskrift');
  assert.equal(await text('confirm-cancel'), 'Annuller');
  await shot('send-confirmation');
  // Penneo refuses the first upload: why the send stopped is in Danish, Penneo's own words quoted.
  const { apiHost } = await invoke(session, 'account_status');
  await injectFault(apiHost, { pathPrefix: '/send/api/v1/casefiles', method: 'POST', status: 400, count: 1 });
  await (await session.find('[data-testid="confirm-send"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="send-progress"]')).attr('data-phase')) === 'failed', 'the send to stop', {
    timeout: 30_000,
  });
  assert.equal(await text('send-message'), 'Penneo godtog ikke denne sag. Penneo skrev: »Injected fault (400)«');
  await app.shot('send-stopped.png');
  await (await session.find('[data-testid="retry-send"]')).click();
  const id = Number(await (await session.find('[data-testid="created-casefile-id"]', { timeout: 60_000 })).text());
  assert.ok(id > 0, 'the casefile was created');
});

test('Settings in Danish: accounts, adding one (its problems in Danish), diagnostics, the shortcut sheet, and the language picker', async () => {
  const { session } = app;
  await session.chord(Keys.CONTROL, ',');
  await session.find('[data-testid="page-settings"]');
  assert.match(await text('settings-accounts'), /^Konti/);
  assert.equal(await text('account-active'), 'Aktiv');
  assert.match(await text('settings-appearance'), /^Udseende/);

  await (await session.find('[data-testid="add-account"]')).click();
  const form = await session.find('[data-testid="add-account-form"]');
  assert.match(await form.text(), /Tilføj en Penneo-konto/);
  await (await session.find('[data-testid="add-account-submit"]')).click();
  assert.equal(await text('field-error-clientId'), 'Angiv OAuth-klientens id (i Penneo: Konfigurér → OAuth Clients).');
  await fill(await session.find('[data-testid="account-redirect-port"]'), '80');
  await session.waitFor(async () => (await text('field-error-redirectPort')).startsWith('Brug en port fra 1024 til 65535'), 'the port problem');
  await (await session.find('[data-testid="add-account-close"]')).click();

  await (await session.find('[data-testid="recorder-start"]')).click();
  await session.waitFor(async () => /^Optager: \d+ udveksling/.test(await text('recorder-status')), 'recording');
  await (await session.find('[data-testid="recorder-stop"]')).click();
  await session.waitFor(async () => /^(Stoppet med \d+ udveksling|Optager ikke)/.test(await text('recorder-status')), 'stopped');

  await session.chord(Keys.CONTROL, '/');
  const sheet = await session.find('dialog[open][data-testid="shortcut-sheet"]');
  assert.match(await sheet.text(), /Tastaturgenveje[\s\S]*Søg på denne side[\s\S]*Ny sag/);
  await session.keys(Keys.ESCAPE);
  await session.waitFor(async () => session.execute('return document.querySelector("dialog[open]") === null'), 'the sheet to close');

  // English on demand, and back to the computer's language (Danish here).
  await setSelect('language-select', 'en');
  await session.waitFor(async () => /^Accounts/.test(await text('settings-accounts')), 'English');
  assert.equal(await session.execute('return document.documentElement.lang'), 'en-GB');
  await setSelect('language-select', 'system');
  await session.waitFor(async () => /^Konti/.test(await text('settings-accounts')), 'Danish again');
});

test('every page passes the axe-core scan in Danish, in the light and the dark theme', async () => {
  await chooseTheme(app, 'light');
  const light = await scanEveryPage(app, 'light');
  await chooseTheme(app, 'dark');
  const dark = await scanEveryPage(app, 'dark');
  await go('#/submissions');
  await app.session.find('[data-testid="submission-row"][data-reviewed="true"]', { timeout: 30_000 });
  await shot('dark-submissions');
  // Back to following the computer.
  await go('#/settings');
  await (await app.session.find('[data-testid="theme-system"]')).click();
  assert.deepEqual([...light, ...dark], [], [...light, ...dark].join('\n\n'));
});
