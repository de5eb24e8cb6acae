// Duplicating a form: a new DRAFT with the same definition under the name "Copy of …".

import type { Form, FormDefinition } from "../backend";
import { m } from "../i18n.svelte";

/** A deep copy of JSON data (also of Svelte state proxies, which structuredClone refuses). */
function jsonCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v ?? null)) as T;
}

/** Keys the server sets; a copy leaves them out so it becomes a form of its own. */
const SERVER_KEYS = [
  "id",
  "formId",
  "externalId",
  "status",
  "version",
  "publicUrl",
  "createdAt",
  "updatedAt",
  "activeVersion",
  "latestVersion",
] as const;

/** "Copy of <name>" ("Kopi af <name>" in Danish), numbered when that name is taken: "Copy of <name> (2)", "(3)", … */
export function copyName(name: string, taken: Iterable<string>): string {
  const used = new Set(Array.from(taken, (n) => n.trim().toLowerCase()));
  const base = m.forms_copy_of({ name: name.trim() || m.forms_untitled_lower() });
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** The definition to create the copy from: the original's, server keys removed, renamed. */
export function duplicateDefinition(original: FormDefinition, taken: Iterable<string>): FormDefinition {
  const copy = jsonCopy(original);
  for (const k of SERVER_KEYS) Reflect.deleteProperty(copy, k);
  return { ...copy, name: copyName(original.name, taken) };
}

/** A definition as the server returned it, ready for the builder (server keys left out). */
export function editableDefinition(serverForm: Form): FormDefinition {
  const copy = jsonCopy(serverForm);
  for (const k of SERVER_KEYS) Reflect.deleteProperty(copy, k);
  return { ...copy, sections: copy.sections ?? [] };
}
