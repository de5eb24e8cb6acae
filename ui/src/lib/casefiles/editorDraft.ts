// The casefile editor's draft: the `caseFile` object of the Send API create call as Rust's
// `penneo::CaseFileSpec` describes it (generated into ../bindings.ts), plus the keys only the
// editor uses and never sends: `localId` on signers and documents (a stable id for keyed lists,
// drag and drop and focus), `source` on documents (the checked file on this computer), and a
// `signOrder` every signer has while editing. The backend keeps the draft as it is (those keys
// ride in the model's unknown-key map); `toSendPayload` removes them.
//
// The lists below are the values the editor offers, with their labels; the enums themselves stay
// open in the generated types, so a draft carrying a value this app does not know still loads.

import { m } from "../i18n.svelte";
import type {
  AcceptedFile,
  CaseFileDraft,
  CaseFileSpec,
  DocumentSpec,
  EmailFormat,
  InsecureSigningMethod,
  JsonValue,
  Language,
  SecureSigningMethod,
  SignerSpec,
  SsnType,
} from "../backend";
import { normaliseSignOrder } from "./lanes";

/** A table of labels worded when read (getters), so they follow a language change. */
function worded<K extends string>(table: Record<K, () => string>): Readonly<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(table) as K[]) Object.defineProperty(out, k, { enumerable: true, get: table[k] });
  return out;
}

export const LANGUAGES = ["en", "da", "sv", "nl", "fr", "fi", "no", "de"] as const satisfies readonly Language[];
/** A language the editor offers (the Send schema refuses `nb`). */
export type KnownLanguage = (typeof LANGUAGES)[number];

export const LANGUAGE_LABELS: Readonly<Record<KnownLanguage, string>> = worded({
  en: m.casefiles_lang_en,
  da: m.casefiles_lang_da,
  sv: m.casefiles_lang_sv,
  nl: m.casefiles_lang_nl,
  fr: m.casefiles_lang_fr,
  fi: m.casefiles_lang_fi,
  no: m.casefiles_lang_no,
  de: m.casefiles_lang_de,
});

export const SSN_TYPES = [
  "legacy",
  "dk:cpr",
  "se:pin",
  "no:nin",
  "be:nrn",
  "fi:pic",
  "google:oidc",
  "microsoft:oidc",
  "sms",
] as const satisfies readonly SsnType[];
export type KnownSsnType = (typeof SSN_TYPES)[number];

export const SSN_TYPE_LABELS: Readonly<Record<KnownSsnType, string>> = worded({
  legacy: m.casefiles_ssn_legacy,
  "dk:cpr": m.casefiles_ssn_dk_cpr,
  "se:pin": m.casefiles_ssn_se_pin,
  "no:nin": m.casefiles_ssn_no_nin,
  "be:nrn": m.casefiles_ssn_be_nrn,
  "fi:pic": m.casefiles_ssn_fi_pic,
  "google:oidc": m.casefiles_ssn_google_oidc,
  "microsoft:oidc": m.casefiles_ssn_microsoft_oidc,
  sms: m.casefiles_ssn_sms,
});

/** The electronic IDs a signer may sign with (the Send schema's `secureSigningMethods`). */
export const SECURE_SIGNING_METHODS = [
  "mitid.dk",
  "qes.personal.mitid.dk",
  "bankid_se",
  "bankid_no",
  "itsme.be",
  "ftn.fi",
  "eid.belgium.be",
  "passport-reader.eident.dk",
  "ausweisapp.bund.de",
] as const satisfies readonly SecureSigningMethod[];
export type KnownSecureSigningMethod = (typeof SECURE_SIGNING_METHODS)[number];

export const SECURE_SIGNING_METHOD_LABELS: Readonly<Record<KnownSecureSigningMethod, string>> = worded({
  "mitid.dk": m.casefiles_eid_mitid_dk,
  "qes.personal.mitid.dk": m.casefiles_eid_qes_personal_mitid_dk,
  bankid_se: m.casefiles_eid_bankid_se,
  bankid_no: m.casefiles_eid_bankid_no,
  "itsme.be": m.casefiles_eid_itsme_be,
  "ftn.fi": m.casefiles_eid_ftn_fi,
  "eid.belgium.be": m.casefiles_eid_eid_belgium_be,
  "passport-reader.eident.dk": m.casefiles_eid_passport_reader_eident_dk,
  "ausweisapp.bund.de": m.casefiles_eid_ausweisapp_bund_de,
});

export const INSECURE_SIGNING_METHODS = ["text", "draw", "image"] as const satisfies readonly InsecureSigningMethod[];
export type KnownInsecureSigningMethod = (typeof INSECURE_SIGNING_METHODS)[number];

export const INSECURE_SIGNING_METHOD_LABELS: Readonly<Record<KnownInsecureSigningMethod, string>> = worded({
  text: m.casefiles_method_text,
  draw: m.casefiles_method_draw,
  image: m.casefiles_method_image,
});

export const EMAIL_FORMATS = ["text", "html"] as const satisfies readonly EmailFormat[];

/** The signer texts with a minimum length of 5 when given. */
export const SIGNER_EMAIL_TEXT_KEYS = [
  "emailSubject",
  "emailText",
  "reminderEmailSubject",
  "reminderEmailText",
  "completedEmailSubject",
  "completedEmailText",
] as const satisfies readonly (keyof SignerSpec)[];

/** `T` without the keys `K`, keeping its unknown-key map (which `Omit` would flatten away). */
type Without<T, K extends PropertyKey> = { [P in keyof T as P extends K ? never : P]: T[P] };

/** A signer while editing: a local id, and a place in the signing order. */
export type SignerDraft = SignerSpec & {
  /** Local only: stable id in this draft. */
  localId: string;
  /** Same number = sign at the same time; lower numbers first. */
  signOrder: number;
};

/** The file behind a document, as the backend's intake check reported it. Local only. */
export type DocumentSource = Pick<AcceptedFile, "path" | "fileName" | "size"> & Partial<Pick<AcceptedFile, "pageCount" | "sha256">>;

/** A document while editing. */
export type DocumentDraft = Without<DocumentSpec, "source"> & {
  /** Local only. */
  localId: string;
  /** Local only. */
  source?: DocumentSource | null;
};

/** The casefile while editing. */
export type CasefileEditorDraft = Without<CaseFileSpec, "signers" | "documents"> & {
  signers: SignerDraft[];
  documents: DocumentDraft[];
};

/** True when a document is signed (not an attachment). `signable` defaults to true. */
export function isSignable(doc: Pick<DocumentSpec, "signable">): boolean {
  return doc.signable !== false;
}

export function isLanguage(v: unknown): v is KnownLanguage {
  return typeof v === "string" && (LANGUAGES as readonly string[]).includes(v);
}

/** A short random id for a signer, document or draft that exists only on this computer. */
export function newLocalId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function emptyDraft(): CasefileEditorDraft {
  return { title: "", signers: [], documents: [], language: "en", visibilityMode: 0, ccRecipients: [] };
}

export function newSigner(signOrder: number, localId = newLocalId()): SignerDraft {
  return { localId, name: "", email: "", role: "", signOrder };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A document's `source` as kept in a stored draft, when it is one. */
function sourceOf(v: JsonValue | undefined): DocumentSource | null {
  if (!isRecord(v) || typeof v.path !== "string" || typeof v.fileName !== "string" || typeof v.size !== "number") return null;
  return {
    path: v.path,
    fileName: v.fileName,
    size: v.size,
    pageCount: typeof v.pageCount === "number" ? v.pageCount : null,
    ...(typeof v.sha256 === "string" ? { sha256: v.sha256 } : {}),
  };
}

/**
 * A draft the backend kept (the `caseFile` object with the editor's own keys in it) as the editor
 * works on it: every signer and document gets its local id back (or a new one), every signer a
 * sign order, every document its checked file when one was kept.
 */
export function editorDraftOf(kept: CaseFileSpec): CasefileEditorDraft {
  const { signers, documents, ...rest } = kept;
  return {
    ...rest,
    signers: signers.map((s) => ({
      ...s,
      localId: typeof s.localId === "string" && s.localId !== "" ? s.localId : newLocalId(),
      signOrder: s.signOrder ?? 0,
    })),
    documents: documents.map(({ source, ...d }) => ({
      ...d,
      localId: typeof d.localId === "string" && d.localId !== "" ? d.localId : newLocalId(),
      source: sourceOf(source),
    })),
  };
}

const LOCAL_SIGNER_KEYS = ["localId"] as const;
const LOCAL_DOCUMENT_KEYS = ["localId", "source"] as const;

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/**
 * A copy of `o` without the keys `drop`, blank values and empty lists, strings trimmed. The copy
 * keeps `o`'s type: callers set again the required keys they send.
 */
function withoutBlanks<T extends object>(o: T, drop: readonly string[]): T {
  const out = { ...o };
  for (const k of Object.keys(out)) {
    const v: unknown = Reflect.get(out, k);
    if (drop.includes(k) || isBlank(v) || (Array.isArray(v) && v.length === 0)) Reflect.deleteProperty(out, k);
    else if (typeof v === "string") Reflect.set(out, k, v.trim());
  }
  return out;
}

/**
 * The create call's `data` object to send: local keys removed, blank optional values left out,
 * strings trimmed, signOrder normalised to 0..n-1, documents in `documentOrder` order (the files
 * must go in the same order).
 */
export function toSendPayload(draft: CasefileEditorDraft): CaseFileDraft {
  const signers: SignerSpec[] = normaliseSignOrder(draft.signers).map((s) => {
    const out: SignerSpec = { ...withoutBlanks(s, LOCAL_SIGNER_KEYS), name: s.name.trim() };
    if (!s.enableInsecureSigning) delete out.insecureSigningMethods;
    // Penneo's default is true (every client saved as a contact): always say it, false unless asked.
    out.storeAsContact = s.storeAsContact === true;
    return out;
  });
  const docs = [...draft.documents].sort((a, b) => (a.documentOrder ?? 0) - (b.documentOrder ?? 0));
  const documents: DocumentSpec[] = docs.map((d) => {
    const out: DocumentSpec = { ...withoutBlanks(d, LOCAL_DOCUMENT_KEYS), title: d.title.trim(), name: d.name.trim() };
    if (out.signable === true) delete out.signable;
    if (d.signable === false) delete out.roles;
    return out;
  });
  const caseFile: CaseFileSpec = {
    ...withoutBlanks(draft, ["signers", "documents", "ccRecipients"]),
    title: draft.title.trim(),
    signers,
    documents,
  };
  const cc = draft.ccRecipients ?? [];
  if (cc.length > 0)
    caseFile.ccRecipients = cc.map((c) => ({
      ...withoutBlanks(c, []),
      name: c.name.trim(),
      email: c.email.trim(),
      storeAsContact: c.storeAsContact === true,
    }));
  return { caseFile };
}
