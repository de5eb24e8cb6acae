//! Export of a submissions view: one row per submission, one column per field; repeated
//! sections flattened with an index (`owners[1].owner_name`, counting from 0).
//!
//! CSV is written for spreadsheets: UTF-8 with a byte-order mark (so Excel reads æ, ø, å), and
//! a cell a client typed that would start a formula (`=`, `+`, `-`, `@`, tab, carriage return)
//! gets a leading `'` unless it is a plain number — answers come from outside the practice, and
//! a CSV opened in a spreadsheet must not run them. The header row gets the same guard (its
//! answer columns are field names from the form). JSON keeps every value as it was given.
//!
//! The separator follows the spreadsheet that will open the file: an Excel set up for Danish,
//! Swedish, Norwegian, Finnish, Dutch, German or French reads `;` between cells and a decimal
//! comma (and opens a comma-separated file as one column), an English one reads `,` and a
//! decimal point. [`CsvDelimiter::for_language`] picks from the UI's language; the export
//! dialog lets the user choose the other. With `;`, an answer that is a plain decimal number
//! (`12.5`) is written with a decimal comma (`12,5`), so the spreadsheet reads it as a number.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::db::submissions::{list_submissions, SubmissionQuery, SubmissionRow};
use crate::error::{DeskError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ExportFormat {
    Csv,
    Json,
}

/// The cell separator of a CSV export, and with it the decimal separator of numbers in answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum CsvDelimiter {
    /// `,` between cells, `.` in numbers: Excel in English.
    Comma,
    /// `;` between cells, `,` in numbers: Excel in Danish, Swedish, Norwegian, Finnish, Dutch,
    /// German, French.
    Semicolon,
}

/// Languages whose spreadsheets use `;` and a decimal comma (ISO 639-1; `no` and `nn` are
/// Norwegian as well as `nb`).
const SEMICOLON_LANGUAGES: &[&str] = &["da", "sv", "nb", "nn", "no", "fi", "nl", "de", "fr"];

impl CsvDelimiter {
    /// The separator a spreadsheet in this language expects: `language` is a BCP 47 tag as
    /// the UI has it (`da`, `da-DK`, `en-GB`, `nb_NO`); anything unknown gets the comma.
    pub fn for_language(language: &str) -> CsvDelimiter {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if SEMICOLON_LANGUAGES.contains(&primary.as_str()) {
            CsvDelimiter::Semicolon
        } else {
            CsvDelimiter::Comma
        }
    }

    fn byte(self) -> u8 {
        match self {
            CsvDelimiter::Comma => b',',
            CsvDelimiter::Semicolon => b';',
        }
    }
}

/// How a CSV export is written: the separator the user chose, or (when none was chosen) the
/// one for the UI's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CsvOptions {
    #[serde(default)]
    pub delimiter: Option<CsvDelimiter>,
    /// The UI's language (a BCP 47 tag such as `da` or `en-GB`).
    #[serde(default)]
    pub language: String,
}

impl CsvOptions {
    /// The separator to write with.
    pub fn delimiter(&self) -> CsvDelimiter {
        self.delimiter
            .unwrap_or_else(|| CsvDelimiter::for_language(&self.language))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    pub path: std::path::PathBuf,
    pub rows: u64,
    pub columns: Vec<String>,
}

const FIXED: &[&str] = &[
    "submissionId",
    "completedAt",
    "respondentName",
    "respondentEmail",
    "version",
    "casefileId",
    "casefileStatus",
    "reviewed",
    "flagged",
    "note",
];

fn fixed_values(r: &SubmissionRow) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    vec![
        r.submission_id.clone(),
        r.completed_at.clone(),
        opt(r.respondent_name.clone()),
        opt(r.respondent_email.clone()),
        opt(r.version.map(|v| v.to_string())),
        opt(r.casefile_id.map(|v| v.to_string())),
        opt(r.casefile_status.map(|v| v.code().to_string())),
        r.reviewed.to_string(),
        r.flagged.to_string(),
        opt(r.note.clone()),
    ]
}

/// Every row of the view (the query's cursor and limit are ignored).
fn all_rows(c: &Connection, account_id: &str, q: &SubmissionQuery) -> Result<Vec<SubmissionRow>> {
    let mut out = Vec::new();
    let mut q = q.clone();
    q.limit = Some(5000);
    q.cursor = None;
    loop {
        let page = list_submissions(c, account_id, &q)?;
        out.extend(page.result);
        match page.next_cursor {
            Some(next) => q.cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// A view as a table: the rows, the answer columns, and each row's values by column.
pub struct Table {
    pub rows: Vec<SubmissionRow>,
    pub columns: Vec<String>,
    pub values: Vec<HashMap<String, String>>,
}

/// Build the table of a view.
pub fn table(c: &Connection, account_id: &str, q: &SubmissionQuery) -> Result<Table> {
    let rows = all_rows(c, account_id, q)?;
    // Sections that repeat anywhere in this form get indexed columns.
    let mut repeated: std::collections::HashSet<String> = std::collections::HashSet::new();
    {
        let mut st = c.prepare_cached(
            "SELECT DISTINCT section_slug FROM answers WHERE account_id=?1 AND form_id=?2 AND instance_index > 0",
        )?;
        for s in st.query_map(params![account_id, q.form_id], |r| r.get::<_, String>(0))? {
            repeated.insert(s?);
        }
    }
    let mut columns: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut values = Vec::with_capacity(rows.len());
    let mut st = c.prepare_cached(
        "SELECT section_slug, instance_index, field_name, value_text FROM answers \
         WHERE account_id=?1 AND submission_id=?2 ORDER BY id",
    )?;
    // Column order: as fields first appear, with indexed columns grouped by instance.
    let mut order: BTreeMap<(usize, i64, usize), String> = BTreeMap::new();
    let mut section_pos: HashMap<String, usize> = HashMap::new();
    let mut field_pos: HashMap<(String, String), usize> = HashMap::new();
    for r in &rows {
        let mut map = HashMap::new();
        let answers = st.query_map(params![account_id, r.submission_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        for a in answers {
            let (slug, idx, field, value) = a?;
            let name = if repeated.contains(&slug) {
                format!("{slug}[{idx}].{field}")
            } else {
                field.clone()
            };
            let n = section_pos.len();
            let sp = *section_pos.entry(slug.clone()).or_insert(n);
            let n = field_pos.len();
            let fp = *field_pos.entry((slug.clone(), field.clone())).or_insert(n);
            if seen.insert(name.clone()) {
                order.insert((sp, idx, fp), name.clone());
            }
            map.insert(name, value.unwrap_or_default());
        }
        values.push(map);
    }
    columns.extend(order.into_values());
    Ok(Table {
        rows,
        columns,
        values,
    })
}

/// Write the view to `path` (replaced atomically; the save dialog asked about overwriting).
pub fn export(
    c: &Connection,
    account_id: &str,
    q: &SubmissionQuery,
    format: ExportFormat,
    csv_options: &CsvOptions,
    path: &Path,
) -> Result<ExportSummary> {
    let Table {
        rows,
        columns,
        values,
    } = table(c, account_id, q)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".export")
        .tempfile_in(dir)
        .map_err(|e| DeskError::io("Could not create the export file", e))?;
    match format {
        ExportFormat::Csv => {
            tmp.as_file_mut()
                .write_all("\u{feff}".as_bytes())
                .map_err(|e| DeskError::io("Could not write the export", e))?;
            let delimiter = csv_options.delimiter();
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter.byte())
                .from_writer(tmp.as_file_mut());
            let header = FIXED
                .iter()
                .copied()
                .chain(columns.iter().map(String::as_str))
                .map(spreadsheet_safe);
            w.write_record(header.map(std::borrow::Cow::into_owned))
                .map_err(csv_error)?;
            for (r, v) in rows.iter().zip(&values) {
                let fixed = fixed_values(r)
                    .into_iter()
                    .map(|cell| spreadsheet_safe(&cell).into_owned());
                let answers = columns.iter().map(|c| {
                    let cell = v.get(c).map(String::as_str).unwrap_or_default();
                    with_decimal_separator(&spreadsheet_safe(cell), delimiter)
                });
                w.write_record(fixed.chain(answers)).map_err(csv_error)?;
            }
            w.flush()
                .map_err(|e| DeskError::io("Could not write the export", e))?;
        }
        ExportFormat::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .zip(&values)
                .map(|(r, v)| {
                    let mut obj = serde_json::Map::new();
                    for (k, val) in FIXED.iter().zip(fixed_values(r)) {
                        obj.insert((*k).to_string(), serde_json::Value::String(val));
                    }
                    let answers: serde_json::Map<String, serde_json::Value> = columns
                        .iter()
                        .filter_map(|c| {
                            v.get(c)
                                .map(|x| (c.clone(), serde_json::Value::String(x.clone())))
                        })
                        .collect();
                    obj.insert("answers".into(), serde_json::Value::Object(answers));
                    serde_json::Value::Object(obj)
                })
                .collect();
            serde_json::to_writer_pretty(tmp.as_file_mut(), &list)?;
        }
    }
    tmp.as_file_mut()
        .flush()
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| DeskError::io("Could not write the export", e))?;
    tmp.persist(path)
        .map_err(|e| DeskError::io("Could not save the export", e.error))?;
    Ok(ExportSummary {
        path: path.to_path_buf(),
        rows: rows.len() as u64,
        columns: FIXED.iter().map(|s| s.to_string()).chain(columns).collect(),
    })
}

/// A cell a spreadsheet will not take for a formula: `'` before a leading `=`, `+`, `-`, `@`,
/// tab or carriage return, unless the whole cell is a number (`-12.5`, `+45`).
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().map_or(true, |n| !n.is_finite()) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A plain decimal number (`12.5`, `-0.25`, `+3.0`) written with the decimal separator of
/// `delimiter`; anything else (text, dates, `1.2.3`, a phone number) as it is.
fn with_decimal_separator(cell: &str, delimiter: CsvDelimiter) -> String {
    if delimiter == CsvDelimiter::Semicolon && is_plain_decimal(cell) {
        cell.replacen('.', ",", 1)
    } else {
        cell.to_string()
    }
}

/// Digits, one `.`, digits, after an optional sign: the shape a number answer is stored in.
fn is_plain_decimal(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    match unsigned.split_once('.') {
        Some((int, frac)) => {
            !int.is_empty()
                && !frac.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

fn csv_error(e: csv::Error) -> DeskError {
    DeskError::Internal(format!("could not write CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::accounts;
    use crate::db::submissions::{sample_submission, upsert_submissions};
    use crate::db::test_util::open_temp;

    fn comma() -> CsvOptions {
        CsvOptions {
            delimiter: Some(CsvDelimiter::Comma),
            language: "en".into(),
        }
    }

    #[test]
    fn csv_and_json_with_indexed_repeats() {
        let (dir, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            let mut s2 = sample_submission(
                "f1",
                "s2",
                "2026-01-02T00:00:00Z",
                "Bent",
                "Comma, \"Quoted\" A/S",
            );
            s2.answers.truncate(3); // only one owner
            upsert_submissions(
                c,
                "a",
                &[
                    sample_submission("f1", "s1", "2026-01-01T00:00:00Z", "Anna", "Acme"),
                    s2,
                ],
            )?;
            let q = SubmissionQuery {
                form_id: "f1".into(),
                ..Default::default()
            };
            let path = dir.path().join("out.csv");
            let sum = export(c, "a", &q, ExportFormat::Csv, &comma(), &path)?;
            assert_eq!(sum.rows, 2);
            let mut rd = csv::Reader::from_path(&path).unwrap();
            let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
            assert_eq!(&header[..2], ["submissionId", "completedAt"]);
            assert_eq!(
                &header[FIXED.len()..],
                [
                    "full_name",
                    "company_name",
                    "owners[0].owner",
                    "owners[1].owner"
                ]
            );
            let recs: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            assert_eq!(recs.len(), 2);
            assert_eq!(&recs[1][FIXED.len() + 1], "Comma, \"Quoted\" A/S");
            assert_eq!(&recs[1][FIXED.len() + 3], "");
            assert_eq!(&recs[0][FIXED.len() + 3], "Zoë Ågård");

            let jpath = dir.path().join("out.json");
            export(c, "a", &q, ExportFormat::Json, &comma(), &jpath)?;
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&jpath).unwrap())?;
            assert_eq!(v.as_array().unwrap().len(), 2);
            assert_eq!(v[0]["answers"]["owners[1].owner"], "Zoë Ågård");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn csv_has_a_bom_and_never_hands_a_spreadsheet_a_formula() {
        let (dir, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            upsert_submissions(
                c,
                "a",
                &[
                    sample_submission(
                        "f1",
                        "s1",
                        "2026-01-01T00:00:00Z",
                        "@SUM(A1)",
                        "=HYPERLINK(\"http://x\")",
                    ),
                    sample_submission(
                        "f1",
                        "s2",
                        "2026-01-02T00:00:00Z",
                        "-12.5",
                        "+45 12 34 56 78",
                    ),
                ],
            )?;
            let q = SubmissionQuery {
                form_id: "f1".into(),
                ..Default::default()
            };
            let path = dir.path().join("out.csv");
            export(c, "a", &q, ExportFormat::Csv, &comma(), &path)?;
            let bytes = std::fs::read(&path).unwrap();
            assert!(bytes.starts_with("\u{feff}submissionId,".as_bytes()));
            let mut rd = csv::Reader::from_reader(&bytes[3..]);
            let recs: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            let name = FIXED.len();
            assert_eq!(&recs[0][name], "'@SUM(A1)");
            assert_eq!(&recs[0][name + 1], "'=HYPERLINK(\"http://x\")");
            assert_eq!(&recs[0][2], "'@SUM(A1)", "the respondent column too");
            assert_eq!(&recs[1][name], "-12.5", "a number stays a number");
            assert_eq!(&recs[1][name + 1], "'+45 12 34 56 78");
            // JSON keeps what the client typed.
            let jpath = dir.path().join("out.json");
            export(c, "a", &q, ExportFormat::Json, &comma(), &jpath)?;
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&jpath).unwrap())?;
            assert_eq!(v[0]["answers"]["company_name"], "=HYPERLINK(\"http://x\")");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn semicolon_csv_for_a_danish_excel_with_decimal_commas_and_a_guarded_header() {
        let (dir, db) = open_temp();
        db.call_blocking(|c| {
            accounts::insert(c, &accounts::sample("a"))?;
            let mut s1 = sample_submission("f1", "s1", "2026-01-01T00:00:00Z", "12.5", "1.2.3");
            // A field name a form author (or an import) made look like a formula.
            s1.answers[1].field_name = "=cmd|' /C calc'!A0".into();
            let s2 = sample_submission("f1", "s2", "2026-01-02T00:00:00Z", "-0.25", "Acme; Co");
            upsert_submissions(c, "a", &[s1, s2])?;
            let q = SubmissionQuery {
                form_id: "f1".into(),
                ..Default::default()
            };
            let path = dir.path().join("out.csv");
            let options = CsvOptions {
                delimiter: None,
                language: "da-DK".into(),
            };
            export(c, "a", &q, ExportFormat::Csv, &options, &path)?;
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                bytes.starts_with("\u{feff}submissionId;completedAt;".as_bytes()),
                "BOM, then ;-separated: {:?}",
                String::from_utf8_lossy(&bytes[..40])
            );
            let mut rd = csv::ReaderBuilder::new()
                .delimiter(b';')
                .from_reader(&bytes[3..]);
            let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
            let name = FIXED.len();
            assert_eq!(header[name], "full_name");
            assert_eq!(
                header[name + 1],
                "'=cmd|' /C calc'!A0",
                "the header is guarded too"
            );
            let recs: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            assert_eq!(&recs[0][name], "12,5", "a decimal comma in answers");
            assert_eq!(&recs[0][name + 1], "1.2.3", "not a number: as typed");
            assert_eq!(&recs[1][name], "-0,25", "a negative number stays a number");
            assert_eq!(
                &recs[1][name + 2],
                "Acme; Co",
                "a ; inside a cell is quoted"
            );
            assert_eq!(&recs[0][2], "12.5", "the fixed columns are not answers");

            // The same view for an English Excel: commas, decimal points.
            let en = CsvOptions {
                delimiter: None,
                language: "en-GB".into(),
            };
            export(c, "a", &q, ExportFormat::Csv, &en, &path)?;
            let bytes = std::fs::read(&path).unwrap();
            assert!(bytes.starts_with("\u{feff}submissionId,completedAt,".as_bytes()));
            let mut rd = csv::Reader::from_reader(&bytes[3..]);
            let recs: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            assert_eq!(&recs[0][name], "12.5");
            // A choice made in the dialog wins over the language.
            let chosen = CsvOptions {
                delimiter: Some(CsvDelimiter::Semicolon),
                language: "en".into(),
            };
            export(c, "a", &q, ExportFormat::Csv, &chosen, &path)?;
            assert!(std::fs::read(&path)
                .unwrap()
                .starts_with("\u{feff}submissionId;".as_bytes()));
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn the_separator_follows_the_language() {
        for lang in [
            "da", "da-DK", "sv", "sv_SE", "nb", "nb-NO", "nn", "fi", "nl-BE", "de", "de-AT", "fr",
            "fr-BE", "DA",
        ] {
            assert_eq!(
                CsvDelimiter::for_language(lang),
                CsvDelimiter::Semicolon,
                "{lang}"
            );
        }
        for lang in ["en", "en-US", "en-GB", "", "xx", "dan"] {
            assert_eq!(
                CsvDelimiter::for_language(lang),
                CsvDelimiter::Comma,
                "{lang}"
            );
        }
    }

    #[test]
    fn only_plain_decimals_get_a_decimal_comma() {
        for (cell, want) in [
            ("12.5", "12,5"),
            ("-12.5", "-12,5"),
            ("+0.5", "+0,5"),
            ("12", "12"),
            ("1.2.3", "1.2.3"),
            (".5", ".5"),
            ("5.", "5."),
            ("1e5", "1e5"),
            ("12.5 kr", "12.5 kr"),
            ("2026-01-02", "2026-01-02"),
            ("'-1.5x", "'-1.5x"),
        ] {
            assert_eq!(
                with_decimal_separator(cell, CsvDelimiter::Semicolon),
                want,
                "{cell:?}"
            );
            assert_eq!(with_decimal_separator(cell, CsvDelimiter::Comma), cell);
        }
    }

    #[test]
    fn spreadsheet_safe_cells() {
        for (cell, want) in [
            ("", ""),
            ("Acme", "Acme"),
            ("=1+1", "'=1+1"),
            ("-1", "-1"),
            ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("\r=x", "'\r=x"),
            ("+inf", "'+inf"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(spreadsheet_safe(cell), want, "{cell:?}");
        }
    }
}
