// Many submissions in the app's local database, for the table's scale test and the bench: the
// demo seed is small, so after the demo has synced, one form's submissions (their answers,
// FTS-indexed by the schema's triggers, and the table's values rows the sync keeps beside them)
// are copied straight into the app's SQLite file with the sqlite3 command (the app keeps the
// database in WAL mode, so a second writer is fine). Copy n of submission `id` is `id-xn`,
// completed n minutes earlier, its respondent named `… n` and its CPR answer `…-n` (so a search
// finds one copy).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Runs `sql` on the app's database in `dataDir`; returns what sqlite3 printed, trimmed. */
export function sqlite(dataDir, sql) {
  const db = path.join(dataDir, 'penneo-desk.sqlite3');
  try {
    return execFileSync('sqlite3', ['-cmd', '.timeout 20000', db, sql], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('the sqlite3 command-line tool is needed to make many submissions');
    throw e;
  }
}

/** Copies the synced submissions of `formId` `copies` times; returns the form's count after. */
export function copySubmissions(dataDir, formId, copies) {
  const f = formId.replace(/'/g, "''");
  sqlite(
    dataDir,
    `BEGIN;
    CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${copies}) INSERT INTO n SELECT i FROM c;
    INSERT INTO submissions (account_id, submission_id, form_id, casefile_id, request_id, version, completed_at,
        respondent_name, respondent_email, answers_json, synced_at)
      SELECT s.account_id, s.submission_id || '-x' || n.i, s.form_id, s.casefile_id, NULL, s.version,
        strftime('%Y-%m-%dT%H:%M:%S', s.completed_at, printf('-%d minutes', n.i)) || '.000000Z',
        s.respondent_name || ' ' || n.i, s.respondent_email, s.answers_json, s.synced_at
      FROM submissions s, n WHERE s.form_id = '${f}' AND s.submission_id NOT LIKE '%-x%';
    INSERT INTO answers (account_id, submission_id, form_id, section_slug, instance_index, field_name, label, field_type, value_text)
      SELECT a.account_id, a.submission_id || '-x' || n.i, a.form_id, a.section_slug, a.instance_index, a.field_name, a.label, a.field_type,
        CASE WHEN a.field_name = 'cpr' THEN a.value_text || '-' || n.i ELSE a.value_text END
      FROM answers a, n WHERE a.form_id = '${f}' AND a.submission_id NOT LIKE '%-x%';
    INSERT INTO submission_values (submission_id, field_id, value_text, sort_text)
      SELECT v.submission_id || '-x' || n.i, v.field_id,
        CASE WHEN ff.field_name = 'cpr' THEN v.value_text || '-' || n.i ELSE v.value_text END,
        CASE WHEN ff.field_name = 'cpr' THEN v.sort_text || '-' || n.i ELSE v.sort_text END
      FROM submission_values v JOIN form_fields ff ON ff.id = v.field_id, n
      WHERE ff.form_id = '${f}' AND v.submission_id NOT LIKE '%-x%';
    COMMIT;`,
  );
  return Number(sqlite(dataDir, `SELECT count(*) FROM submissions WHERE form_id = '${f}'`));
}

/** In the window: the submissions page, once the demo's first sync has ended. */
export async function openSyncedSubmissions(session) {
  await (await session.find('[data-testid="nav-submissions"]')).click();
  await session.waitFor(
    async () => (await (await session.find('[data-testid="last-synced"]')).attr('data-synced-at')) || false,
    'the demo sync',
    { timeout: 90_000 },
  );
}

/** The id of the form whose name starts with `prefix`, as the submissions page's picker lists it. */
export function formIdByName(session, prefix) {
  return session.execute(
    `return [...document.querySelectorAll('[data-testid="form-picker"] option')].find((o) => o.textContent.startsWith(arguments[0]))?.value ?? null`,
    [prefix],
  );
}
