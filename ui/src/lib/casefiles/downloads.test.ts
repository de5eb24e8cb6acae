import { describe, expect, it } from "vitest";
import { setLanguage } from "../i18n.svelte";
import {
  describeDownload,
  downloadFraction,
  folderPrompt,
  IDLE,
  isBusy,
  reduceDownload,
  type DownloadEvent,
  type DownloadState,
} from "./downloads";

const run = (events: DownloadEvent[], from: DownloadState = IDLE) => events.reduce(reduceDownload, from);
const saved = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ path: `/out/Doc ${i}.pdf`, fileName: `Doc ${i}.pdf`, size: 2048, sha256: "h" }));
const prog = (index: number, count: number, title: string) => ({
  kind: "progress" as const,
  progress: { index, count, title, bytes: { done: 2048, total: 2048 } },
});

describe("downloading signed documents", () => {
  it("goes from the folder choice through progress to the saved files", () => {
    let s = run([{ kind: "choose", what: { kind: "all" } }]);
    expect(isBusy(s)).toBe(true);
    expect(describeDownload(s)).toMatch(/Choose a folder/);
    s = run([{ kind: "start", folder: "/out", count: 2 }], s);
    expect(downloadFraction(s)).toBe(0);
    s = run([prog(0, 2, "Letter")], s);
    expect(downloadFraction(s)).toBe(0.5);
    expect(describeDownload(s)).toBe("Saved 1 of 2 documents (last: Letter)…");
    // A repeated report does not count twice.
    s = run([prog(0, 2, "Letter"), prog(1, 2, "Terms")], s);
    expect(s).toMatchObject({ phase: "downloading", done: 2, bytes: 6144 });
    s = run([{ kind: "finished", files: saved(2) }], s);
    expect(s).toMatchObject({ phase: "done", folder: "/out" });
    expect(describeDownload(s)).toBe("Saved 2 signed documents in /out.");
    expect(isBusy(s)).toBe(false);
  });

  it("goes back to idle when the folder dialog is cancelled, and reports failures", () => {
    expect(run([{ kind: "choose", what: { kind: "one", documentId: 3, title: "Letter" } }, { kind: "cancelled" }])).toEqual(IDLE);
    const s = run([
      { kind: "choose", what: { kind: "all" } },
      { kind: "start", folder: "/ro", count: 1 },
      { kind: "failed", message: "The folder /ro cannot be written to." },
    ]);
    expect(s).toMatchObject({ phase: "failed" });
    expect(describeDownload(s)).toBe("The folder /ro cannot be written to.");
  });

  it("ignores what does not fit the current step", () => {
    const busy = run([{ kind: "choose", what: { kind: "all" } }]);
    expect(run([{ kind: "choose", what: { kind: "one", documentId: 1, title: "x" } }], busy)).toBe(busy);
    expect(run([{ kind: "reset" }], busy)).toBe(busy);
    expect(run([prog(0, 1, "x"), { kind: "finished", files: saved(1) }])).toEqual(IDLE);
    expect(run([{ kind: "reset" }], run([{ kind: "failed", message: "x" }], busy))).toEqual(IDLE);
  });
});

describe("downloading casefile files", () => {
  it("speaks of files, not signed documents", () => {
    const what = { kind: "files" as const, fileIds: [], title: null };
    expect(folderPrompt(what)).toBe("Save the casefile files in…");
    expect(folderPrompt({ kind: "files", fileIds: ["f1"], title: "passport.pdf" })).toBe('Save "passport.pdf" in…');
    let s = run([{ kind: "choose", what }]);
    expect(describeDownload(s)).toBe("Choose a folder for the casefile files…");
    s = run([{ kind: "start", folder: "/out", count: 2 }, prog(0, 2, "form.pdf")], s);
    expect(describeDownload(s)).toBe("Saved 1 of 2 files (last: form.pdf)…");
    s = run([prog(1, 2, "bill.pdf"), { kind: "finished", files: saved(1) }], s);
    expect(describeDownload(s)).toBe("Saved 1 file in /out.");
  });

  it("names what the folder dialog is for", () => {
    expect(folderPrompt({ kind: "all" })).toBe("Save the signed documents in…");
    expect(folderPrompt({ kind: "one", documentId: 2, title: "Letter" })).toBe('Save "Letter" in…');
  });
});

describe("download lines in Danish", () => {
  it("words the prompt, the progress and the result in the UI's language", () => {
    setLanguage("da");
    try {
      expect(folderPrompt({ kind: "one", documentId: 2, title: "Brev" })).toBe("Gem »Brev« i…");
      let s = run([{ kind: "choose", what: { kind: "all" } }]);
      expect(describeDownload(s)).toBe("Vælg en mappe til de underskrevne dokumenter…");
      s = run([{ kind: "start", folder: "/ud", count: 2 }, prog(0, 2, "Brev")], s);
      expect(describeDownload(s)).toBe("Gemt 1 af 2 dokumenter (senest: Brev)…");
      s = run([{ kind: "finished", files: saved(2) }], s);
      expect(describeDownload(s)).toBe("Gemt 2 underskrevne dokumenter i /ud.");
    } finally {
      setLanguage("system");
    }
  });
});
