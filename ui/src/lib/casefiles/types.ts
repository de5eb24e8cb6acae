// A casefile draft, mirroring the `caseFile` object of the Send API create call
// (docs/penneo-api.md §4.1, example §9.5). Every interface extends `Extra` so keys this app
// does not know survive a round trip through a stored draft.
//
// Two kinds of keys live here that are never sent: `localId` on signers and documents (a stable id
// for keyed lists, drag and drop and focus) and `source` on documents (the checked file on this
// computer). `toSendPayload` removes them.

import type { Extra } from "../forms/types";
import { normaliseSignOrder } from "./lanes";

export type { Extra };

export const LANGUAGES = ["en", "da", "sv", "nl", "fr", "fi", "no", "de"] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_LABELS: Record<Language, string> = {
  en: "English",
  da: "Danish",
  sv: "Swedish",
  nl: "Dutch",
  fr: "French",
  fi: "Finnish",
  no: "Norwegian",
  de: "German",
};

export const SSN_TYPES = ["legacy", "dk:cpr", "se:pin", "no:nin", "be:nrn", "fi:pic", "google:oidc", "microsoft:oidc", "sms"] as const;
export type SsnType = (typeof SSN_TYPES)[number];

export const SSN_TYPE_LABELS: Record<SsnType, string> = {
  legacy: "Legacy",
  "dk:cpr": "Denmark — CPR",
  "se:pin": "Sweden — personal identity number",
  "no:nin": "Norway — national identity number",
  "be:nrn": "Belgium — national register number",
  "fi:pic": "Finland — personal identity code",
  "google:oidc": "Google account",
  "microsoft:oidc": "Microsoft account",
  sms: "SMS",
};

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
] as const;
export type SecureSigningMethod = (typeof SECURE_SIGNING_METHODS)[number];

export const SECURE_SIGNING_METHOD_LABELS: Record<SecureSigningMethod, string> = {
  "mitid.dk": "MitID",
  "qes.personal.mitid.dk": "MitID (qualified signature)",
  bankid_se: "BankID (Sweden)",
  bankid_no: "BankID (Norway)",
  "itsme.be": "itsme",
  "ftn.fi": "Finnish Trust Network (FTN)",
  "eid.belgium.be": "Belgian eID",
  "passport-reader.eident.dk": "Passport reader",
  "ausweisapp.bund.de": "AusweisApp",
};

export const INSECURE_SIGNING_METHODS = ["text", "draw", "image"] as const;
export type InsecureSigningMethod = (typeof INSECURE_SIGNING_METHODS)[number];

export const INSECURE_SIGNING_METHOD_LABELS: Record<InsecureSigningMethod, string> = {
  text: "Typed name",
  draw: "Drawn signature",
  image: "Uploaded image",
};

export const EMAIL_FORMATS = ["text", "html"] as const;
export type EmailFormat = (typeof EMAIL_FORMATS)[number];

/** 0 = every signer sees every document; 1 = a signer sees only the documents of their role. */
export const VISIBILITY_MODES = [0, 1] as const;
export type VisibilityMode = (typeof VISIBILITY_MODES)[number];

/** The signer texts with a minimum length of 5 when given. */
export const SIGNER_EMAIL_TEXT_KEYS = [
  "emailSubject",
  "emailText",
  "reminderEmailSubject",
  "reminderEmailText",
  "completedEmailSubject",
  "completedEmailText",
] as const;
export type SignerEmailTextKey = (typeof SIGNER_EMAIL_TEXT_KEYS)[number];

export interface CcRecipient extends Extra {
  name: string;
  email: string;
  /** Save as a Penneo contact; the app sends false unless the user ticks it. */
  storeAsContact?: boolean;
}

export interface SignerDraft extends Extra {
  /** Local only: stable id in this draft. */
  localId: string;
  name: string;
  email?: string | null;
  role?: string | null;
  /** Same number = sign at the same time; lower numbers first. */
  signOrder: number;
  onBehalfOf?: string | null;
  socialSecurityNumberPlain?: string | null;
  vatin?: string | null;
  ssnType?: SsnType | null;
  accessControl?: boolean;
  enableInsecureSigning?: boolean;
  insecureSigningMethods?: InsecureSigningMethod[] | null;
  /** The electronic IDs this signer may use; none = Penneo's default for the account. */
  secureSigningMethods?: SecureSigningMethod[] | null;
  language?: Language | null;
  emailFormat?: EmailFormat | null;
  emailSubject?: string | null;
  emailText?: string | null;
  reminderEmailSubject?: string | null;
  reminderEmailText?: string | null;
  completedEmailSubject?: string | null;
  completedEmailText?: string | null;
  /** Days between reminders, ≥ 1. */
  reminderInterval?: number | null;
  successUrl?: string | null;
  failUrl?: string | null;
  /** Unix seconds. */
  activeAt?: number | null;
  /** Unix seconds. */
  expireAt?: number | null;
  /** Save as a Penneo contact; the app sends false unless the user ticks it. */
  storeAsContact?: boolean;
}

/** The file behind a document, as the backend's intake check reported it. Local only. */
export interface DocumentSource extends Extra {
  path: string;
  fileName: string;
  size: number;
  pageCount?: number | null;
  sha256?: string | null;
}

export interface DocumentDraft extends Extra {
  /** Local only. */
  localId: string;
  title: string;
  /** The uploaded file's name; must equal it. */
  name: string;
  /** Default true; false = an attachment nobody signs. */
  signable?: boolean;
  /** The signer roles that sign this document. */
  roles?: string[];
  documentOrder?: number;
  metaData?: string | null;
  /** Local only. */
  source?: DocumentSource | null;
}

export interface CaseFileDraft extends Extra {
  title: string;
  signers: SignerDraft[];
  documents: DocumentDraft[];
  language?: Language | null;
  metaData?: string | null;
  reference?: string | null;
  folderId?: number | null;
  /** Unix seconds; null = now. */
  sendAt?: number | null;
  /** Unix seconds. */
  expireAt?: number | null;
  sensitiveData?: boolean;
  accessControl?: boolean;
  disableNotificationsOwner?: boolean;
  disableEmailAttachments?: boolean;
  signOnMeeting?: boolean;
  visibilityMode?: VisibilityMode;
  senderName?: string | null;
  ccRecipients?: CcRecipient[];
}

/** True when a document is signed (not an attachment). `signable` defaults to true. */
export function isSignable(doc: Pick<DocumentDraft, "signable">): boolean {
  return doc.signable !== false;
}

export function isLanguage(v: unknown): v is Language {
  return typeof v === "string" && (LANGUAGES as readonly string[]).includes(v);
}

export function isSsnType(v: unknown): v is SsnType {
  return typeof v === "string" && (SSN_TYPES as readonly string[]).includes(v);
}

/** A short random id for a signer, document or draft that exists only on this computer. */
export function newLocalId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function emptyDraft(): CaseFileDraft {
  return { title: "", signers: [], documents: [], language: "en", visibilityMode: 0, ccRecipients: [] };
}

export function newSigner(signOrder: number, localId = newLocalId()): SignerDraft {
  return { localId, name: "", email: "", role: "", signOrder };
}

const LOCAL_SIGNER_KEYS = ["localId"] as const;
const LOCAL_DOCUMENT_KEYS = ["localId", "source"] as const;

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

function withoutBlanks<T extends Record<string, unknown>>(o: T, drop: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (drop.includes(k) || isBlank(v)) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = typeof v === "string" ? v.trim() : v;
  }
  return out;
}

/**
 * The `caseFile` object to send: local keys removed, blank optional values left out, strings
 * trimmed, signOrder normalised to 0..n-1, documents in `documentOrder` order (the files must go
 * in the same order).
 */
export function toSendPayload(draft: CaseFileDraft): { caseFile: Record<string, unknown> } {
  const caseFile = withoutBlanks(draft, ["signers", "documents", "ccRecipients"]);
  caseFile.title = draft.title.trim();
  caseFile.signers = normaliseSignOrder(draft.signers).map((s) => {
    const out = withoutBlanks(s, LOCAL_SIGNER_KEYS);
    if (!s.enableInsecureSigning) delete out.insecureSigningMethods;
    // Penneo's default is true (every client saved as a contact): always say it, false unless asked.
    out.storeAsContact = s.storeAsContact === true;
    return out;
  });
  const docs = [...draft.documents].sort((a, b) => (a.documentOrder ?? 0) - (b.documentOrder ?? 0));
  caseFile.documents = docs.map((d) => {
    const out = withoutBlanks(d, LOCAL_DOCUMENT_KEYS);
    if (out.signable === true) delete out.signable;
    if (d.signable === false) delete out.roles;
    return out;
  });
  const cc = draft.ccRecipients ?? [];
  if (cc.length > 0) caseFile.ccRecipients = cc.map((c) => ({ ...withoutBlanks(c, []), storeAsContact: c.storeAsContact === true }));
  return { caseFile };
}
