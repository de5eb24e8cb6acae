// How form and version statuses are shown.
import type { Tone } from "../casefiles/status";
import type { Form, FormDefinition } from "../backend";

export const FORM_STATUS_TONES: Record<string, Tone> = { DRAFT: "info", ACTIVE: "success", ARCHIVED: "warning" };

export function statusTone(status: string): Tone {
  return FORM_STATUS_TONES[status] ?? "neutral";
}

export function statusLabel(status: string): string {
  return status ? status.charAt(0) + status.slice(1).toLowerCase() : "—";
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** The server form object's `activeVersion` / `latestVersion`, when it says. */
export function versionMarks(form: Form): { active: number | null; latest: number | null } {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return { active: num(form.activeVersion), latest: num(form.latestVersion) };
}

/** The form as Penneo has it, when the draft edits one that exists there. */
export interface ServerSide {
  formId: string;
  status: string;
  version: number;
  /** Newest version number (the next one the server makes is this + 1). */
  latest: number;
  active: number | null;
  def: FormDefinition;
}
