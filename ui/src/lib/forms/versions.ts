// What each version of a form allows, and what each action does, said before it runs.
//
// The rules follow the contract: a DRAFT is edited in place, published (it becomes ACTIVE and the
// ACTIVE one is archived) or archived (dropped); the ACTIVE version is the one clients fill in; it
// can be archived (the form then takes no new answers) or copied into a new DRAFT; an ARCHIVED
// version can be copied into a new DRAFT (restore) — nothing is ever overwritten.

import type { FormVersionRecord } from "../backend";

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
  const active = activeVersion(all);
  const next = Math.max(0, ...all.map((x) => x.version)) + 1;
  const out: VersionActionInfo[] = [];
  switch (v.status) {
    case "DRAFT":
      if (editableDraft(all) === v.version) {
        out.push({
          action: "edit",
          label: "Edit",
          effect: `Opens version ${v.version} in the builder; saving changes this draft in place.`,
          confirm: "Edit",
          danger: false,
        });
      }
      out.push({
        action: "publish",
        label: "Publish",
        effect:
          active === null
            ? `Version ${v.version} becomes ACTIVE: clients can fill it in and prefilled requests use it.`
            : `Version ${v.version} becomes ACTIVE and replaces version ${active}, which is archived. Submissions already received are kept.`,
        confirm: `Publish version ${v.version}`,
        danger: false,
      });
      out.push({
        action: "archive",
        label: "Archive",
        effect: `Version ${v.version} is archived: it is never published and cannot be edited any more. You can restore it later as a new draft.`,
        confirm: `Archive version ${v.version}`,
        danger: true,
      });
      break;
    case "ACTIVE":
      out.push({
        action: "restore",
        label: "Copy to new draft",
        effect: `Makes version ${next}, a DRAFT copy of version ${v.version}, to edit and publish. Version ${v.version} stays ACTIVE meanwhile.`,
        confirm: `Make version ${next}`,
        danger: false,
      });
      out.push({
        action: "archive",
        label: "Archive",
        effect: `Version ${v.version} is archived and the form stops taking new answers until another version is published. Submissions already received are kept.`,
        confirm: `Archive version ${v.version}`,
        danger: true,
      });
      break;
    case "ARCHIVED":
      out.push({
        action: "restore",
        label: "Restore",
        effect: `Makes version ${next}, a new DRAFT with the content of version ${v.version}. Nothing is overwritten; publish the draft to use it.`,
        confirm: `Restore as version ${next}`,
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
