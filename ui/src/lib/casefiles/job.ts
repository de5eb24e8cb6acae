// The send of one casefile as a sequence of steps, driven by progress events from the backend:
//
//   queued → uploading(bytes, files) → uploaded → processing → created
//                                                            ↘ failed | stopped
//
// `reduceSend(state, event)` is a pure reducer. It never goes backwards (a late upload event after
// the job was accepted is ignored; byte counts only grow), ignores anything after `created` or
// `failed`, and lets a `stopped` send resume (the app was closed mid-way and reopened).

import { m } from "../i18n.svelte";

export type JobStatus = "pending" | "processing" | "completed" | "failed" | "aborted_duplicated";

export interface SigningLink {
  name: string;
  role?: string | null;
  signingLink: string;
}

export interface JobRef {
  uuid: string;
  payloadHash: string;
}

export type SendEvent =
  | { kind: "queued" }
  | { kind: "uploadStarted"; bytesTotal: number; filesTotal: number }
  | { kind: "uploadProgress"; bytesSent: number; filesSent: number }
  | { kind: "uploaded"; job: JobRef }
  | {
      kind: "jobStatus";
      jobStatus: JobStatus | (string & {});
      errorMessage?: string | null;
      casefileId?: number | null;
      signingLinks?: SigningLink[] | null;
    }
  | { kind: "failed"; code: string; message: string; retryable?: boolean }
  | { kind: "stopped"; reason: string }
  | { kind: "resumed" };

export interface UploadProgress {
  bytesSent: number;
  bytesTotal: number;
  filesSent: number;
  filesTotal: number;
}

export type SendPhase = "queued" | "uploading" | "uploaded" | "processing" | "created" | "failed" | "stopped";

export type SendState =
  | { phase: "queued" }
  | ({ phase: "uploading" } & UploadProgress)
  | { phase: "uploaded"; job: JobRef; upload: UploadProgress | null }
  | { phase: "processing"; job: JobRef | null; upload: UploadProgress | null }
  | { phase: "created"; casefileId: number; signingLinks: SigningLink[]; job: JobRef | null }
  | { phase: "failed"; code: string; message: string; retryable: boolean; during: SendPhase; job: JobRef | null }
  | { phase: "stopped"; reason: string; during: SendPhase; resumeFrom: Exclude<SendState, { phase: "stopped" | "failed" | "created" }> };

export const INITIAL_SEND_STATE: SendState = { phase: "queued" };

export function isFinished(state: SendState): state is Extract<SendState, { phase: "created" | "failed" }> {
  return state.phase === "created" || state.phase === "failed";
}

function jobOf(state: SendState): JobRef | null {
  switch (state.phase) {
    case "uploaded":
    case "processing":
    case "created":
    case "failed":
      return state.job;
    case "stopped":
      return jobOf(state.resumeFrom);
    default:
      return null;
  }
}

function uploadOf(state: SendState): UploadProgress | null {
  if (state.phase === "uploading") {
    const { bytesSent, bytesTotal, filesSent, filesTotal } = state;
    return { bytesSent, bytesTotal, filesSent, filesTotal };
  }
  if (state.phase === "uploaded" || state.phase === "processing") return state.upload;
  return null;
}

const clamp = (v: number, max: number) => Math.max(0, Math.min(Number.isFinite(v) ? v : 0, Math.max(0, max)));

export function reduceSend(state: SendState, event: SendEvent): SendState {
  if (isFinished(state)) return state;

  if (state.phase === "stopped") {
    if (event.kind === "resumed") return state.resumeFrom;
    if (event.kind === "failed") return failed(state.resumeFrom, event.code, event.message, event.retryable ?? false);
    // A stopped send shows nothing new until it resumes, except a final job status (the job kept
    // running on Penneo's side while the app was closed).
    if (event.kind === "jobStatus") return reduceSend(state.resumeFrom, event);
    return state;
  }

  switch (event.kind) {
    case "queued":
      return state;
    case "resumed":
      return state;
    case "uploadStarted":
      if (state.phase !== "queued" && state.phase !== "uploading") return state;
      return {
        phase: "uploading",
        bytesTotal: Math.max(0, event.bytesTotal),
        filesTotal: Math.max(0, event.filesTotal),
        bytesSent: 0,
        filesSent: 0,
      };
    case "uploadProgress": {
      if (state.phase !== "uploading") return state;
      return {
        ...state,
        bytesSent: Math.max(state.bytesSent, clamp(event.bytesSent, state.bytesTotal)),
        filesSent: Math.max(state.filesSent, clamp(event.filesSent, state.filesTotal)),
      };
    }
    case "uploaded": {
      if (state.phase !== "queued" && state.phase !== "uploading") return state;
      const upload = uploadOf(state);
      return {
        phase: "uploaded",
        job: event.job,
        upload: upload ? { ...upload, bytesSent: upload.bytesTotal, filesSent: upload.filesTotal } : null,
      };
    }
    case "jobStatus":
      return onJobStatus(state, event);
    case "failed":
      return failed(state, event.code, event.message, event.retryable ?? false);
    case "stopped":
      return { phase: "stopped", reason: event.reason, during: state.phase, resumeFrom: state };
  }
}

function failed(state: Exclude<SendState, { phase: "stopped" }>, code: string, message: string, retryable: boolean): SendState {
  return { phase: "failed", code, message, retryable, during: state.phase, job: jobOf(state) };
}

function onJobStatus(
  state: Exclude<SendState, { phase: "stopped" | "created" | "failed" }>,
  event: Extract<SendEvent, { kind: "jobStatus" }>,
): SendState {
  const job = jobOf(state);
  switch (event.jobStatus) {
    case "pending":
      // Accepted by Penneo, waiting in its queue.
      if (state.phase === "queued" || state.phase === "uploading")
        return { phase: "uploaded", job: job ?? { uuid: "", payloadHash: "" }, upload: uploadOf(state) };
      return state;
    case "processing":
      return { phase: "processing", job, upload: uploadOf(state) };
    case "completed":
      if (typeof event.casefileId !== "number") {
        return failed(state, "no_casefile_id", "Penneo reported the job as completed but gave no casefile id.", false);
      }
      return { phase: "created", casefileId: event.casefileId, signingLinks: event.signingLinks ?? [], job };
    case "failed":
      return failed(state, "job_failed", event.errorMessage?.trim() || "Penneo could not create the casefile.", false);
    case "aborted_duplicated":
      return failed(
        state,
        "duplicate",
        "Penneo stopped this send because the same casefile was already sent; look for it in the list before sending again.",
        false,
      );
    default:
      return state;
  }
}

export type StepStatus = "done" | "current" | "todo" | "failed";

export interface SendStep {
  key: "queued" | "uploading" | "uploaded" | "processing" | "created";
  label: string;
  status: StepStatus;
}

const STEP_KEYS = ["queued", "uploading", "uploaded", "processing", "created"] as const;
/** Each step's label, worded when asked for (so it follows the UI language). */
const STEP_LABELS: Record<SendStep["key"], () => string> = {
  queued: () => m.casefiles_send_step_queued(),
  uploading: () => m.casefiles_send_step_uploading(),
  uploaded: () => m.casefiles_send_step_uploaded(),
  processing: () => m.casefiles_send_step_processing(),
  created: () => m.casefiles_send_step_created(),
};

/** The five steps with their status, for a stepper. */
export function sendSteps(state: SendState): SendStep[] {
  let at: number;
  let mark: StepStatus = "current";
  if (state.phase === "failed") {
    at = STEP_KEYS.indexOf(state.during as SendStep["key"]);
    mark = "failed";
  } else if (state.phase === "stopped") {
    at = STEP_KEYS.indexOf(state.during as SendStep["key"]);
  } else {
    at = STEP_KEYS.indexOf(state.phase);
  }
  if (at < 0) at = 0;
  return STEP_KEYS.map((key, i) => ({
    key,
    label: STEP_LABELS[key](),
    status: state.phase === "created" || i < at ? "done" : i === at ? mark : "todo",
  }));
}

/** Upload fraction 0..1 while uploading; 1 once uploaded; null before. */
export function uploadFraction(state: SendState): number | null {
  const s = state.phase === "stopped" ? state.resumeFrom : state;
  if (s.phase === "uploading") return s.bytesTotal > 0 ? s.bytesSent / s.bytesTotal : 0;
  if (s.phase === "uploaded" || s.phase === "processing" || s.phase === "created") return 1;
  return null;
}

/** One line for the user about the current state, in the UI's language. */
export function describeSend(state: SendState): string {
  switch (state.phase) {
    case "queued":
      return m.casefiles_send_phase_queued();
    case "uploading":
      if (state.filesTotal > 0 && state.filesSent >= state.filesTotal) return m.casefiles_send_phase_uploading_done();
      return m.casefiles_send_phase_uploading({
        file: String(Math.min(state.filesSent + 1, Math.max(1, state.filesTotal))),
        total: String(state.filesTotal),
      });
    case "uploaded":
      return m.casefiles_send_phase_uploaded();
    case "processing":
      return m.casefiles_send_phase_processing();
    case "created":
      return m.casefiles_send_phase_created({ id: String(state.casefileId) });
    case "failed":
      return state.message;
    case "stopped":
      return m.casefiles_send_phase_paused({ reason: state.reason });
  }
}
