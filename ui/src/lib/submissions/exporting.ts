// The name the "Export" action of the submissions table suggests in the save dialog. The file
// itself (the current view as CSV or JSON) is written by the backend.

import type { ExportFormat } from "../backend";

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
