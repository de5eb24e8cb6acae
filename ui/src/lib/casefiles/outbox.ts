// The send queue (the backend's outbox) as the UI shows it. Each entry is followed through the
// backend's news (`DeskEvent`): state changes, upload progress and the job's status. No DOM here.
//
//   outbox:  queued → uploading → sent(job) → created(casefile) → tracking → done | stopped
//   view:    queued → uploading(bytes, files) → uploaded → processing → created | failed(stopped)
//
// `applyDeskEvent` is a pure reducer over one entry's view; `sendStateOf` turns a view into the
// `SendState` that `SendProgress` draws (see job.ts).

import type { DeskEvent, OutboxEntry, OutboxResult, OutboxState } from "../bindings";
import { m } from "../i18n.svelte";
import type { JobRef, SendPhase, SendState, SigningLink } from "./job";
import { outboxNoteText } from "./outboxNote";

export interface UploadSoFar {
  bytesSent: number;
  totalBytes: number;
}

export interface SendView {
  entry: OutboxEntry;
  /** Bytes of the current upload attempt; null before the first progress report. */
  upload: UploadSoFar | null;
  /** The job's status as last polled ("pending", "processing", …). */
  jobStatus: string | null;
}

export function viewOf(entry: OutboxEntry): SendView {
  return { entry, upload: null, jobStatus: null };
}

/** The entry a backend event is about, if it is about a send. */
export function entryIdOf(ev: DeskEvent): string | null {
  switch (ev.type) {
    case "outboxChanged":
    case "uploadProgress":
    case "jobStatus":
      return ev.entryId;
    default:
      return null;
  }
}

/**
 * One event applied to a send's view. Events about other entries change nothing. A new upload
 * attempt (the state moves to `uploading` from elsewhere) starts the byte count again; within an
 * attempt the count only grows.
 */
export function applyDeskEvent(view: SendView, ev: DeskEvent): SendView {
  if (entryIdOf(ev) !== view.entry.id) return view;
  switch (ev.type) {
    case "outboxChanged": {
      // News older than what the view shows (it came the other way round, or a read raced it)
      // never takes a send back a step.
      if (isOlder(ev.updatedAt, view.entry.updatedAt)) return view;
      const entry: OutboxEntry = {
        ...view.entry,
        state: ev.state,
        message: ev.message,
        note: ev.note,
        casefileId: ev.casefileId ?? view.entry.casefileId,
        updatedAt: ev.updatedAt,
      };
      const newAttempt = ev.state === "uploading" && view.entry.state !== "uploading";
      const leftUpload = ev.state === "queued";
      return {
        entry,
        upload: newAttempt || leftUpload ? null : view.upload,
        jobStatus: ev.state === "queued" || newAttempt ? null : view.jobStatus,
      };
    }
    case "uploadProgress": {
      const total = Math.max(0, ev.totalBytes);
      const sent = Math.max(0, Math.min(ev.bytesSent, total));
      const before = view.upload && view.upload.totalBytes === total ? view.upload.bytesSent : 0;
      const entry = view.entry.state === "queued" ? { ...view.entry, state: "uploading" as const } : view.entry;
      return { ...view, entry, upload: { bytesSent: Math.max(before, sent), totalBytes: total } };
    }
    case "jobStatus":
      return { ...view, jobStatus: ev.status, entry: { ...view.entry, jobUuid: view.entry.jobUuid ?? ev.jobUuid } };
    default:
      return view;
  }
}

/**
 * True when stamp `a` is older than `b`. The backend stamps every change of an entry with a
 * fixed-width UTC time (microseconds), so the strings compare in time order.
 */
export function isOlder(a: string, b: string): boolean {
  return a !== "" && b !== "" && a < b;
}

/** The total size of the files of a send. */
export function totalBytesOf(entry: Pick<OutboxEntry, "files">): number {
  return entry.files.reduce((n, f) => n + Math.max(0, f.size), 0);
}

/**
 * How many whole files are uploaded after `bytesSent` bytes, the files going in their order
 * (the multipart body holds them one after another).
 */
export function filesSentOf(sizes: readonly number[], bytesSent: number): number {
  let acc = 0;
  let n = 0;
  for (const s of sizes) {
    acc += Math.max(0, s);
    if (bytesSent >= acc) n++;
    else break;
  }
  return n;
}

/** The signing links Penneo gave with the finished job (`result.signingLinks`), when it did. */
export function signingLinksOf(result: OutboxResult | null | undefined): SigningLink[] {
  const out: SigningLink[] = [];
  for (const l of result?.signingLinks ?? []) {
    if (l.signingLink === "") continue;
    out.push({
      name: l.name?.trim() ? l.name : m.casefiles_signer(),
      role: l.role?.trim() ? l.role : null,
      signingLink: l.signingLink,
    });
  }
  return out;
}

function jobRefOf(entry: OutboxEntry): JobRef | null {
  return entry.jobUuid ? { uuid: entry.jobUuid, payloadHash: entry.payloadHash ?? "" } : null;
}

const CREATED: readonly OutboxState[] = ["created", "tracking", "done"];

/** True once Penneo has made the casefile (the draft can go). */
export function isCreated(entry: Pick<OutboxEntry, "state" | "casefileId">): boolean {
  return CREATED.includes(entry.state) && entry.casefileId !== null;
}

/** True while the send is still on its way to a casefile. */
export function isInFlight(entry: Pick<OutboxEntry, "state">): boolean {
  return entry.state === "queued" || entry.state === "uploading" || entry.state === "sent";
}

/** Where a stopped send stopped, for the stepper. */
function stoppedDuring(entry: OutboxEntry): SendPhase {
  if (entry.jobUuid) return "processing";
  return entry.attempts > 0 ? "uploading" : "queued";
}

/** The send as the stepper and the upload bar show it. */
export function sendStateOf(view: SendView): SendState {
  const { entry } = view;
  const job = jobRefOf(entry);
  const totalBytes = view.upload?.totalBytes || totalBytesOf(entry);
  const full = { bytesSent: totalBytes, bytesTotal: totalBytes, filesSent: entry.files.length, filesTotal: entry.files.length };
  switch (entry.state) {
    case "queued":
      return { phase: "queued" };
    case "uploading": {
      const bytesSent = view.upload?.bytesSent ?? 0;
      return {
        phase: "uploading",
        bytesSent,
        bytesTotal: totalBytes,
        filesSent: filesSentOf(
          entry.files.map((f) => f.size),
          bytesSent,
        ),
        filesTotal: entry.files.length,
      };
    }
    case "sent":
      if (view.jobStatus === "processing") return { phase: "processing", job, upload: full };
      return { phase: "uploaded", job: job ?? { uuid: "", payloadHash: "" }, upload: full };
    case "created":
    case "tracking":
    case "done":
      if (entry.casefileId !== null)
        return { phase: "created", casefileId: entry.casefileId, signingLinks: signingLinksOf(entry.result), job };
      return { phase: "processing", job, upload: full };
    case "stopped":
      return {
        phase: "failed",
        code: "stopped",
        message: outboxNoteText(entry.note, entry.message) ?? m.outbox_note_stopped(),
        retryable: true,
        during: stoppedDuring(entry),
        job,
      };
  }
}

/**
 * A note under the stepper: what the backend said about a send that is waiting or retrying, in
 * the UI's language.
 */
export function noteOf(view: SendView): string | null {
  const { entry } = view;
  if (entry.state === "queued" || entry.state === "uploading" || entry.state === "sent") return outboxNoteText(entry.note, entry.message);
  return null;
}

/** Newest first; sends that need the user (stopped) before the others. */
export function sortSends(views: readonly SendView[]): SendView[] {
  return [...views].sort((a, b) => {
    const sa = a.entry.state === "stopped" ? 0 : 1;
    const sb = b.entry.state === "stopped" ? 0 : 1;
    return sa - sb || b.entry.createdAt.localeCompare(a.entry.createdAt);
  });
}

/** Which sends the "Sending" panel lists: on their way, or stopped and waiting for the user. */
export function isListed(entry: Pick<OutboxEntry, "state">): boolean {
  return isInFlight(entry) || entry.state === "stopped";
}
