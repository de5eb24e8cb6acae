// Signer roles as Penneo's Send schema allows them (the same rule as `valid_role` in
// crates/penneo/src/models/casefile_draft.rs and the simulator's check): at least 3 characters,
// `^[a-zA-Z0-9][a-zA-Z0-9 ,_-]*[a-zA-Z0-9,_-]$`. Only ASCII letters: æ, ø and å are refused, so a
// spelling without them is offered, and taking it renames the role everywhere in the draft.

import { m } from "../i18n.svelte";
import type { CasefileEditorDraft } from "./editorDraft";

export const ROLE_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9 ,_-]*[a-zA-Z0-9,_-]$/;
export const ROLE_MIN = 3;

export function isValidRole(role: string): boolean {
  return role.length >= ROLE_MIN && ROLE_PATTERN.test(role);
}

/** True when the role has a letter outside a–z (æ, ø, å, é, ü …). */
export function hasNonAsciiLetter(role: string): boolean {
  return /\P{ASCII}/u.test(role) && /\p{L}/u.test(role.replace(/\p{ASCII}/gu, ""));
}

const SPELLED: Record<string, string> = {
  æ: "ae",
  ø: "oe",
  å: "aa",
  Æ: "Ae",
  Ø: "Oe",
  Å: "Aa",
  ä: "ae",
  ö: "oe",
  ü: "ue",
  Ä: "Ae",
  Ö: "Oe",
  Ü: "Ue",
};

/**
 * A spelling Penneo accepts: æ→ae, ø→oe, å→aa and their Swedish, Finnish and German cousins
 * ä→ae, ö→oe, ü→ue (capitals: Ae, Oe, Aa, Ue), other accents stripped (é→e), any other character
 * the rule refuses dropped, no separator at the start, no space at the end, no double spaces.
 * `null` when even that is not a valid role (e.g. too short) or the role is already valid. The
 * Rust client's `role_suggestion` offers the same: both are tested against
 * crates/penneo/tests/fixtures/role_spellings.json.
 */
export function roleSuggestion(role: string): string | null {
  let out = "";
  for (const ch of role.trim()) {
    const spelled = SPELLED[ch];
    if (spelled !== undefined) {
      out += spelled;
      continue;
    }
    const plain = ch.normalize("NFD").replace(/\p{M}/gu, "");
    for (const c of plain) if (/[a-zA-Z0-9 ,_-]/.test(c)) out += c;
  }
  out = out
    .replace(/^[ ,_-]+/, "")
    .replace(/ +$/, "")
    .replace(/ {2,}/g, " ");
  return isValidRole(out) && out !== role.trim() ? out : null;
}

/** What is wrong with a role, in one sentence for the field (null when it is fine). */
export function roleProblem(role: string): string | null {
  if (isValidRole(role)) return null;
  if (hasNonAsciiLetter(role)) return m.casefiles_check_role_letters({ role });
  if (role.length < ROLE_MIN) return m.casefiles_check_role_short({ min: String(ROLE_MIN) });
  return m.casefiles_check_role_chars();
}

/** The draft with the role `from` called `to` everywhere: on every signer and every document. */
export function renameRoleInDraft<D extends Pick<CasefileEditorDraft, "signers" | "documents">>(draft: D, from: string, to: string): D {
  const f = from.trim();
  const t = to.trim();
  if (f === "" || f === t) return draft;
  return {
    ...draft,
    signers: draft.signers.map((s) => ((s.role ?? "").trim() === f ? { ...s, role: t } : s)),
    documents: draft.documents.map((d) => {
      const roles = d.roles ?? [];
      if (!roles.includes(f)) return d;
      const next: string[] = [];
      for (const r of roles.map((x) => (x === f ? t : x))) if (!next.includes(r)) next.push(r);
      return { ...d, roles: next };
    }),
  };
}
