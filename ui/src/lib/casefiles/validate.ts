// Checks on a casefile draft: everything the Send API would reject (penneo-api.md §4.1) is an
// "error" and blocks sending; things it accepts but that will not work as meant are "warning"s.
// Paths name the part at fault, like the forms validator: "title", "expireAt", "signers[1].email",
// "documents[0].roles", "ccRecipients[2].email". Indexes are array indexes of the draft. Messages
// are worded in the UI's language (ui/messages), the `code` is the same in every language.

import { rolesOf } from "./documents";
import { m } from "../i18n.svelte";
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

const SIGNER_TEXT_LABELS: Record<(typeof SIGNER_EMAIL_TEXT_KEYS)[number], () => string> = {
  emailSubject: m.casefiles_check_label_email_subject,
  emailText: m.casefiles_check_label_email_text,
  reminderEmailSubject: m.casefiles_check_label_reminder_subject,
  reminderEmailText: m.casefiles_check_label_reminder_text,
  completedEmailSubject: m.casefiles_check_label_completed_subject,
  completedEmailText: m.casefiles_check_label_completed_text,
};

export function validateDraft(draft: CasefileEditorDraft, options: ValidateOptions = {}): DraftIssue[] {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const issues: DraftIssue[] = [];
  const err = (path: string, code: string, message: string) => issues.push({ path, severity: "error", code, message });
  const warn = (path: string, code: string, message: string) => issues.push({ path, severity: "warning", code, message });

  // Casefile
  const title = (draft.title ?? "").trim();
  if (title === "") err("title", "title.required", m.casefiles_check_title_required());
  else if (title.length > LIMITS.titleMax)
    err("title", "title.tooLong", m.casefiles_check_title_too_long({ length: String(title.length), max: String(LIMITS.titleMax) }));

  if (!blank(draft.language) && !isLanguage(draft.language))
    err("language", "language.unknown", m.casefiles_check_language_unknown({ value: String(draft.language) }));

  if (!blank(draft.folderId) && !(isInt(draft.folderId) && draft.folderId >= 1))
    err("folderId", "folderId.invalid", m.casefiles_check_folder_invalid());

  if (draft.visibilityMode !== undefined && draft.visibilityMode !== null && draft.visibilityMode !== 0 && draft.visibilityMode !== 1) {
    err("visibilityMode", "visibilityMode.invalid", m.casefiles_check_visibility_invalid());
  }

  if (!blank(draft.senderName)) {
    const n = String(draft.senderName).trim().length;
    if (n < LIMITS.senderNameMin || n > LIMITS.senderNameMax) {
      err(
        "senderName",
        "senderName.length",
        m.casefiles_check_sender_name_length({ min: String(LIMITS.senderNameMin), max: String(LIMITS.senderNameMax) }),
      );
    }
  }

  const sendAt = draft.sendAt ?? null;
  const expireAt = draft.expireAt ?? null;
  if (sendAt !== null && !isInt(sendAt)) err("sendAt", "sendAt.invalid", m.casefiles_check_send_at_invalid());
  else if (sendAt !== null && sendAt < now) warn("sendAt", "sendAt.past", m.casefiles_check_send_at_past());
  if (expireAt !== null) {
    if (!isInt(expireAt)) err("expireAt", "expireAt.invalid", m.casefiles_check_expire_at_invalid());
    else if (expireAt <= now) err("expireAt", "expireAt.past", m.casefiles_check_expire_at_past());
    else if (sendAt !== null && isInt(sendAt) && expireAt <= sendAt)
      err("expireAt", "expireAt.beforeSend", m.casefiles_check_expire_before_send());
  }

  (draft.ccRecipients ?? []).forEach((cc, i) => {
    const p = `ccRecipients[${i}]`;
    if (blank(cc.name)) err(`${p}.name`, "cc.name.required", m.casefiles_check_cc_name_required());
    if (blank(cc.email)) err(`${p}.email`, "cc.email.required", m.casefiles_check_cc_email_required());
    else if (!isEmail(cc.email)) err(`${p}.email`, "cc.email.invalid", m.casefiles_check_email_invalid({ value: cc.email.trim() }));
  });

  // Signers
  const signers = draft.signers ?? [];
  if (signers.length === 0) err("signers", "signers.required", m.casefiles_check_signers_required());
  const seenEmails = new Map<string, number>();
  signers.forEach((s, i) => validateSigner(s, i, now, err, warn, seenEmails, draft.signOnMeeting === true));

  // Documents
  const docs = draft.documents ?? [];
  const roles = new Set(rolesOf(signers));
  if (docs.length === 0) err("documents", "documents.required", m.casefiles_check_documents_required());
  else if (!docs.some((d) => isSignable(d))) err("documents", "documents.noneSignable", m.casefiles_check_documents_none_signable());

  const names = new Map<string, number>();
  const orders = new Map<number, number>();
  docs.forEach((d, i) => {
    const p = `documents[${i}]`;
    const t = (d.title ?? "").trim();
    if (t === "") err(`${p}.title`, "document.title.required", m.casefiles_check_document_title_required());
    else if (t.length > LIMITS.titleMax)
      err(
        `${p}.title`,
        "document.title.tooLong",
        m.casefiles_check_title_too_long({ length: String(t.length), max: String(LIMITS.titleMax) }),
      );

    const name = d.name ?? "";
    if (name.trim() === "") err(`${p}.name`, "document.name.required", m.casefiles_check_document_name_required());
    else {
      const first = names.get(name);
      if (first !== undefined)
        err(`${p}.name`, "document.name.duplicate", m.casefiles_check_document_name_duplicate({ name, number: String(first + 1) }));
      else names.set(name, i);
      if (d.source && d.source.fileName !== name)
        err(`${p}.name`, "document.name.mismatch", m.casefiles_check_document_name_mismatch({ fileName: d.source.fileName }));
    }
    if (options.requireFiles && !d.source?.path)
      err(`${p}.name`, "document.file.missing", m.casefiles_check_document_file_missing({ name: name || t }));

    if (d.documentOrder !== undefined && d.documentOrder !== null) {
      if (!isInt(d.documentOrder) || d.documentOrder < 0)
        err(`${p}.documentOrder`, "document.order.invalid", m.casefiles_check_document_order_invalid());
      else {
        const firstAt = orders.get(d.documentOrder);
        if (firstAt !== undefined)
          warn(
            `${p}.documentOrder`,
            "document.order.duplicate",
            m.casefiles_check_document_order_duplicate({ number: String(firstAt + 1) }),
          );
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
          roles.size === 0 ? m.casefiles_check_document_roles_nobody() : m.casefiles_check_document_roles_none(),
        );
      }
      for (const r of docRoles) {
        if (!roles.has(r)) err(`${p}.roles`, "document.roles.unknown", m.casefiles_check_document_role_unknown({ role: r }));
        const problem = roleProblem(r);
        if (problem) err(`${p}.roles`, "document.roles.invalid", problem);
      }
    } else if (docRoles.length > 0) {
      warn(`${p}.roles`, "document.roles.attachment", m.casefiles_check_document_roles_attachment());
    }
  });

  // Signers who sign nothing.
  const signedRoles = new Set(docs.filter((d) => isSignable(d)).flatMap((d) => d.roles ?? []));
  signers.forEach((s, i) => {
    const r = (s.role ?? "").trim();
    if (docs.length === 0) return;
    if (r === "") warn(`signers[${i}].role`, "signer.role.missing", m.casefiles_check_signer_role_missing());
    else if (!signedRoles.has(r)) warn(`signers[${i}].role`, "signer.role.unused", m.casefiles_check_signer_role_unused({ role: r }));
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
  if (blank(s.name)) err(`${p}.name`, "signer.name.required", m.casefiles_check_signer_name_required());
  if (blank(s.email)) {
    if (!signOnMeeting) warn(`${p}.email`, "signer.email.missing", m.casefiles_check_signer_email_missing());
  } else if (!isEmail(String(s.email))) {
    err(`${p}.email`, "signer.email.invalid", m.casefiles_check_email_invalid({ value: String(s.email).trim() }));
  } else {
    const key = String(s.email).trim().toLowerCase();
    const first = seenEmails.get(key);
    if (first !== undefined)
      warn(`${p}.email`, "signer.email.duplicate", m.casefiles_check_signer_email_duplicate({ number: String(first + 1) }));
    else seenEmails.set(key, i);
  }
  const role = (s.role ?? "").trim();
  const problem = role === "" ? null : roleProblem(role);
  if (problem) err(`${p}.role`, "signer.role.invalid", problem);
  if (!isInt(s.signOrder) || s.signOrder < 0) err(`${p}.signOrder`, "signer.signOrder.invalid", m.casefiles_check_signer_order_invalid());

  if (!blank(s.ssnType) && !(SSN_TYPES as readonly string[]).includes(String(s.ssnType)))
    err(`${p}.ssnType`, "signer.ssnType.unknown", m.casefiles_check_ssn_type_unknown({ value: String(s.ssnType) }));
  if (!blank(s.language) && !isLanguage(s.language))
    err(`${p}.language`, "signer.language.unknown", m.casefiles_check_language_unknown({ value: String(s.language) }));
  if (!blank(s.emailFormat) && !(EMAIL_FORMATS as readonly string[]).includes(String(s.emailFormat)))
    err(`${p}.emailFormat`, "signer.emailFormat.unknown", m.casefiles_check_email_format_unknown());

  const methods = s.insecureSigningMethods ?? [];
  for (const method of methods) {
    if (!(INSECURE_SIGNING_METHODS as readonly string[]).includes(method))
      err(
        `${p}.insecureSigningMethods`,
        "signer.insecureSigningMethods.unknown",
        m.casefiles_check_insecure_method_unknown({ value: method }),
      );
  }
  for (const method of s.secureSigningMethods ?? []) {
    if (!(SECURE_SIGNING_METHODS as readonly string[]).includes(method))
      err(`${p}.secureSigningMethods`, "signer.secureSigningMethods.unknown", m.casefiles_check_secure_method_unknown({ value: method }));
  }
  if (s.enableInsecureSigning && methods.length === 0)
    warn(`${p}.insecureSigningMethods`, "signer.insecureSigningMethods.none", m.casefiles_check_insecure_methods_none());

  if (s.accessControl && blank(s.socialSecurityNumberPlain) && blank(s.vatin)) {
    warn(`${p}.accessControl`, "signer.accessControl.noId", m.casefiles_check_access_control_no_id());
  }
  if (!blank(s.socialSecurityNumberPlain) && blank(s.ssnType))
    warn(`${p}.ssnType`, "signer.ssnType.missing", m.casefiles_check_ssn_type_missing());

  for (const key of SIGNER_EMAIL_TEXT_KEYS) {
    const v = s[key];
    if (!blank(v) && String(v).trim().length < LIMITS.emailTextMin) {
      err(
        `${p}.${key}`,
        `signer.${key}.tooShort`,
        m.casefiles_check_email_text_too_short({ what: SIGNER_TEXT_LABELS[key](), min: String(LIMITS.emailTextMin) }),
      );
    }
  }
  if (!blank(s.emailSubject) !== !blank(s.emailText)) {
    warn(`${p}.${blank(s.emailSubject) ? "emailSubject" : "emailText"}`, "signer.email.half", m.casefiles_check_email_half());
  }

  if (s.reminderInterval !== undefined && s.reminderInterval !== null) {
    if (!isInt(s.reminderInterval) || s.reminderInterval < LIMITS.reminderIntervalMin) {
      err(
        `${p}.reminderInterval`,
        "signer.reminderInterval.invalid",
        m.casefiles_check_reminder_interval_invalid({ min: String(LIMITS.reminderIntervalMin) }),
      );
    }
  }

  for (const key of ["successUrl", "failUrl"] as const) {
    const v = s[key];
    if (blank(v)) continue;
    const t = String(v).trim();
    if (t.length < LIMITS.urlMin)
      err(`${p}.${key}`, `signer.${key}.tooShort`, m.casefiles_check_url_too_short({ min: String(LIMITS.urlMin) }));
    else if (!isHttpUrl(t)) err(`${p}.${key}`, `signer.${key}.invalid`, m.casefiles_check_url_invalid());
  }

  if (s.activeAt !== undefined && s.activeAt !== null && !isInt(s.activeAt))
    err(`${p}.activeAt`, "signer.activeAt.invalid", m.casefiles_check_time_invalid());
  if (s.expireAt !== undefined && s.expireAt !== null) {
    if (!isInt(s.expireAt)) err(`${p}.expireAt`, "signer.expireAt.invalid", m.casefiles_check_time_invalid());
    else if (s.expireAt <= now) err(`${p}.expireAt`, "signer.expireAt.past", m.casefiles_check_signer_expire_past());
    else if (isInt(s.activeAt) && s.expireAt <= s.activeAt)
      err(`${p}.expireAt`, "signer.expireAt.beforeActive", m.casefiles_check_signer_expire_before_active());
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
