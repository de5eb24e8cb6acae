// Casefile and signer statuses as the user sees them: a label, a tone for the chip, whether the
// casefile can still change, and a sentence about what happens next. Unknown codes are shown as
// such rather than breaking the page (Penneo adds codes; see penneo-api.md §5.2).

import type { SignerState } from "../bindings";

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

export const CASEFILE_STATUSES: readonly CasefileStatusInfo[] = [
  { code: 0, key: "new", label: "Draft", tone: "neutral", terminal: false, next: "Not sent yet. Nothing happens until it is sent." },
  {
    code: 1,
    key: "pending",
    label: "Out for signing",
    tone: "progress",
    terminal: false,
    next: "Waiting for the signers. Each one gets a request when it is their turn in the signing order.",
  },
  {
    code: 2,
    key: "rejected",
    label: "Rejected",
    tone: "danger",
    terminal: true,
    next: "A signer rejected it. Nobody else can sign; send a new casefile if the documents change.",
  },
  {
    code: 3,
    key: "deleted",
    label: "Deleted",
    tone: "neutral",
    terminal: true,
    next: "It was deleted after sending. Signers can no longer open it.",
  },
  {
    code: 4,
    key: "signed",
    label: "Signed",
    tone: "info",
    terminal: false,
    next: "Everyone has signed. Penneo is sealing the documents; they can be downloaded when it is completed.",
  },
  {
    code: 5,
    key: "completed",
    label: "Completed",
    tone: "success",
    terminal: true,
    next: "Finished. The signed documents are ready to download.",
  },
  {
    code: 6,
    key: "failed",
    label: "Failed",
    tone: "danger",
    terminal: true,
    next: "Penneo could not process it (invalid input or a system error). Check it and send it again.",
  },
  {
    code: 7,
    key: "expired",
    label: "Expired",
    tone: "warning",
    terminal: true,
    next: "The deadline passed before everyone signed. Send it again with a later expiry date if it is still needed.",
  },
  {
    code: 8,
    key: "anonymized",
    label: "Anonymized",
    tone: "neutral",
    terminal: true,
    next: "Its personal data was removed. Only its outline remains.",
  },
];

export function casefileStatus(code: number | null | undefined): CasefileStatusInfo {
  const known = CASEFILE_STATUSES.find((s) => s.code === code);
  if (known) return known;
  const shown = code === null || code === undefined ? "unknown" : String(code);
  return {
    code: typeof code === "number" ? code : -1,
    key: "unknown",
    label: `Unknown status (${shown})`,
    tone: "neutral",
    terminal: false,
    next: "This app does not know this status yet. Penneo's web app shows what it means.",
  };
}

/** Where a signer is, in plain words; the numbers follow Penneo's Postman collection (§5.2). */
export type SignerStage = "sent" | "opened" | "signed" | "rejected" | "undeliverable" | "deleted" | "waiting" | "unknown";

export interface SignerStatusInfo {
  stage: SignerStage;
  label: string;
  tone: Tone;
}

const SIGNER_STAGES: Record<SignerStage, SignerStatusInfo> = {
  waiting: { stage: "waiting", label: "Waiting for earlier signers", tone: "neutral" },
  sent: { stage: "sent", label: "Request sent", tone: "progress" },
  opened: { stage: "opened", label: "Opened", tone: "info" },
  signed: { stage: "signed", label: "Signed", tone: "success" },
  rejected: { stage: "rejected", label: "Rejected", tone: "danger" },
  undeliverable: { stage: "undeliverable", label: "Email undeliverable", tone: "warning" },
  deleted: { stage: "deleted", label: "Removed", tone: "neutral" },
  unknown: { stage: "unknown", label: "Unknown", tone: "neutral" },
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
  const raw = status === null || status === undefined || status === "" ? "" : ` (${String(status)})`;
  return { ...SIGNER_STAGES.unknown, label: `Unknown${raw}` };
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
      const raw = s.statusCode === null || s.statusCode === undefined ? "" : ` (${s.statusCode})`;
      return { ...SIGNER_STAGES.unknown, label: `Unknown${raw}` };
    }
    return SIGNER_STAGES[stage];
  }
  if (s.statusCode === null || s.statusCode === undefined) return { ...SIGNER_STAGES.unknown, label: "No status yet" };
  return { ...SIGNER_STAGES.unknown, label: `Status code ${s.statusCode}` };
}
