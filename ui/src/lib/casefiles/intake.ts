// How files get into a casefile draft. The webview never reads files: paths (from a drop or the
// file picker) go to the backend, which checks them (regular file, `%PDF-` header, not encrypted,
// size, unique name, and not built to crash a reader: `tooComplex` is a compression bomb or absurd
// nesting) and answers per file. The shapes mirror desk-core's `IntakeResult`.
//
// `backendIntake` is the real one (the desktop app); `unavailableIntake` stands in where there is
// no backend (the editor then says so).

import { backend } from "../backend";

export type RejectReason =
  "notFound" | "notAFile" | "unreadable" | "empty" | "notPdf" | "encrypted" | "tooLarge" | "duplicateName" | "tooComplex";

export interface AcceptedFile {
  path: string;
  fileName: string;
  title: string;
  size: number;
  sha256: string;
  pageCount: number | null;
}

export interface RejectedFile {
  path: string;
  fileName: string;
  reason: RejectReason | (string & {});
  message: string;
}

export type IntakeResult = ({ status: "accepted" } & AcceptedFile) | ({ status: "rejected" } & RejectedFile);

export interface FileIntake {
  /** False while the backend cannot check files. */
  readonly available: boolean;
  /** Opens the file picker; the chosen paths (empty when cancelled). */
  pick(): Promise<string[]>;
  /** Checks paths; `existingNames` are the file names already in the draft. */
  check(paths: string[], existingNames: string[]): Promise<IntakeResult[]>;
}

export const unavailableIntake: FileIntake = {
  available: false,
  pick: async () => [],
  check: async (paths) =>
    paths.map((path) => ({
      status: "rejected" as const,
      path,
      fileName: path.split(/[\\/]/).pop() ?? path,
      reason: "unavailable",
      message: "Files can be added once the desktop backend can check them.",
    })),
};

/** Files picked with the backend's dialog and checked by `casefile_check_files` (a drop uses the same check). */
export const backendIntake: FileIntake = {
  available: true,
  pick: () => backend.pickPdfFiles(),
  check: (paths, existingNames) => backend.casefileCheckFiles(paths, existingNames),
};
