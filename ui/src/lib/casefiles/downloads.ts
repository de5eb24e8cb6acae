// Downloading the signed documents of a completed casefile, or the files of a Collect casefile,
// as a small state machine, driven by the user's choice of folder and the backend's
// `DownloadProgress` messages. No DOM here.
//
//   idle → choosing (folder dialog) → downloading(n of count) → done(saved files) | failed
//                    ↘ idle (cancelled)

import type { DownloadProgress, SavedFile } from "../bindings";

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

const noun = (what: DownloadWhat, n: number) => (what.kind === "files" ? (n === 1 ? "file" : "files") : n === 1 ? "document" : "documents");

/** What the folder dialog asks. */
export function folderPrompt(what: DownloadWhat): string {
  switch (what.kind) {
    case "all":
      return "Save the signed documents in…";
    case "one":
      return `Save "${what.title}" in…`;
    case "files":
      return what.title === null ? "Save the casefile files in…" : `Save "${what.title}" in…`;
  }
}

/** One line for the user. */
export function describeDownload(s: DownloadState): string {
  switch (s.phase) {
    case "idle":
      return "";
    case "choosing":
      return s.what.kind === "files" ? "Choose a folder for the casefile files…" : "Choose a folder for the signed documents…";
    case "downloading":
      return s.count > 0
        ? `Saved ${s.done} of ${s.count} ${noun(s.what, s.count)}${s.current ? ` (last: ${s.current})` : ""}…`
        : "Downloading…";
    case "done":
      return `Saved ${s.files.length} ${s.what.kind === "files" ? "" : "signed "}${noun(s.what, s.files.length)} in ${s.folder}.`;
    case "failed":
      return s.message;
  }
}
