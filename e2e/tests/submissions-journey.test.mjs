// The Submissions page on the demo workspace, end to end through the real commands: the demo's
// submissions sync into the local database, a value known to be in exactly one submission (its
// CPR number, read from the table's extra column) is found by the search over all answers, the
// submission opens laid out like its form, is marked reviewed with a note, two submissions are
// compared, the view is exported to CSV through the save dialog, and a failed sync leaves the
// cached rows in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearFaults, injectFault } from '../lib/sim.mjs';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { useApp } from '../lib/harness.mjs';
import { atWindowSize, selectProblems } from '../lib/layout.mjs';
import { Keys } from '../lib/webdriver.mjs';

const dialogDir = mkdtempSync(path.join(tmpdir(), 'penneo-desk-submissions-dialog-'));
after(() => rmSync(dialogDir, { recursive: true, force: true }));

const app = useApp({ name: 'submissions', env: { PENNEO_DESK_DIALOG_DIR: dialogDir } });

const FORM = 'KYC – individual client';
const known = {};

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text) {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records = [];
  let rec = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { rec.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      rec.push(field); records.push(rec); rec = []; field = '';
    } else field += ch;
  }
  if (field !== '' || rec.length > 0) { rec.push(field); records.push(rec); }
  return records;
}

async function setSelect(testid, value) {
  await app.session.execute(
    `const s = document.querySelector('[data-testid="${testid}"]');
     s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));`,
    [value],
  );
}

const rowCount = async () => Number(await (await app.session.find('[data-testid="submissions-table"]')).attr('data-row-count'));
const tableIds = () =>
  app.session.execute(`return [...document.querySelectorAll('[data-testid="submission-row"]')].map((r) => r.dataset.id)`);

async function simBase() {
  const status = await app.session.executeAsync(
    "const done=arguments[0]; window.__TAURI_INTERNALS__.invoke('account_status').then(done, e => done({error:String(e)}))",
  );
  assert.ok(status.apiHost, `account status names the demo's address: ${JSON.stringify(status)}`);
  return status.apiHost;
}

test('the demo submissions sync and the form table lists them', async () => {
  const { session } = app;
  await (await session.find('[data-testid="nav-submissions"]')).click();
  await session.find('[data-testid="page-submissions"]');
  // The background sync on open: "Last synced" gets a time once it has finished.
  await session.waitFor(
    async () => (await (await session.find('[data-testid="last-synced"]')).attr('data-synced-at')) || false,
    'the first sync to finish',
    { timeout: 90_000 },
  );
  const formId = await session.execute(
    `const o = [...document.querySelectorAll('[data-testid="form-picker"] option')].find((o) => o.textContent.startsWith(arguments[0]));
     return o ? o.value : null;`,
    [FORM],
  );
  assert.ok(formId, `the form picker offers ${FORM}`);
  known.formId = formId;
  await setSelect('form-picker', formId);
  await session.waitFor(async () => (await session.execute('return location.hash')) === `#/submissions/${encodeURIComponent(formId)}`, 'the form route');
  const n = await session.waitFor(async () => (await rowCount()) >= 10 && (await rowCount()), 'the submissions of the KYC form');
  // The form's count in the picker is the same number the table shows.
  const label = await session.execute(`return document.querySelector('[data-testid="form-picker"]').selectedOptions[0].textContent`);
  assert.match(label, new RegExp(`\\(${n}\\)$`));

  // An extra column from the form's fields: the CPR number.
  await (await session.find('[data-testid="column-picker"] summary')).click();
  await (await session.find('[data-testid="column-option"][data-field="cpr"]')).click();
  await (await session.find('[data-testid="column-picker"] summary')).click();
  const first = await session.waitFor(
    () =>
      session.execute(`const r = document.querySelector('[data-testid="submission-row"]');
        if (!r) return null; const cells = r.querySelectorAll('td'); const cpr = cells[cells.length - 1].textContent.trim();
        return /\\d{6}-\\d{4}/.test(cpr) ? { id: r.dataset.id, cpr, who: cells[2].textContent.trim() } : null;`),
    'the CPR column filled in',
  );
  Object.assign(known, first);

  // Sorting by respondent puts the names in order.
  await (await session.find('[data-testid="sort-respondent"]')).click();
  await session.waitFor(async () => {
    const names = await session.execute(
      `return [...document.querySelectorAll('[data-testid="submission-row"]')].map((r) => r.querySelectorAll('td')[2].textContent.trim())`,
    );
    const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
    return names.length === n && names.every((x, i) => x.toLowerCase() === sorted[i].toLowerCase());
  }, 'rows sorted by respondent');
  // Back to newest first.
  await (await session.find('[data-testid="sort-completedAt"]')).click();
  await session.waitFor(
    async () => (await session.execute(`return document.querySelector('[data-testid="sort-completedAt"]').closest('th').getAttribute('aria-sort')`)) === 'descending',
    'newest first',
  );
});

test('the search over all answers finds the one submission with that CPR number, highlighted', async () => {
  const { session } = app;
  const box = await session.find('[data-testid="answers-search"]');
  // A common surname first: hits in several forms, each group with its count.
  await box.type('Jensen');
  // Each keystroke searches; the answer to "J" or "Jens" may be on screen first (a slow machine
  // shows it longer), so wait for the answer to the whole word.
  let surnames = [];
  await session.waitFor(async () => {
    if ((await session.findAll('[data-testid="search-group"]')).length < 2) return false;
    surnames = await session.execute(`return [...document.querySelectorAll('[data-testid="search-hit"] mark')].map((m) => m.textContent)`);
    return surnames.length >= 2 && surnames.every((m) => /^jensen$/i.test(m));
  }, 'hits for "Jensen" grouped by form, each marked').catch((e) => {
    throw new Error(`${e.message}; marked: ${surnames}`);
  });
  await app.shot('search.png');
  await session.execute(
    `const i = document.querySelector('[data-testid="answers-search"]'); i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));`,
  );
  await box.type(known.cpr);
  const hits = await session.waitFor(async () => {
    const h = await session.findAll('[data-testid="search-hit"]');
    return h.length > 0 && h;
  }, 'search hits');
  assert.equal(hits.length, 1, 'a CPR number is in one answer of one submission');
  const groups = await session.findAll('[data-testid="search-group"]');
  assert.equal(groups.length, 1);
  assert.equal(await groups[0].attr('data-form-id'), known.formId);
  assert.equal(await hits[0].attr('data-submission-id'), known.id);
  const marked = await session.execute(`return [...document.querySelectorAll('[data-testid="search-hit"] mark')].map((m) => m.textContent).join(' ')`);
  assert.ok(marked.replace(/\s/g, '').length > 0, 'the matching text is marked');
  assert.ok(marked.includes(known.cpr.slice(0, 6)), `marked "${marked}" is part of ${known.cpr}`);

  await hits[0].click();
  await session.find(`[data-testid="submission-detail"][data-submission-id="${known.id}"]`);
});

test('the submission opens laid out like its form, and is marked reviewed with a note', async () => {
  const { session } = app;
  await session.find('[data-testid="answers-view"]', { timeout: 15_000 });
  const version = await (await session.find('[data-testid="answers-version"]')).text();
  assert.match(version, /^Answered on version \d+$/);
  const sections = await session.execute(`return [...document.querySelectorAll('[data-testid="submission-detail"] > .layout [data-testid="answers-section"]')].map((s) => s.dataset.section)`);
  assert.equal(sections[0], 'personal');
  assert.ok(sections.includes('address'));
  assert.ok(!sections.includes('declaration'), 'a section of text blocks only has nothing to show');
  const cpr = await session.execute(`return document.querySelector('.layout dd[data-field="cpr"]').textContent.trim()`);
  assert.equal(cpr, known.cpr);
  assert.equal(await (await session.find('[data-testid="submission-respondent"]')).text(), known.who);
  // The casefile the submission created, with a link to the Casefiles page.
  const cfHref = await session.execute(`return document.querySelector('[data-testid="open-casefile-link"]').getAttribute('href')`);
  assert.match(cfHref, /^#\/casefiles\/\d+$/);
  // Its files and the answers Penneo keeps on the casefile, fetched from Penneo.
  await session.waitFor(async () => (await session.findAll('[data-testid="casefile-file"]')).length > 0, 'the casefile files', { timeout: 20_000 });
  // The form's PDF kept with the casefile, saved through the folder dialog: a whole PDF, named
  // after the file, and nothing half-written beside it.
  await (await session.find('[data-testid="casefile-file"] [data-testid="casefile-file-download"]')).click();
  const savedPath = await session.waitFor(
    () => session.execute(`const s = document.querySelector('[data-testid="casefile-files-download-status"]');
      return s?.dataset.phase === 'failed' ? 'failed: ' + s.textContent : s?.dataset.phase === 'done' ? s.querySelector('[data-testid="saved-file"]').dataset.path : null`),
    'the casefile file saved',
    { timeout: 30_000 },
  );
  assert.equal(path.dirname(savedPath), dialogDir, savedPath);
  assert.ok(readFileSync(savedPath).subarray(0, 5).equals(Buffer.from('%PDF-')), 'a PDF');
  assert.deepEqual(readdirSync(dialogDir), [path.basename(savedPath)]);
  rmSync(savedPath);
  await (await session.find('[data-testid="casefile-answers"] summary')).click();
  const cfCpr = await session.waitFor(
    () => session.execute(`return document.querySelector('[data-testid="casefile-answers"] dd[data-field="cpr"]')?.textContent.trim() ?? null`),
    'the casefile answers',
    { timeout: 20_000 },
  );
  assert.equal(cfCpr, known.cpr);
  await (await session.find('[data-testid="casefile-answers"] summary')).click();

  await (await session.find('[data-testid="review-reviewed"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="review-status"]')).text()) === 'Marked reviewed.', 'reviewed saved');
  const note = await session.find('[data-testid="review-note"]');
  await note.type('CPR checked against the passport.');
  await (await session.find('[data-testid="review-save-note"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="review-status"]')).text()) === 'Note saved.', 'note saved');
  await session.execute(`document.querySelector('main').scrollTop = 0`);
  await app.shot('answers.png');
  // At the app's smallest window the review panel stays beside the answers.
  const rect = await session.cmd('GET', '/window/rect');
  await session.cmd('POST', '/window/rect', { width: 1024, height: 700 });
  await session.waitFor(async () => (await session.execute('return window.innerWidth')) <= 1024, 'the small window');
  const beside = await session.execute(
    `const a = document.querySelector('.layout [data-testid="answers-view"]').getBoundingClientRect();
     const r = document.querySelector('[data-testid="review-panel"]').getBoundingClientRect();
     return r.left >= a.right && r.top < a.bottom && document.documentElement.scrollWidth <= window.innerWidth;`,
  );
  assert.ok(beside, 'review panel beside the answers, nothing wider than the window');
  await app.shot('answers-1024.png');
  await session.cmd('POST', '/window/rect', { width: rect.width, height: rect.height });

  // Next / previous walk the form's submissions in completion order.
  const target = await session.execute(
    `const a = (t) => document.querySelector('[data-testid="' + t + '"]')?.getAttribute('href');
     return a('submission-next') ?? a('submission-previous');`,
  );
  assert.ok(target, 'a neighbour to go to');
  await session.execute(`location.hash = arguments[0]`, [target]);
  await session.waitFor(
    async () => (await (await session.find('[data-testid="submission-detail"]')).attr('data-submission-id')) !== known.id,
    'the neighbouring submission',
  );
  const reviewedThere = await session.execute(`return document.querySelector('[data-testid="review-reviewed"]')?.checked ?? null`);
  await session.waitFor(async () => (await session.execute(`return !!document.querySelector('[data-testid="answers-view"]')`)), 'its answers');
  assert.notEqual(reviewedThere, true, 'the neighbour is not reviewed');
  // Flag this one for follow-up.
  known.flaggedId = await (await session.find('[data-testid="submission-detail"]')).attr('data-submission-id');
  await (await session.find('[data-testid="review-flagged"]')).click();
  await session.waitFor(async () => (await (await session.find('[data-testid="review-status"]')).text()) === 'Flagged.', 'flag saved');
});

test('the review shows in the table and its filter', async () => {
  const { session } = app;
  await (await session.find('[data-testid="back-to-submissions"]')).click();
  await session.waitFor(
    async () => (await session.execute(`return document.querySelector('[data-testid="submission-row"][data-id="${known.id}"]')?.dataset.reviewed`)) === 'true',
    'the row marked reviewed',
  );
  const all = await rowCount();
  await setSelect('filter-reviewed', 'yes');
  await session.waitFor(async () => (await rowCount()) === 1, 'only the reviewed one');
  assert.deepEqual(await tableIds(), [known.id]);
  await setSelect('filter-reviewed', 'no');
  await session.waitFor(async () => (await rowCount()) === all - 1, 'the others');
  await setSelect('filter-reviewed', '');
  await session.waitFor(async () => (await rowCount()) === all, 'all again');
  await setSelect('filter-flagged', 'yes');
  await session.waitFor(async () => (await rowCount()) === 1, 'only the flagged one');
  assert.deepEqual(await tableIds(), [known.flaggedId]);
  await setSelect('filter-flagged', '');
  await session.waitFor(async () => (await rowCount()) === all, 'all again');

  // A date range of one day: the day the reviewed submission was completed (in this machine's
  // time zone, as the date inputs mean it).
  const day = await session.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke('get_submission', { submissionId: arguments[0] }).then((d) => {
       const t = new Date(d.row.completedAt);
       const pad = (n) => String(n).padStart(2, '0');
       done(t.getFullYear() + '-' + pad(t.getMonth() + 1) + '-' + pad(t.getDate()));
     }, (e) => done(null));`,
    [known.id],
  );
  assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
  // The date fields are typed as a person types them: a click on the first part, then the
  // digits in the English UI's order, day first (dd/mm/yyyy like every date the app writes),
  // though this window's process runs under en_US, whose native date input put the month first.
  const dmy = (iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const setDay = async (testid, value) => {
    await (await session.find(`[data-testid="${testid}"] [role="spinbutton"]`)).click();
    await session.keys(dmy(value).replaceAll('/', ''));
    await session.waitFor(async () => (await (await session.find(`[data-testid="${testid}"]`)).attr('data-value')) === value, `${testid} = ${value}`);
  };
  await setDay('filter-from', day);
  await setDay('filter-to', day);
  const fromField = await session.find('[data-testid="filter-from"]');
  assert.equal(await fromField.text(), dmy(day));
  assert.deepEqual(
    await session.execute(`return [...document.querySelectorAll('[data-testid="filter-from"] [role="spinbutton"]')].map((s) => s.dataset.segment)`),
    ['day', 'month', 'year'],
  );
  await session.waitFor(async () => (await rowCount()) < all && (await tableIds()).includes(known.id), 'only that day');
  const dates = await session.execute(
    `return [...document.querySelectorAll('[data-testid="submission-open"]')].map((b) => b.textContent.trim())`,
  );
  const dayLabel = (t) => t.split(',').slice(0, 2).join(',');
  assert.ok(dates.every((d) => dayLabel(d) === dayLabel(dates[0])), `all on one day: ${dates}`);
  // An end before the start is not applied, and says so beside the dates.
  const next = new Date(Date.parse(`${day}T12:00:00`) + 86_400_000);
  await setDay('filter-from', `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}-${String(next.getDate()).padStart(2, '0')}`);
  assert.equal(await (await session.find('[data-testid="filter-range-problem"]')).text(), 'The end date is before the start date.');
  assert.ok((await tableIds()).includes(known.id), 'the previous range still applies');
  await app.shot('date-filters.png');
  // The calendar beside a field opens on the field's month with its day focused, in the
  // window's CSP (its code and its styles are chunks loaded now); Esc closes it.
  await (await session.find('[data-testid="filter-to-calendar"]')).click();
  const calendar = await session.find('[data-testid="date-calendar"] [role="grid"]');
  assert.ok(await calendar.displayed());
  const focused = () => session.execute('return document.activeElement && document.activeElement.outerHTML.slice(0, 200)');
  await session.waitFor(async () => (await focused()).includes(`data-value="${day}"`), `the field's day has the focus`).catch(async (e) => {
    throw new Error(`${e.message}: ${await focused()}`);
  });
  await app.shot('date-calendar.png');
  await session.keys(Keys.ESCAPE);
  await session.waitFor(async () => (await session.findAll('[data-testid="date-calendar"]')).length === 0, 'the calendar closed');
  assert.equal(await session.activeTestId(), 'filter-to-calendar');
  // Picked with the keyboard: → to the next day, Enter. The range is whole again.
  await (await session.find('[data-testid="filter-to-calendar"]')).click();
  await session.waitFor(async () => (await focused()).includes(`data-value="${day}"`), 'the day has the focus again');
  await session.keys(`${Keys.RIGHT}${Keys.ENTER}`);
  const nextDay = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}-${String(next.getDate()).padStart(2, '0')}`;
  await session.waitFor(async () => (await (await session.find('[data-testid="filter-to"]')).attr('data-value')) === nextDay, 'the picked day');
  await session.waitFor(async () => (await session.findAll('[data-testid="filter-range-problem"]')).length === 0, 'the range is whole');
  assert.equal(await session.activeTestId(), 'filter-to-calendar');
  await (await session.find('[data-testid="clear-filters"]')).click();
  await session.waitFor(async () => (await rowCount()) === all, 'all again');
  assert.equal(await (await session.find('[data-testid="filter-from"]')).attr('data-value'), '');

  // A field condition: the CPR number of the reviewed submission, matched exactly.
  await (await session.find('[data-testid="add-field-filter"]')).click();
  await setSelect('field-filter-field', 'cpr');
  await setSelect('field-filter-op', 'equals');
  // An exact match with no value yet is not applied; the message says what is missing.
  const problem = await session.find('[data-testid="field-filter-problem"]');
  assert.equal(await problem.text(), 'Enter the value to match.');
  assert.equal(await rowCount(), all);
  await (await session.find('[data-testid="field-filter-value"]')).type(known.cpr);
  await session.waitFor(async () => (await rowCount()) === 1, 'only the submission with that CPR number');
  assert.deepEqual(await tableIds(), [known.id]);
  await (await session.find('[data-testid="clear-filters"]')).click();
  await session.waitFor(async () => (await rowCount()) === all, 'all again');
});

test('two submissions compare side by side with the differences marked', async () => {
  const { session } = app;
  const picks = await session.findAll('[data-testid="submission-pick"]');
  await picks[0].click();
  await picks[1].click();
  await (await session.find('[data-testid="compare-selected"]')).click();
  await session.find('[data-testid="compare-view"]', { timeout: 15_000 });
  const statuses = await session.execute(`return [...document.querySelectorAll('[data-testid="compare-row"]')].map((r) => r.dataset.status)`);
  assert.ok(statuses.length >= 8, `rows compared: ${statuses.length}`);
  assert.ok(statuses.includes('changed'), 'two people differ in their names and numbers');
  const nameRow = await session.execute(`return document.querySelector('[data-testid="compare-row"][data-key="full_name"]')?.dataset.status`);
  assert.equal(nameRow, 'changed');
  await app.shot('compare.png');
  await (await session.find('[data-testid="compare-pane"] [data-testid="back-to-submissions"]')).click();
  await session.find('[data-testid="form-submissions"]');
});

test('the CSV separator choice beside Export CSV shows whole, at 1280×800 and at 1366×768', async () => {
  const { session } = app;
  await session.find('[data-testid="csv-delimiter"]');
  assert.deepEqual(await selectProblems(session, '[data-testid="csv-delimiter"]'), [], 'at 1280×800');
  await atWindowSize(session, 1366, 768, async () => {
    assert.deepEqual(await selectProblems(session, '[data-testid="csv-delimiter"]'), [], 'at 1366×768');
    await app.shot('csv-choice-1366x768.png');
  });
});

test('the view exports to CSV through the save dialog, one row per submission', async () => {
  const { session } = app;
  const ids = await tableIds();
  const n = await rowCount();
  assert.equal(ids.length, n, 'the demo form fits in the rendered window');
  await (await session.find('[data-testid="export-csv"]')).click();
  const result = await session.find('[data-testid="export-result"]', { timeout: 20_000 });
  const written = await result.attr('data-path');
  assert.equal(path.dirname(written), dialogDir);
  assert.match(path.basename(written), /^kyc-individual-client-submissions-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual(readdirSync(dialogDir), [path.basename(written)]);
  const records = parseCsv(readFileSync(written, 'utf8'));
  const [header, ...rows] = records;
  assert.deepEqual(header.slice(0, 10), [
    'submissionId', 'completedAt', 'respondentName', 'respondentEmail', 'version',
    'casefileId', 'casefileStatus', 'reviewed', 'flagged', 'note',
  ]);
  for (const field of ['full_name', 'email', 'cpr', 'street', 'city', 'is_pep']) assert.ok(header.includes(field), `column ${field}`);
  assert.equal(rows.length, n, 'one row per submission in the table');
  assert.deepEqual(rows.map((r) => r[0]), ids, 'in the order of the table');
  const mine = rows.find((r) => r[0] === known.id);
  assert.equal(mine[header.indexOf('cpr')], known.cpr);
  assert.equal(mine[header.indexOf('reviewed')], 'true');
  assert.equal(mine[header.indexOf('note')], 'CPR checked against the passport.');
  assert.equal(rows.find((r) => r[0] === known.flaggedId)[header.indexOf('flagged')], 'true');
  assert.equal(Number(await result.attr('data-rows')), n);

  // The same view as JSON: one object per submission, the answers under their field names.
  await (await session.find('[data-testid="export-json"]')).click();
  await session.waitFor(
    async () => /\.json$/.test((await (await session.find('[data-testid="export-result"]')).attr('data-path')) ?? ''),
    'the JSON export',
  );
  const jsonPath = await (await session.find('[data-testid="export-result"]')).attr('data-path');
  const items = JSON.parse(readFileSync(jsonPath, 'utf8'));
  assert.ok(Array.isArray(items));
  assert.deepEqual(items.map((x) => x.submissionId), ids);
  const mineJson = items.find((x) => x.submissionId === known.id);
  assert.equal(mineJson.reviewed, 'true');
  assert.equal(JSON.stringify(mineJson).includes(known.cpr), true, 'the answers are in the JSON');

  // A second extra column, for the picture of the table with its review marks.
  await (await session.find('[data-testid="column-picker"] summary')).click();
  await (await session.find('[data-testid="column-option"][data-field="city"]')).click();
  await (await session.find('[data-testid="column-picker"] summary')).click();
  await session.waitFor(
    () =>
      session.execute(`return document.querySelectorAll('[data-testid="sort-field"]').length === 2 &&
        [...document.querySelectorAll('[data-testid="submission-row"]')].every((r) => r.lastElementChild.textContent.trim() !== '')`),
    'the city column filled in',
  );
  await session.execute(
    `const i = document.querySelector('[data-testid="answers-search"]'); i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }));`,
  );
  for (const p of await session.findAll('[data-testid="submission-pick"]:checked')) await p.click();
  await app.shot('table.png');
});

test('a sync that cannot reach Penneo is reported calmly and the cached rows stay', async () => {
  const { session } = app;
  const base = await simBase();
  const n = await rowCount();
  await injectFault(base, { pathPrefix: '/collect', status: 400, count: 100 });
  try {
    await (await session.find('[data-testid="sync-submissions"]')).click();
    const note = await session.find('[data-testid="sync-error"]', { timeout: 60_000 });
    assert.match(await note.text(), /already on this computer/);
    assert.equal(await rowCount(), n, 'the cached rows are still shown');
    await app.shot('sync-failed.png');
  } finally {
    await clearFaults(base);
  }
  // On demand again, now reachable (and slow, to see the progress): the note goes away and
  // "last synced" moves on.
  const before = await (await session.find('[data-testid="last-synced"]')).attr('data-synced-at');
  await injectFault(base, { pathPrefix: '/collect/api/v1/forms', delayMs: 1500, count: 3 });
  await (await session.find('[data-testid="sync-submissions"]')).click();
  const bar = await session.find('[data-testid="sync-progress"]', { timeout: 5_000 });
  assert.ok(await bar.displayed(), 'a progress bar while the sync runs');
  await app.shot('sync-running.png');
  await session.waitFor(async () => {
    const el = await session.findAll('[data-testid="last-synced"]');
    if (el.length === 0) return false;
    const at = await el[0].attr('data-synced-at');
    return at && at !== before && (await session.findAll('[data-testid="sync-error"]')).length === 0;
  }, 'a fresh sync', { timeout: 60_000 });
});
