// Casefile and signer statuses as the user sees them: a label, a tone for the chip, whether the
// casefile can still change, and a sentence about what happens next. Unknown codes are shown as
// such rather than breaking the page (Penneo adds codes; see penneo-api.md §5.2).

import type { SignerState } from "../bindings";
import { m } from "../i18n.svelte";

export type Tone = "neutral" | "info" | "progress" | "success" | "warning" | "danger";

export interface CasefileStatusInfo {
  code: number;
  key: string;
  label: string;
  tone: Tone;
  /** True when the casefile will not change any more. */
  terminal: boolean;
  /** What happens next, for the detail view. */
  next: string;
}

/** A status whose label and sentence are worded when read (they follow a language change). */
function status(code: number, key: string, tone: Tone, terminal: boolean, label: () => string, next: () => string): CasefileStatusInfo {
  return {
    code,
    key,
    tone,
    terminal,
    get label() {
      return label();
    },
    get next() {
      return next();
    },
  };
}

export const CASEFILE_STATUSES: readonly CasefileStatusInfo[] = [
  status(0, "new", "neutral", false, m.casefiles_status_new, m.casefiles_status_new_next),
  status(1, "pending", "progress", false, m.casefiles_status_pending, m.casefiles_status_pending_next),
  status(2, "rejected", "danger", true, m.casefiles_status_rejected, m.casefiles_status_rejected_next),
  status(3, "deleted", "neutral", true, m.casefiles_status_deleted, m.casefiles_status_deleted_next),
  status(4, "signed", "info", false, m.casefiles_status_signed, m.casefiles_status_signed_next),
  status(5, "completed", "success", true, m.casefiles_status_completed, m.casefiles_status_completed_next),
  status(6, "failed", "danger", true, m.casefiles_status_failed, m.casefiles_status_failed_next),
  status(7, "expired", "warning", true, m.casefiles_status_expired, m.casefiles_status_expired_next),
  status(8, "anonymized", "neutral", true, m.casefiles_status_anonymized, m.casefiles_status_anonymized_next),
];

export function casefileStatus(code: number | null | undefined): CasefileStatusInfo {
  const known = CASEFILE_STATUSES.find((s) => s.code === code);
  if (known) return known;
  const shown = code === null || code === undefined ? "?" : String(code);
  return {
    code: typeof code === "number" ? code : -1,
    key: "unknown",
    label: m.casefiles_status_unknown({ code: shown }),
    tone: "neutral",
    terminal: false,
    next: m.casefiles_status_unknown_next(),
  };
}

/** Where a signer is, in plain words; the numbers follow Penneo's Postman collection (§5.2). */
export type SignerStage = "sent" | "opened" | "signed" | "rejected" | "undeliverable" | "deleted" | "waiting" | "unknown";

export interface SignerStatusInfo {
  stage: SignerStage;
  label: string;
  tone: Tone;
}

/** A signer stage whose label is worded when read (it follows a language change). */
function stageInfo(stage: SignerStage, tone: Tone, label: () => string): SignerStatusInfo {
  return {
    stage,
    tone,
    get label() {
      return label();
    },
  };
}

const SIGNER_STAGES: Record<SignerStage, SignerStatusInfo> = {
  waiting: stageInfo("waiting", "neutral", m.casefiles_signer_waiting),
  sent: stageInfo("sent", "progress", m.casefiles_signer_sent),
  opened: stageInfo("opened", "info", m.casefiles_signer_opened),
  signed: stageInfo("signed", "success", m.casefiles_signer_signed),
  rejected: stageInfo("rejected", "danger", m.casefiles_signer_rejected),
  undeliverable: stageInfo("undeliverable", "warning", m.casefiles_signer_undeliverable),
  deleted: stageInfo("deleted", "neutral", m.casefiles_signer_deleted),
  unknown: stageInfo("unknown", "neutral", m.casefiles_signer_unknown),
};

const SIGNER_CODES: Record<number, SignerStage> = {
  0: "sent",
  1: "opened",
  2: "opened",
  3: "signed",
  4: "rejected",
  6: "undeliverable",
  8: "signed",
  9: "deleted",
};

/**
 * A signer status from Penneo's numeric code or from the backend's word for it ("sent", "opened",
 * "signed", "rejected", "undeliverable", "deleted", "waiting"). Anything else is "unknown", with
 * the raw value in the label.
 */
export function signerStatus(status: number | string | null | undefined): SignerStatusInfo {
  let stage: SignerStage | undefined;
  if (typeof status === "number") stage = SIGNER_CODES[status];
  else if (typeof status === "string") {
    const s = status.trim().toLowerCase();
    stage = Object.prototype.hasOwnProperty.call(SIGNER_STAGES, s) ? (s as SignerStage) : undefined;
    if (stage === "unknown") stage = undefined;
  }
  if (stage) return SIGNER_STAGES[stage];
  const raw = status === null || status === undefined || status === "" ? "" : String(status);
  return { ...SIGNER_STAGES.unknown, label: raw ? m.casefiles_signer_unknown_code({ code: raw }) : m.casefiles_signer_unknown() };
}

/** The backend's meaning of a signer's status, once the account's numbering is known. */
const SIGNER_STATUS_STAGES: Record<SignerState, SignerStage> = {
  new: "waiting",
  sent: "sent",
  requestOpened: "opened",
  opened: "opened",
  signed: "signed",
  rejected: "rejected",
  deleted: "deleted",
  undeliverable: "undeliverable",
  unknown: "unknown",
};

/**
 * A cached signer's status. Penneo's sources number signer statuses two ways, so the backend
 * gives a meaning (`status`) only once it has learned the account's numbering; until then this
 * is a neutral "Status code N" — never a guess.
 */
export function signerRecordStatus(s: { status?: SignerState | null; statusCode?: number | null }): SignerStatusInfo {
  if (s.status !== null && s.status !== undefined) {
    const stage = SIGNER_STATUS_STAGES[s.status];
    if (stage === "unknown") {
      const raw = s.statusCode === null || s.statusCode === undefined ? "" : String(s.statusCode);
      return { ...SIGNER_STAGES.unknown, label: raw ? m.casefiles_signer_unknown_code({ code: raw }) : m.casefiles_signer_unknown() };
    }
    return SIGNER_STAGES[stage];
  }
  if (s.statusCode === null || s.statusCode === undefined) return { ...SIGNER_STAGES.unknown, label: m.casefiles_signer_no_status() };
  return { ...SIGNER_STAGES.unknown, label: m.casefiles_signer_status_code({ code: String(s.statusCode) }) };
}
