import { afterEach, describe, expect, it } from "vitest";
import type { DeskEvent, OutboxEntry, OutboxNote } from "../bindings";
import { setLanguage } from "../i18n.svelte";
import { sendSteps } from "./job";
import {
  applyDeskEvent,
  filesSentOf,
  isCreated,
  isListed,
  isOlder,
  noteOf,
  sendStateOf,
  signingLinksOf,
  sortSends,
  viewOf,
  type SendView,
} from "./outbox";

function entry(over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: "e1",
    accountId: "a",
    state: "queued",
    reference: "desk-e1",
    title: "Engagement letter",
    draft: { draft: { caseFile: { title: "Engagement letter", signers: [], documents: [] } }, data: "{}", sha256: "x" },
    files: [
      { idx: 0, path: "/d/a.pdf", fileName: "a.pdf", sha256: "x", size: 600 },
      { idx: 1, path: "/d/b.pdf", fileName: "b.pdf", sha256: "y", size: 400 },
    ],
    jobUuid: null,
    payloadHash: null,
    casefileId: null,
    message: null,
    note: null,
    attempts: 0,
    result: null,
    createdAt: "2026-11-25T10:00:00Z",
    updatedAt: "2026-11-25T10:00:00Z",
    ...over,
  };
}

afterEach(() => setLanguage("system"));

// Each change stamped later than the one before, as the backend does.
let clock = 0;
const stamp = () => {
  clock++;
  return `2026-11-25T11:${String(Math.floor(clock / 60) % 60).padStart(2, "0")}:${String(clock % 60).padStart(2, "0")}.000000Z`;
};
const changed = (
  state: OutboxEntry["state"],
  extra: Partial<{ message: string | null; note: OutboxNote | null; casefileId: number | null; entryId: string; updatedAt: string }> = {},
): DeskEvent => ({
  type: "outboxChanged",
  entryId: extra.entryId ?? "e1",
  state,
  message: extra.message ?? null,
  note: extra.note ?? null,
  casefileId: extra.casefileId ?? null,
  updatedAt: extra.updatedAt ?? stamp(),
});
const progress = (bytesSent: number, totalBytes = 1000): DeskEvent => ({ type: "uploadProgress", entryId: "e1", bytesSent, totalBytes });
const job = (status: string): DeskEvent => ({ type: "jobStatus", entryId: "e1", jobUuid: "j1", status });

const run = (events: DeskEvent[], from: SendView = viewOf(entry())) => events.reduce(applyDeskEvent, from);
const steps = (v: SendView) =>
  sendSteps(sendStateOf(v))
    .map((s) => `${s.key}:${s.status}`)
    .join(" ");

describe("following a send through the backend's events", () => {
  it("keeps the newest news: a change stamped earlier than the view never takes it back", () => {
    const uploading = changed("uploading");
    const sent = changed("sent");
    const lateUploading = changed("uploading", { updatedAt: "2026-11-25T10:30:00.000000Z" });
    const v = run([uploading, sent, lateUploading]);
    expect(v.entry.state).toBe("sent");
    expect(v.entry.updatedAt).toBe((sent as { updatedAt: string }).updatedAt);
    // The same stamp again (the channel and the event both carry it) changes nothing.
    expect(run([sent], v)).toEqual(v);
    expect(isOlder("2026-11-25T10:00:00.000001Z", "2026-11-25T10:00:00.000002Z")).toBe(true);
    expect(isOlder("", "2026-11-25T10:00:00.000002Z")).toBe(false);
  });

  it("reduces upload bytes to files and goes through every step", () => {
    let v = run([changed("uploading"), progress(300)]);
    expect(sendStateOf(v)).toEqual({ phase: "uploading", bytesSent: 300, bytesTotal: 1000, filesSent: 0, filesTotal: 2 });
    v = run([progress(650)], v);
    expect(sendStateOf(v)).toMatchObject({ bytesSent: 650, filesSent: 1 });
    // A late, smaller report of the same attempt does not move the bar back.
    v = run([progress(500)], v);
    expect(sendStateOf(v)).toMatchObject({ bytesSent: 650 });
    v = run([progress(1000), changed("sent")], { ...v, entry: { ...v.entry } });
    v = { ...v, entry: { ...v.entry, jobUuid: "j1", payloadHash: "h1" } };
    expect(sendStateOf(v)).toMatchObject({ phase: "uploaded", job: { uuid: "j1", payloadHash: "h1" } });
    v = run([job("pending"), job("processing")], v);
    expect(sendStateOf(v).phase).toBe("processing");
    expect(steps(v)).toBe("queued:done uploading:done uploaded:done processing:current created:todo");
    v = run([job("completed"), changed("created", { casefileId: 4711 })], v);
    expect(sendStateOf(v)).toMatchObject({ phase: "created", casefileId: 4711, signingLinks: [] });
    expect(isCreated(v.entry)).toBe(true);
    expect(isListed(v.entry)).toBe(false);
  });

  it("starts the byte count again for a new attempt and ignores other entries", () => {
    let v = run([changed("uploading"), progress(700), changed("queued", { message: "Will try again: offline" })]);
    expect(sendStateOf(v)).toEqual({ phase: "queued" });
    expect(noteOf(v)).toBe("Will try again: offline");
    v = run([changed("uploading"), progress(100)], v);
    expect(sendStateOf(v)).toMatchObject({ phase: "uploading", bytesSent: 100, filesSent: 0 });
    const same = run([changed("sent", { entryId: "other" }), { type: "uploadProgress", entryId: "other", bytesSent: 1, totalBytes: 1 }], v);
    expect(same).toBe(v);
  });

  it("shows a stopped send as failed where it stopped, with the backend's sentence", () => {
    const v = run(
      [changed("uploading"), changed("stopped", { message: "a.pdf changed on disk after the send was queued, so it was not sent." })],
      viewOf(entry({ attempts: 1 })),
    );
    const s = sendStateOf(v);
    expect(s).toMatchObject({ phase: "failed", code: "stopped", retryable: true, during: "uploading" });
    expect(s.phase === "failed" && s.message).toContain("changed on disk");
    expect(steps(v)).toBe("queued:done uploading:failed uploaded:todo processing:todo created:todo");
    expect(isListed(v.entry)).toBe(true);
    expect(noteOf(v)).toBeNull();
  });

  it("words the backend's note in the UI language, and keeps the message of a send without one", () => {
    const changedFile: OutboxNote = { code: "file_changed", fileName: "a.pdf" };
    const v = run(
      [
        changed("uploading"),
        changed("stopped", {
          message: "a.pdf changed on disk after the send was queued, so it was not sent. Add the file again to send the new version.",
          note: changedFile,
        }),
      ],
      viewOf(entry({ attempts: 1 })),
    );
    expect(v.entry.note).toEqual(changedFile);
    setLanguage("da");
    const s = sendStateOf(v);
    expect(s.phase === "failed" && s.message).toBe(
      "a.pdf er ændret på disken, efter afsendelsen blev sat i kø, så den blev ikke sendt. Tilføj filen igen for at sende den nye version.",
    );
    const waiting = run([
      changed("uploading"),
      changed("queued", { message: "Waiting for you to sign in again", note: { code: "sign_in_again" } }),
    ]);
    expect(noteOf(waiting)).toBe("Venter på, at du logger ind igen.");
    // Queued by an older version: no note, its English message as it was.
    const old = viewOf(entry({ state: "stopped", message: "Penneo lost the job; sending again", attempts: 1 }));
    const o = sendStateOf(old);
    expect(o.phase === "failed" && o.message).toBe("Penneo lost the job; sending again");
    // Neither note nor message: still says it stopped.
    const bare = sendStateOf(viewOf(entry({ state: "stopped" })));
    expect(bare.phase === "failed" && bare.message).toBe("Afsendelsen stoppede.");
  });

  it("reads the signing links of the finished job and skips empty ones", () => {
    expect(
      signingLinksOf({
        signingLinks: [
          { name: "Ida", role: "Client", signingLink: "http://127.0.0.1:9/sign/a" },
          { name: "", role: null, signingLink: "http://127.0.0.1:9/sign/b" },
          { name: "No link", role: null, signingLink: "" },
        ],
      }),
    ).toEqual([
      { name: "Ida", role: "Client", signingLink: "http://127.0.0.1:9/sign/a" },
      { name: "Signer", role: null, signingLink: "http://127.0.0.1:9/sign/b" },
    ]);
    expect(signingLinksOf(null)).toEqual([]);
    const v = viewOf(
      entry({ state: "tracking", casefileId: 9, result: { signingLinks: [{ name: "Bo", role: "Partner", signingLink: "https://x/1" }] } }),
    );
    expect(sendStateOf(v)).toMatchObject({ phase: "created", casefileId: 9, signingLinks: [{ name: "Bo" }] });
  });

  it("counts whole files uploaded", () => {
    expect(filesSentOf([600, 400], 0)).toBe(0);
    expect(filesSentOf([600, 400], 599)).toBe(0);
    expect(filesSentOf([600, 400], 600)).toBe(1);
    expect(filesSentOf([600, 400], 1000)).toBe(2);
    expect(filesSentOf([], 10)).toBe(0);
  });

  it("lists stopped sends first, then the newest", () => {
    const a = viewOf(entry({ id: "a", createdAt: "2026-01-01T00:00:00Z" }));
    const b = viewOf(entry({ id: "b", createdAt: "2026-02-01T00:00:00Z" }));
    const c = viewOf(entry({ id: "c", state: "stopped", createdAt: "2025-01-01T00:00:00Z" }));
    expect(sortSends([a, b, c]).map((v) => v.entry.id)).toEqual(["c", "b", "a"]);
  });
});
