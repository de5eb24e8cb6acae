// How form and version statuses are shown.
import type { Tone } from "../casefiles/status";
import type { Form, FormDefinition } from "../backend";
import { formatDateTime } from "../format";
import { m } from "../i18n.svelte";

export const FORM_STATUS_TONES: Record<string, Tone> = { DRAFT: "info", ACTIVE: "success", ARCHIVED: "warning" };

export function statusTone(status: string): Tone {
  return FORM_STATUS_TONES[status] ?? "neutral";
}

const STATUS_LABELS: Record<string, () => string> = {
  DRAFT: () => m.form_status_draft(),
  ACTIVE: () => m.form_status_active(),
  ARCHIVED: () => m.form_status_archived(),
};

/** A form or version status in the UI language; a status this app does not know, capitalised. */
export function statusLabel(status: string): string {
  const known = STATUS_LABELS[status];
  if (known) return known();
  return status ? status.charAt(0) + status.slice(1).toLowerCase() : "—";
}

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return formatDateTime(iso);
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
