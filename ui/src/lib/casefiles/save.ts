// Saving a casefile's signed documents or its files into a folder the user picks: the folder
// dialog, then the backend's download with progress, each step reported as a `DownloadEvent`.

import { backend, channel, toBackendError, type DownloadProgress } from "../backend";
import { folderPrompt, type DownloadEvent, type DownloadWhat } from "./downloads";

/** Runs one download of casefile `casefileId`; `count` is how many files are expected. */
export async function saveDownload(
  casefileId: number,
  what: DownloadWhat,
  count: number,
  report: (ev: DownloadEvent) => void,
): Promise<void> {
  report({ kind: "choose", what });
  try {
    const folder = await backend.pickFolder(folderPrompt(what));
    if (!folder) {
      report({ kind: "cancelled" });
      return;
    }
    report({ kind: "start", folder, count });
    const progress = channel<DownloadProgress>((p) => report({ kind: "progress", progress: p }));
    const saved =
      what.kind === "files"
        ? await backend.downloadCasefileFiles(casefileId, what.fileIds, folder, progress)
        : await backend.downloadSignedDocuments(casefileId, what.kind === "all" ? [] : [what.documentId], folder, progress);
    report({ kind: "finished", files: saved });
  } catch (e) {
    report({ kind: "failed", message: toBackendError(e).message });
  }
}

/** Saves casefile files: those named, or all `listed` of them when `fileIds` is empty. */
export function saveFiles(
  casefileId: number,
  fileIds: string[],
  title: string | null,
  listed: number,
  report: (ev: DownloadEvent) => void,
): Promise<void> {
  return saveDownload(casefileId, { kind: "files", fileIds, title }, fileIds.length > 0 ? fileIds.length : listed, report);
}
