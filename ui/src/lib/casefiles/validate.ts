// Checks on a casefile draft: everything the Send API would reject (penneo-api.md §4.1) is an
// "error" and blocks sending; things it accepts but that will not work as meant are "warning"s.
// Paths name the part at fault, like the forms validator: "title", "expireAt", "signers[1].email",
// "documents[0].roles", "ccRecipients[2].email". Indexes are array indexes of the draft.

import { rolesOf } from "./documents";
import { roleProblem } from "./roles";
import {
  EMAIL_FORMATS,
  INSECURE_SIGNING_METHODS,
  SECURE_SIGNING_METHODS,
  SIGNER_EMAIL_TEXT_KEYS,
  SSN_TYPES,
  isLanguage,
  isSignable,
  type CasefileEditorDraft,
  type SignerDraft,
} from "./editorDraft";

export type Severity = "error" | "warning";

export interface DraftIssue {
  path: string;
  severity: Severity;
  /** Stable rule id, e.g. "signer.email.invalid". */
  code: string;
  message: string;
}

export interface ValidateOptions {
  /** Unix seconds "now" (injectable for tests). */
  now?: number;
  /** Every document must have its file on this computer (checked by the backend): true when sending is possible. */
  requireFiles?: boolean;
}

export const LIMITS = {
  titleMax: 1024,
  senderNameMin: 2,
  senderNameMax: 255,
  emailTextMin: 5,
  urlMin: 5,
  reminderIntervalMin: 1,
} as const;

// Practical address check: one @, no spaces, a dot in the domain, no empty labels.
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\.]+(\.[^\s@"(),:;<>[\]\\.]+)+$/;

export function isEmail(s: string): boolean {
  const t = s.trim();
  if (t.length > 254 || !EMAIL.test(t)) return false;
  const local = t.slice(0, t.lastIndexOf("@"));
  return local.length <= 64 && !local.startsWith(".") && !local.endsWith(".") && !local.includes("..");
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

function blank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

const SIGNER_TEXT_LABELS: Record<(typeof SIGNER_EMAIL_TEXT_KEYS)[number], string> = {
  emailSubject: "The email subject",
  emailText: "The email text",
  reminderEmailSubject: "The reminder subject",
  reminderEmailText: "The reminder text",
  completedEmailSubject: "The completion email subject",
  completedEmailText: "The completion email text",
};

export function validateDraft(draft: CasefileEditorDraft, options: ValidateOptions = {}): DraftIssue[] {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const issues: DraftIssue[] = [];
  const err = (path: string, code: string, message: string) => issues.push({ path, severity: "error", code, message });
  const warn = (path: string, code: string, message: string) => issues.push({ path, severity: "warning", code, message });

  // Casefile
  const title = (draft.title ?? "").trim();
  if (title === "") err("title", "title.required", "Give the casefile a title.");
  else if (title.length > LIMITS.titleMax)
    err("title", "title.tooLong", `The title is ${title.length} characters; at most ${LIMITS.titleMax} are allowed.`);

  if (!blank(draft.language) && !isLanguage(draft.language))
    err("language", "language.unknown", `"${String(draft.language)}" is not a language Penneo offers.`);

  if (!blank(draft.folderId) && !(isInt(draft.folderId) && draft.folderId >= 1))
    err("folderId", "folderId.invalid", "The folder id must be a whole number of 1 or more.");

  if (draft.visibilityMode !== undefined && draft.visibilityMode !== null && draft.visibilityMode !== 0 && draft.visibilityMode !== 1) {
    err("visibilityMode", "visibilityMode.invalid", "Choose who sees which documents.");
  }

  if (!blank(draft.senderName)) {
    const n = String(draft.senderName).trim().length;
    if (n < LIMITS.senderNameMin || n > LIMITS.senderNameMax) {
      err("senderName", "senderName.length", `The sender name must be ${LIMITS.senderNameMin}–${LIMITS.senderNameMax} characters.`);
    }
  }

  const sendAt = draft.sendAt ?? null;
  const expireAt = draft.expireAt ?? null;
  if (sendAt !== null && !isInt(sendAt)) err("sendAt", "sendAt.invalid", "The send time is not a valid time.");
  else if (sendAt !== null && sendAt < now)
    warn("sendAt", "sendAt.past", "The scheduled send time has passed: the casefile will be sent at once.");
  if (expireAt !== null) {
    if (!isInt(expireAt)) err("expireAt", "expireAt.invalid", "The expiry date is not a valid time.");
    else if (expireAt <= now) err("expireAt", "expireAt.past", "The expiry date must be in the future.");
    else if (sendAt !== null && isInt(sendAt) && expireAt <= sendAt)
      err("expireAt", "expireAt.beforeSend", "The casefile must expire after it is sent.");
  }

  (draft.ccRecipients ?? []).forEach((cc, i) => {
    const p = `ccRecipients[${i}]`;
    if (blank(cc.name)) err(`${p}.name`, "cc.name.required", "Give the copy recipient a name.");
    if (blank(cc.email)) err(`${p}.email`, "cc.email.required", "Give the copy recipient an email address.");
    else if (!isEmail(cc.email)) err(`${p}.email`, "cc.email.invalid", `"${cc.email.trim()}" is not a valid email address.`);
  });

  // Signers
  const signers = draft.signers ?? [];
  if (signers.length === 0) err("signers", "signers.required", "Add at least one signer.");
  const seenEmails = new Map<string, number>();
  signers.forEach((s, i) => validateSigner(s, i, now, err, warn, seenEmails, draft.signOnMeeting === true));

  // Documents
  const docs = draft.documents ?? [];
  const roles = new Set(rolesOf(signers));
  if (docs.length === 0) err("documents", "documents.required", "Add at least one document.");
  else if (!docs.some((d) => isSignable(d)))
    err("documents", "documents.noneSignable", "At least one document must be signed; all of them are attachments now.");

  const names = new Map<string, number>();
  const orders = new Map<number, number>();
  docs.forEach((d, i) => {
    const p = `documents[${i}]`;
    const t = (d.title ?? "").trim();
    if (t === "") err(`${p}.title`, "document.title.required", "Give the document a title.");
    else if (t.length > LIMITS.titleMax)
      err(`${p}.title`, "document.title.tooLong", `The title is ${t.length} characters; at most ${LIMITS.titleMax} are allowed.`);

    const name = d.name ?? "";
    if (name.trim() === "") err(`${p}.name`, "document.name.required", "The document has no file name.");
    else {
      const first = names.get(name);
      if (first !== undefined)
        err(`${p}.name`, "document.name.duplicate", `"${name}" is also the file name of document ${first + 1}; file names must be unique.`);
      else names.set(name, i);
      if (d.source && d.source.fileName !== name)
        err(`${p}.name`, "document.name.mismatch", `The document name must equal its file name "${d.source.fileName}".`);
    }
    if (options.requireFiles && !d.source?.path)
      err(`${p}.name`, "document.file.missing", `"${name || t}" has no file on this computer: remove it and add the PDF again.`);

    if (d.documentOrder !== undefined && d.documentOrder !== null) {
      if (!isInt(d.documentOrder) || d.documentOrder < 0)
        err(`${p}.documentOrder`, "document.order.invalid", "The document order must be a whole number of 0 or more.");
      else {
        const firstAt = orders.get(d.documentOrder);
        if (firstAt !== undefined) warn(`${p}.documentOrder`, "document.order.duplicate", `Document ${firstAt + 1} has the same position.`);
        else orders.set(d.documentOrder, i);
      }
    }

    const docRoles = d.roles ?? [];
    if (isSignable(d)) {
      const present = docRoles.filter((r) => roles.has(r));
      if (present.length === 0) {
        err(
          `${p}.roles`,
          "document.roles.none",
          roles.size === 0
            ? "Nobody signs this document: give the signers roles and choose which roles sign it."
            : "Choose at least one signer role that signs this document.",
        );
      }
      for (const r of docRoles) {
        if (!roles.has(r)) err(`${p}.roles`, "document.roles.unknown", `No signer has the role "${r}".`);
        const problem = roleProblem(r);
        if (problem) err(`${p}.roles`, "document.roles.invalid", problem);
      }
    } else if (docRoles.length > 0) {
      warn(`${p}.roles`, "document.roles.attachment", "This is an attachment: nobody signs it, so its roles are not used.");
    }
  });

  // Signers who sign nothing.
  const signedRoles = new Set(docs.filter((d) => isSignable(d)).flatMap((d) => d.roles ?? []));
  signers.forEach((s, i) => {
    const r = (s.role ?? "").trim();
    if (docs.length === 0) return;
    if (r === "") warn(`signers[${i}].role`, "signer.role.missing", "Without a role this signer signs no document.");
    else if (!signedRoles.has(r)) warn(`signers[${i}].role`, "signer.role.unused", `No document is signed by the role "${r}".`);
  });

  return issues;
}

function validateSigner(
  s: SignerDraft,
  i: number,
  now: number,
  err: (path: string, code: string, message: string) => void,
  warn: (path: string, code: string, message: string) => void,
  seenEmails: Map<string, number>,
  signOnMeeting: boolean,
): void {
  const p = `signers[${i}]`;
  if (blank(s.name)) err(`${p}.name`, "signer.name.required", "Give the signer a name.");
  if (blank(s.email)) {
    if (!signOnMeeting)
      warn(
        `${p}.email`,
        "signer.email.missing",
        "Without an email address this signer gets no signing request; share the signing link yourself.",
      );
  } else if (!isEmail(String(s.email))) {
    err(`${p}.email`, "signer.email.invalid", `"${String(s.email).trim()}" is not a valid email address.`);
  } else {
    const key = String(s.email).trim().toLowerCase();
    const first = seenEmails.get(key);
    if (first !== undefined) warn(`${p}.email`, "signer.email.duplicate", `Signer ${first + 1} has the same email address.`);
    else seenEmails.set(key, i);
  }
  const role = (s.role ?? "").trim();
  const problem = role === "" ? null : roleProblem(role);
  if (problem) err(`${p}.role`, "signer.role.invalid", problem);
  if (!isInt(s.signOrder) || s.signOrder < 0)
    err(`${p}.signOrder`, "signer.signOrder.invalid", "The signing order must be a whole number of 0 or more.");

  if (!blank(s.ssnType) && !(SSN_TYPES as readonly string[]).includes(String(s.ssnType)))
    err(`${p}.ssnType`, "signer.ssnType.unknown", `"${String(s.ssnType)}" is not a known ID type.`);
  if (!blank(s.language) && !isLanguage(s.language))
    err(`${p}.language`, "signer.language.unknown", `"${String(s.language)}" is not a language Penneo offers.`);
  if (!blank(s.emailFormat) && !(EMAIL_FORMATS as readonly string[]).includes(String(s.emailFormat)))
    err(`${p}.emailFormat`, "signer.emailFormat.unknown", "The email format must be text or HTML.");

  const methods = s.insecureSigningMethods ?? [];
  for (const m of methods) {
    if (!(INSECURE_SIGNING_METHODS as readonly string[]).includes(m))
      err(`${p}.insecureSigningMethods`, "signer.insecureSigningMethods.unknown", `"${m}" is not a simple signing method.`);
  }
  for (const m of s.secureSigningMethods ?? []) {
    if (!(SECURE_SIGNING_METHODS as readonly string[]).includes(m))
      err(`${p}.secureSigningMethods`, "signer.secureSigningMethods.unknown", `"${m}" is not an electronic ID Penneo offers.`);
  }
  if (s.enableInsecureSigning && methods.length === 0)
    warn(
      `${p}.insecureSigningMethods`,
      "signer.insecureSigningMethods.none",
      "Simple signing is on but no method is chosen: Penneo will offer its default methods.",
    );

  if (s.accessControl && blank(s.socialSecurityNumberPlain) && blank(s.vatin)) {
    warn(
      `${p}.accessControl`,
      "signer.accessControl.noId",
      "Access control needs the signer's national ID (or VAT number) to know who may open the casefile.",
    );
  }
  if (!blank(s.socialSecurityNumberPlain) && blank(s.ssnType))
    warn(`${p}.ssnType`, "signer.ssnType.missing", "Say which kind of national ID this is.");

  for (const key of SIGNER_EMAIL_TEXT_KEYS) {
    const v = s[key];
    if (!blank(v) && String(v).trim().length < LIMITS.emailTextMin) {
      err(
        `${p}.${key}`,
        `signer.${key}.tooShort`,
        `${SIGNER_TEXT_LABELS[key]} must be at least ${LIMITS.emailTextMin} characters, or left empty.`,
      );
    }
  }
  if (!blank(s.emailSubject) !== !blank(s.emailText)) {
    warn(
      `${p}.${blank(s.emailSubject) ? "emailSubject" : "emailText"}`,
      "signer.email.half",
      "Give both a subject and a text, or neither, for the personal email.",
    );
  }

  if (s.reminderInterval !== undefined && s.reminderInterval !== null) {
    if (!isInt(s.reminderInterval) || s.reminderInterval < LIMITS.reminderIntervalMin) {
      err(
        `${p}.reminderInterval`,
        "signer.reminderInterval.invalid",
        `Reminders go every whole number of days, ${LIMITS.reminderIntervalMin} or more.`,
      );
    }
  }

  for (const key of ["successUrl", "failUrl"] as const) {
    const v = s[key];
    if (blank(v)) continue;
    const t = String(v).trim();
    if (t.length < LIMITS.urlMin) err(`${p}.${key}`, `signer.${key}.tooShort`, `The address must be at least ${LIMITS.urlMin} characters.`);
    else if (!isHttpUrl(t)) err(`${p}.${key}`, `signer.${key}.invalid`, "Give a full web address starting with https://.");
  }

  if (s.activeAt !== undefined && s.activeAt !== null && !isInt(s.activeAt))
    err(`${p}.activeAt`, "signer.activeAt.invalid", "Not a valid time.");
  if (s.expireAt !== undefined && s.expireAt !== null) {
    if (!isInt(s.expireAt)) err(`${p}.expireAt`, "signer.expireAt.invalid", "Not a valid time.");
    else if (s.expireAt <= now) err(`${p}.expireAt`, "signer.expireAt.past", "The signer's deadline must be in the future.");
    else if (isInt(s.activeAt) && s.expireAt <= s.activeAt)
      err(`${p}.expireAt`, "signer.expireAt.beforeActive", "The deadline must come after the signer's request is activated.");
  }
}

/** Issues at exactly `path`. */
export function issuesAt(issues: readonly DraftIssue[], path: string): DraftIssue[] {
  return issues.filter((i) => i.path === path);
}

/** Issues at `path` or below it. */
export function issuesUnder(issues: readonly DraftIssue[], path: string): DraftIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(path + ".") || i.path.startsWith(path + "["));
}

export function hasErrors(issues: readonly DraftIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}
