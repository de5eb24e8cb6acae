// What each version of a form allows, and what each action does, said before it runs.
//
// The rules follow the contract: a DRAFT is edited in place, published (it becomes ACTIVE and the
// ACTIVE one is archived) or archived (dropped); the ACTIVE version is the one clients fill in; it
// can be archived (the form then takes no new answers) or copied into a new DRAFT; an ARCHIVED
// version can be copied into a new DRAFT (restore) — nothing is ever overwritten.

import type { FormVersionRecord } from "../backend";
import { m } from "../i18n.svelte";

export type VersionAction = "edit" | "publish" | "archive" | "restore";

export interface VersionActionInfo {
  action: VersionAction;
  /** The button's text. */
  label: string;
  /** What happens, for the confirmation (not needed for "edit", which changes nothing yet). */
  effect: string;
  /** The confirming button's text. */
  confirm: string;
  danger: boolean;
}

/** The newest DRAFT version: the one the builder saves into. */
export function editableDraft(versions: readonly Pick<FormVersionRecord, "version" | "status">[]): number | null {
  const drafts = versions.filter((v) => v.status === "DRAFT").map((v) => v.version);
  return drafts.length > 0 ? Math.max(...drafts) : null;
}

export function activeVersion(versions: readonly Pick<FormVersionRecord, "version" | "status">[]): number | null {
  return versions.find((v) => v.status === "ACTIVE")?.version ?? null;
}

/** The actions version `v` offers, in the order they are shown. */
export function versionActions(
  v: Pick<FormVersionRecord, "version" | "status">,
  all: readonly Pick<FormVersionRecord, "version" | "status">[],
): VersionActionInfo[] {
  const activeNumber = activeVersion(all);
  const active = activeNumber === null ? null : String(activeNumber);
  const next = String(Math.max(0, ...all.map((x) => x.version)) + 1);
  const version = String(v.version);
  const out: VersionActionInfo[] = [];
  switch (v.status) {
    case "DRAFT":
      if (editableDraft(all) === v.version) {
        out.push({
          action: "edit",
          label: m.forms_action_edit(),
          effect: m.forms_action_edit_effect({ version }),
          confirm: m.forms_action_edit(),
          danger: false,
        });
      }
      out.push({
        action: "publish",
        label: m.forms_publish(),
        effect: active === null ? m.forms_action_publish_effect({ version }) : m.forms_action_publish_replace_effect({ version, active }),
        confirm: m.forms_action_publish_confirm({ version }),
        danger: false,
      });
      out.push({
        action: "archive",
        label: m.forms_action_archive(),
        effect: m.forms_action_archive_draft_effect({ version }),
        confirm: m.forms_action_archive_confirm({ version }),
        danger: true,
      });
      break;
    case "ACTIVE":
      out.push({
        action: "restore",
        label: m.forms_action_copy(),
        effect: m.forms_action_copy_effect({ next, version }),
        confirm: m.forms_action_copy_confirm({ next }),
        danger: false,
      });
      out.push({
        action: "archive",
        label: m.forms_action_archive(),
        effect: m.forms_action_archive_active_effect({ version }),
        confirm: m.forms_action_archive_confirm({ version }),
        danger: true,
      });
      break;
    case "ARCHIVED":
      out.push({
        action: "restore",
        label: m.forms_action_restore(),
        effect: m.forms_action_restore_effect({ next, version }),
        confirm: m.forms_action_restore_confirm({ next }),
        danger: false,
      });
      break;
    default:
      break;
  }
  return out;
}

/** Versions newest first, the way the history panel lists them. */
export function sortVersions<T extends Pick<FormVersionRecord, "version">>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => b.version - a.version);
}
