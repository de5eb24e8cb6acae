// Downloading the signed documents of a completed casefile, or the files of a Collect casefile,
// as a small state machine, driven by the user's choice of folder and the backend's
// `DownloadProgress` messages. No DOM here.
//
//   idle → choosing (folder dialog) → downloading(n of count) → done(saved files) | failed
//                    ↘ idle (cancelled)

import type { DownloadProgress, SavedFile } from "../bindings";
import { formatNumber } from "../format";
import { m } from "../i18n.svelte";

export type DownloadState =
  | { phase: "idle" }
  | { phase: "choosing"; what: DownloadWhat }
  | { phase: "downloading"; what: DownloadWhat; folder: string; done: number; count: number; current: string | null; bytes: number }
  | { phase: "done"; what: DownloadWhat; folder: string; files: SavedFile[] }
  | { phase: "failed"; what: DownloadWhat; message: string };

/** All signed documents, or one; or casefile files (all of them when `fileIds` is empty). */
export type DownloadWhat =
  { kind: "all" } | { kind: "one"; documentId: number; title: string } | { kind: "files"; fileIds: string[]; title: string | null };

export type DownloadEvent =
  | { kind: "choose"; what: DownloadWhat }
  | { kind: "cancelled" }
  | { kind: "start"; folder: string; count: number }
  | { kind: "progress"; progress: DownloadProgress }
  | { kind: "finished"; files: SavedFile[] }
  | { kind: "failed"; message: string }
  | { kind: "reset" };

export const IDLE: DownloadState = { phase: "idle" };

export function isBusy(s: DownloadState): boolean {
  return s.phase === "choosing" || s.phase === "downloading";
}

export function reduceDownload(s: DownloadState, ev: DownloadEvent): DownloadState {
  switch (ev.kind) {
    case "reset":
      return isBusy(s) ? s : IDLE;
    case "choose":
      return isBusy(s) ? s : { phase: "choosing", what: ev.what };
    case "cancelled":
      return s.phase === "choosing" ? IDLE : s;
    case "start":
      if (s.phase !== "choosing") return s;
      return { phase: "downloading", what: s.what, folder: ev.folder, done: 0, count: Math.max(0, ev.count), current: null, bytes: 0 };
    case "progress": {
      if (s.phase !== "downloading") return s;
      const p = ev.progress;
      // The backend reports each file once it is written: index is 0-based.
      const done = Math.max(s.done, Math.min(p.index + 1, p.count));
      return { ...s, done, count: Math.max(s.count, p.count), current: p.title, bytes: s.bytes + Math.max(0, p.bytes.done) };
    }
    case "finished":
      if (s.phase !== "downloading") return s;
      return { phase: "done", what: s.what, folder: s.folder, files: ev.files };
    case "failed":
      if (s.phase !== "downloading" && s.phase !== "choosing") return s;
      return { phase: "failed", what: s.what, message: ev.message };
  }
}

/** 0..1 while downloading. */
export function downloadFraction(s: DownloadState): number | null {
  if (s.phase !== "downloading") return null;
  return s.count > 0 ? s.done / s.count : 0;
}

const noun = (what: DownloadWhat, n: number) =>
  what.kind === "files"
    ? n === 1
      ? m.casefiles_dl_noun_file_one()
      : m.casefiles_dl_noun_file_other()
    : n === 1
      ? m.casefiles_dl_noun_document_one()
      : m.casefiles_dl_noun_document_other();

/** What the folder dialog asks. */
export function folderPrompt(what: DownloadWhat): string {
  switch (what.kind) {
    case "all":
      return m.casefiles_dl_prompt_all();
    case "one":
      return m.casefiles_dl_prompt_named({ title: what.title });
    case "files":
      return what.title === null ? m.casefiles_dl_prompt_files() : m.casefiles_dl_prompt_named({ title: what.title });
  }
}

/** One line for the user, in the UI's language. */
export function describeDownload(s: DownloadState): string {
  switch (s.phase) {
    case "idle":
      return "";
    case "choosing":
      return s.what.kind === "files" ? m.casefiles_dl_choosing_files() : m.casefiles_dl_choosing_documents();
    case "downloading": {
      if (s.count <= 0) return m.casefiles_dl_downloading();
      const p = { done: formatNumber(s.done), count: formatNumber(s.count), noun: noun(s.what, s.count) };
      return s.current ? m.casefiles_dl_saving_last({ ...p, current: s.current }) : m.casefiles_dl_saving(p);
    }
    case "done": {
      const n = s.files.length;
      const p = { count: formatNumber(n), folder: s.folder };
      if (s.what.kind === "files") return n === 1 ? m.casefiles_dl_done_files_one(p) : m.casefiles_dl_done_files_other(p);
      return n === 1 ? m.casefiles_dl_done_documents_one(p) : m.casefiles_dl_done_documents_other(p);
    }
    case "failed":
      return s.message;
  }
}
