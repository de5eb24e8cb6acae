// The "Export" action of the submissions table: the current view (filtered and sorted) as CSV or
// JSON text with a suggested file name. Writing the file goes through the backend's save dialog.

import type { FormDefinition } from "../backend";
import { toCsv, type CsvOptions } from "./csv";
import { applyFilter, type SubmissionFilter } from "./filter";
import { buildExportTable, toJsonExport, type FlattenOptions } from "./flatten";
import type { SubmissionSummary } from "./types";

export type ExportFormat = "csv" | "json";

export interface ExportFile {
  fileName: string;
  mimeType: string;
  contents: string;
  rowCount: number;
}

/** `supplier-registration-submissions-2026-11-25.csv`: the form name made file-safe, and the date. */
export function exportFileName(formName: string, format: ExportFormat, date: Date = new Date()): string {
  const base =
    formName
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/æ/g, "ae")
      .replace(/ø/g, "oe")
      .replace(/ß/g, "ss")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "form";
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
  return `${base}-submissions-${day}.${format}`;
}

export function exportView(
  rows: readonly SubmissionSummary[],
  filter: SubmissionFilter,
  form: FormDefinition | null,
  format: ExportFormat,
  options: { csv?: CsvOptions; flatten?: FlattenOptions; date?: Date } = {},
): ExportFile {
  const view = applyFilter(rows, filter);
  const fileName = exportFileName(form?.name ?? "form", format, options.date);
  if (format === "json") return { fileName, mimeType: "application/json", contents: toJsonExport(view, form), rowCount: view.length };
  const table = buildExportTable(view, form, options.flatten);
  return { fileName, mimeType: "text/csv", contents: toCsv(table, { bom: true, ...options.csv }), rowCount: view.length };
}
