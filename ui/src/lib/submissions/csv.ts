// CSV as RFC 4180 describes it: fields separated by a delimiter, records by CRLF, a field quoted
// when it holds the delimiter, a quote, CR or LF, quotes doubled inside. Two additions for files
// opened in spreadsheets: a guard against formula injection (a cell starting with = + - @, tab or
// CR gets a leading apostrophe, except plain numbers like -12.5), and an optional UTF-8 byte order
// mark so Excel reads the file as UTF-8.

import type { ExportTable } from "./flatten";

export interface CsvOptions {
  delimiter?: string;
  /** Prefix the UTF-8 BOM. Default false. */
  bom?: boolean;
  /** Neutralise cells a spreadsheet would run as formulas. Default true. */
  guardFormulas?: boolean;
  /** Record separator. Default CRLF. */
  newline?: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The cell with a leading apostrophe when a spreadsheet would treat it as a formula. */
export function guardFormula(cell: string): string {
  if (!FORMULA_START.test(cell) || PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}

export function csvField(value: string, delimiter = ",", guard = true): string {
  const v = guard ? guardFormula(value) : value;
  if (v.includes(delimiter) || v.includes('"') || v.includes("\n") || v.includes("\r")) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

export function toCsvRecords(records: readonly (readonly string[])[], options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ",";
  const newline = options.newline ?? "\r\n";
  const guard = options.guardFormulas ?? true;
  const body = records.map((r) => r.map((c) => csvField(c, delimiter, guard)).join(delimiter)).join(newline);
  return (options.bom ? "\uFEFF" : "") + body + (records.length > 0 ? newline : "");
}

/** The table with its header row. */
export function toCsv(table: ExportTable, options: CsvOptions = {}): string {
  return toCsvRecords([table.columns.map((c) => c.header), ...table.rows], options);
}

/** Parses CSV text back into records (for tests and for checking an export). Handles quoted fields. */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = "";
    } else if (ch === "\r" && src[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else if (ch === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += ch;
    i++;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
