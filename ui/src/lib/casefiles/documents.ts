// Documents of a casefile draft: titles from file names, order, roles, and the local checks on
// incoming files that need no file access (the backend checks content: PDF header, encryption,
// size, readability).

import { isSignable, newLocalId, type DocumentDraft, type DocumentSource, type SignerDraft } from "./editorDraft";

export const MAX_TITLE_LENGTH = 1024;

/** The last path segment, for `/` and `\` separators. */
export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/**
 * A document title from a file name: no folder, no `.pdf`, `_`/`-`/`.` runs as spaces, spaces
 * collapsed, the first letter capitalised when the first word is all lower case.
 * `engagement_letter-2026.pdf` → `Engagement letter 2026`. Falls back to the file name.
 */
export function titleFromFileName(fileOrPath: string): string {
  const name = fileNameOf(fileOrPath);
  const stem = name.replace(/\.pdf$/i, "");
  let title = stem
    .replace(/_+/g, " ")
    .replace(/(\S)-+(?=\S)/g, "$1 ")
    // A dot between digits stays ("v1.2"); other dots separate words.
    .replace(/\.+/g, (m: string, offset: number, all: string) =>
      /\d/.test(all.charAt(offset - 1)) && /\d/.test(all.charAt(offset + m.length)) ? m : " ",
    )
    .replace(/\s+/g, " ")
    .trim();
  if (title === "") title = name.trim();
  const firstWord = title.split(" ")[0] ?? "";
  if (/^[a-zæøåäöüéè]+$/.test(firstWord)) title = title.charAt(0).toUpperCase() + title.slice(1);
  return title.slice(0, MAX_TITLE_LENGTH);
}

/** Distinct non-blank roles of the signers, trimmed, in signer order. */
export function rolesOf(signers: readonly Pick<SignerDraft, "role">[]): string[] {
  const out: string[] = [];
  for (const s of signers) {
    const r = (s.role ?? "").trim();
    if (r && !out.includes(r)) out.push(r);
  }
  return out;
}

/** Documents sorted by documentOrder (ties: array order). */
export function inDocumentOrder<D extends DocumentDraft>(docs: readonly D[]): D[] {
  return docs
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.documentOrder ?? 0) - (b.d.documentOrder ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

/** documentOrder renumbered 0..n-1 in the current order; the array comes back sorted. */
export function normaliseDocumentOrder<D extends DocumentDraft>(docs: readonly D[]): D[] {
  return inDocumentOrder(docs).map((d, i) => (d.documentOrder === i ? d : { ...d, documentOrder: i }));
}

/** Moves the document at sorted position `from` to sorted position `to`. */
export function moveDocument<D extends DocumentDraft>(docs: readonly D[], from: number, to: number): D[] {
  const sorted = inDocumentOrder(docs);
  if (from < 0 || from >= sorted.length) return normaliseDocumentOrder(sorted);
  const target = Math.max(0, Math.min(sorted.length - 1, to));
  const [moved] = sorted.splice(from, 1);
  if (moved) sorted.splice(target, 0, moved);
  return sorted.map((d, i) => (d.documentOrder === i ? d : { ...d, documentOrder: i }));
}

/** A new document for an accepted file: signed by every role given, placed last. */
export function documentFromFile(
  source: DocumentSource,
  existing: readonly DocumentDraft[],
  roles: readonly string[],
  localId = newLocalId(),
): DocumentDraft {
  const next = existing.reduce((m, d) => Math.max(m, (d.documentOrder ?? 0) + 1), 0);
  return {
    localId,
    title: titleFromFileName(source.fileName),
    name: source.fileName,
    signable: true,
    roles: [...roles],
    documentOrder: next,
    source: { ...source },
  };
}

/** Toggles one role on a document. */
export function toggleRole<D extends DocumentDraft>(doc: D, role: string): D {
  const roles = doc.roles ?? [];
  return { ...doc, roles: roles.includes(role) ? roles.filter((r) => r !== role) : [...roles, role] };
}

/** Signed ↔ attachment. Turning an attachment back into a signed document gives it `roles` if it has none. */
export function setSignable<D extends DocumentDraft>(doc: D, signable: boolean, roles: readonly string[] = []): D {
  if (signable) return { ...doc, signable: true, roles: (doc.roles ?? []).length > 0 ? doc.roles : [...roles] };
  return { ...doc, signable: false };
}

/**
 * A signer's role changed from `from` to `to`: documents that listed `from` list `to` instead,
 * unless another signer still has `from` (then `to` is added beside it). A blank `to` removes
 * `from` when nobody else has it.
 */
export function renameRoleOnDocuments<D extends DocumentDraft>(
  docs: readonly D[],
  signers: readonly Pick<SignerDraft, "role" | "localId">[],
  changedSigner: string,
  from: string,
  to: string,
): D[] {
  const f = from.trim();
  const t = to.trim();
  if (f === t || f === "") return [...docs];
  const stillUsed = signers.some((s) => s.localId !== changedSigner && (s.role ?? "").trim() === f);
  return docs.map((d) => {
    const roles = d.roles ?? [];
    if (!roles.includes(f)) return d;
    let next = stillUsed ? [...roles] : roles.filter((r) => r !== f);
    if (t && !next.includes(t)) next = [...next, t];
    return { ...d, roles: next };
  });
}

/** Counts used in summaries: signed documents and attachments. */
export function documentCounts(docs: readonly DocumentDraft[]): { signable: number; attachments: number } {
  const signable = docs.filter((d) => isSignable(d)).length;
  return { signable, attachments: docs.length - signable };
}

export interface IncomingFile {
  path: string;
  fileName?: string;
}

export interface IncomingCheck<F extends IncomingFile> {
  accepted: F[];
  rejected: { file: F; fileName: string; message: string }[];
}

/**
 * The checks on new files that need no access to them: a file whose name is already in the draft,
 * or comes twice in this batch, is rejected (document names must be unique and equal the file names).
 */
export function checkIncomingNames<F extends IncomingFile>(incoming: readonly F[], existing: readonly DocumentDraft[]): IncomingCheck<F> {
  const taken = new Set(existing.map((d) => d.name));
  const out: IncomingCheck<F> = { accepted: [], rejected: [] };
  for (const file of incoming) {
    const fileName = file.fileName ?? fileNameOf(file.path);
    if (taken.has(fileName)) {
      out.rejected.push({
        file,
        fileName,
        message: `"${fileName}" is already in this casefile: two documents cannot have the same file name.`,
      });
      continue;
    }
    taken.add(fileName);
    out.accepted.push(file);
  }
  return out;
}

/** Bytes as "12 KB", "3.4 MB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
