// @vitest-environment jsdom
// The send queue as shared state: a send is queued through the backend with the draft's files in
// document order, followed through its channel and the backend's events, and its draft removed
// once Penneo has made the casefile. A stopped send keeps its draft; Remove forgets the link.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { Channel } from "@tauri-apps/api/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeskEvent, OutboxEntry } from "../bindings";
import { casefileDraftStore } from "./drafts";
import { filesOf, Sends } from "./sends.svelte";
import { emptyDraft, type CasefileEditorDraft } from "./editorDraft";

function draft(): CasefileEditorDraft {
  const d = emptyDraft();
  d.title = "Engagement letter";
  d.signers = [{ localId: "s1", name: "Ida", email: "ida@example.org", role: "Client", signOrder: 0 }];
  d.documents = [
    {
      localId: "d2",
      title: "Terms",
      name: "terms.pdf",
      roles: ["Client"],
      documentOrder: 1,
      source: { path: "/f/terms.pdf", fileName: "terms.pdf", size: 400 },
    },
    {
      localId: "d1",
      title: "Letter",
      name: "letter.pdf",
      roles: ["Client"],
      documentOrder: 0,
      source: { path: "/f/letter.pdf", fileName: "letter.pdf", size: 600 },
    },
  ];
  return d;
}

function entry(over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: "e1",
    accountId: "a",
    state: "queued",
    reference: "desk-e1",
    title: "Engagement letter",
    draft: { draft: { caseFile: { title: "Engagement letter", signers: [], documents: [] } }, data: "{}", sha256: "x" },
    files: [
      { idx: 0, path: "/f/letter.pdf", fileName: "letter.pdf", sha256: "x", size: 600 },
      { idx: 1, path: "/f/terms.pdf", fileName: "terms.pdf", sha256: "y", size: 400 },
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

const tick = () => new Promise((r) => setTimeout(r, 20));

beforeEach(() => localStorage.clear());
afterEach(() => clearMocks());

describe("the send queue", () => {
  it("lists the draft's files in document order and names the ones without a file", () => {
    expect(filesOf(draft())).toEqual({ paths: ["/f/letter.pdf", "/f/terms.pdf"], missing: [] });
    const d = draft();
    d.documents[0]!.source = null;
    expect(filesOf(d).missing).toEqual(["terms.pdf"]);
  });

  it("sends, follows the channel and the events, and removes the draft once the casefile exists", async () => {
    let stored = entry();
    let ch: Channel<DeskEvent> | null = null;
    let sentArgs: { draft: unknown; files: string[] } | null = null;
    mockIPC(
      (cmd, payload) => {
        const p = payload as Record<string, unknown>;
        if (cmd === "send_casefile") {
          ch = p.progress as Channel<DeskEvent>;
          sentArgs = { draft: p.draft, files: p.files as string[] };
          return stored;
        }
        if (cmd === "outbox_entry") return stored;
        if (cmd === "outbox_list") return [stored];
        throw new Error(`unexpected ${cmd}`);
      },
      { shouldMockEvents: true },
    );
    await casefileDraftStore().save({ key: "k1", value: draft(), savedAt: "2026-11-25T09:00:00Z", baseVersion: null });
    const sends = new Sends();
    const e = await sends.send("k1", draft());
    expect(e.id).toBe("e1");
    expect(sentArgs!.files).toEqual(["/f/letter.pdf", "/f/terms.pdf"]);
    expect((sentArgs!.draft as { caseFile: { documents: { name: string }[] } }).caseFile.documents.map((d) => d.name)).toEqual([
      "letter.pdf",
      "terms.pdf",
    ]);
    expect(sends.sendOfDraft("k1")?.entry.id).toBe("e1");

    // Channel news move the view; a late, smaller report (here as a global event) does not move the bar back.
    ch!.onmessage({
      type: "outboxChanged",
      entryId: "e1",
      state: "uploading",
      message: null,
      note: null,
      casefileId: null,
      updatedAt: "2026-11-25T10:00:01.000000Z",
    });
    ch!.onmessage({ type: "uploadProgress", entryId: "e1", bytesSent: 600, totalBytes: 1000 });
    expect(sends.view("e1")?.upload).toEqual({ bytesSent: 600, totalBytes: 1000 });
    await emit("backend-event", { type: "uploadProgress", entryId: "e1", bytesSent: 100, totalBytes: 1000 });
    await tick();
    expect(sends.view("e1")?.upload?.bytesSent).toBe(600);

    // Uploaded: a read of the entry that started before the news and answers after it (the
    // uploading state it saw is older) does not take the send back to uploading.
    stored = entry({ state: "uploading", attempts: 1, updatedAt: "2026-11-25T10:00:01.000000Z" });
    ch!.onmessage({
      type: "outboxChanged",
      entryId: "e1",
      state: "sent",
      message: null,
      note: null,
      casefileId: null,
      updatedAt: "2026-11-25T10:00:02.000000Z",
    });
    expect(sends.view("e1")?.entry.state).toBe("sent");
    await sends.refresh("e1");
    expect(sends.view("e1")?.entry.state).toBe("sent");
    // Nor does the same news arriving late the other way.
    await emit("backend-event", {
      type: "outboxChanged",
      entryId: "e1",
      state: "uploading",
      message: null,
      note: null,
      casefileId: null,
      updatedAt: "2026-11-25T10:00:01.000000Z",
    });
    await tick();
    expect(sends.view("e1")?.entry.state).toBe("sent");

    // Created: the entry is read again for its signing links, and the draft goes.
    stored = entry({
      state: "created",
      casefileId: 77,
      jobUuid: "j",
      updatedAt: "2026-11-25T10:00:03.000000Z",
      result: { signingLinks: [{ name: "Ida", role: "Client", signingLink: "https://x/1" }] },
    });
    ch!.onmessage({
      type: "outboxChanged",
      entryId: "e1",
      state: "created",
      message: null,
      note: null,
      casefileId: 77,
      updatedAt: "2026-11-25T10:00:03.000000Z",
    });
    await tick();
    expect(sends.view("e1")?.entry.result).toEqual(stored.result);
    expect(await casefileDraftStore().load("k1")).toBeNull();
    expect(sends.created).toBe(1);
    expect(sends.sendOfDraft("k1")).toBeNull();
    await sends.stop();
  });

  it("shows a send it did not start (resumed at start-up) and keeps the draft of a stopped one", async () => {
    let stored = entry({ id: "e9", state: "uploading", attempts: 1 });
    const calls: string[] = [];
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        if (cmd === "outbox_list") return [];
        if (cmd === "outbox_entry") return stored;
        if (cmd === "outbox_remove") return null;
        throw new Error(`unexpected ${cmd}`);
      },
      { shouldMockEvents: true },
    );
    localStorage.setItem("penneo-desk.casefile-send.e9", "k9");
    await casefileDraftStore().save({ key: "k9", value: draft(), savedAt: "2026-11-25T09:00:00Z", baseVersion: null });
    const sends = new Sends();
    await sends.load();
    expect(sends.list).toEqual([]);
    await emit("backend-event", {
      type: "outboxChanged",
      entryId: "e9",
      state: "queued",
      message: "Resuming an interrupted upload",
      note: null,
      casefileId: null,
      updatedAt: "2026-11-25T10:00:01.000000Z",
    });
    await tick();
    expect(sends.view("e9")?.entry.state).toBe("uploading");
    stored = entry({
      id: "e9",
      state: "stopped",
      message: "letter.pdf changed on disk after the send was queued, so it was not sent.",
      note: null,
      attempts: 1,
      updatedAt: "2026-11-25T10:00:02.000000Z",
    });
    await emit("backend-event", {
      type: "outboxChanged",
      entryId: "e9",
      state: "stopped",
      message: stored.message,
      casefileId: null,
      updatedAt: "2026-11-25T10:00:02.000000Z",
    });
    await tick();
    expect(sends.view("e9")?.entry.state).toBe("stopped");
    expect(await casefileDraftStore().load("k9")).not.toBeNull();
    await sends.remove("e9");
    expect(calls).toContain("outbox_remove");
    expect(sends.view("e9")).toBeNull();
    expect(sends.sendOfDraft("k9")).toBeNull();
    expect(await casefileDraftStore().load("k9")).not.toBeNull();
    await sends.stop();
  });

  it("a retried send that makes its casefile while a read of the entry is on its way still removes its draft", async () => {
    // The read Retry starts answers with the state it saw before the news (queued); the news of
    // the casefile arrives while it is on its way.
    let stored = entry({
      id: "e5",
      state: "stopped",
      message: "Penneo did not accept the casefile",
      note: null,
      attempts: 1,
      updatedAt: "2026-11-25T10:00:02.000000Z",
    });
    let release: (() => void) | null = null;
    let reads = 0;
    mockIPC(
      async (cmd) => {
        if (cmd === "outbox_list") return [stored];
        if (cmd === "outbox_retry") {
          stored = entry({ id: "e5", state: "queued", attempts: 1, updatedAt: "2026-11-25T10:00:03.000000Z" });
          return null;
        }
        if (cmd === "outbox_entry") {
          reads++;
          const seen = stored;
          if (reads === 1) await new Promise<void>((r) => (release = r));
          return seen;
        }
        throw new Error(`unexpected ${cmd}`);
      },
      { shouldMockEvents: true },
    );
    localStorage.setItem("penneo-desk.casefile-send.e5", "k5");
    await casefileDraftStore().save({ key: "k5", value: draft(), savedAt: "2026-11-25T09:00:00Z", baseVersion: null });
    const sends = new Sends();
    await sends.load();
    const retried = sends.retry("e5");
    await tick();
    expect(release).not.toBeNull();

    const links = { signingLinks: [{ name: "Ida", role: "Client", signingLink: "https://x/5" }] };
    stored = entry({ id: "e5", state: "created", casefileId: 55, jobUuid: "j", updatedAt: "2026-11-25T10:00:05.000000Z", result: links });
    await emit("backend-event", {
      type: "outboxChanged",
      entryId: "e5",
      state: "created",
      message: null,
      note: null,
      casefileId: 55,
      updatedAt: "2026-11-25T10:00:05.000000Z",
    });
    await tick();
    // The draft goes on the news itself, not only after a read.
    expect(await casefileDraftStore().load("k5")).toBeNull();
    expect(sends.created).toBe(1);

    release!();
    await retried;
    // The read in flight saw the older state; the one asked for meanwhile brings the links.
    expect(reads).toBe(2);
    expect(sends.view("e5")?.entry.state).toBe("created");
    expect(sends.view("e5")?.entry.result).toEqual(links);
    await sends.stop();
  });

  it("a read of the queue on its way neither brings back a removed send nor drops a new one", async () => {
    const stopped = entry({ id: "e1", state: "stopped", message: "Penneo did not accept the casefile", attempts: 1 });
    const fresh = entry({ id: "e2", state: "queued" });
    let slowList: (() => void) | null = null;
    let lists = 0;
    mockIPC(
      async (cmd) => {
        if (cmd === "outbox_list") {
          lists++;
          // The second read of the queue answers late, with what it saw before the changes.
          if (lists === 2) await new Promise<void>((r) => (slowList = r));
          return [stopped];
        }
        if (cmd === "outbox_remove") return null;
        if (cmd === "send_casefile") return fresh;
        throw new Error(`unexpected ${cmd}`);
      },
      { shouldMockEvents: true },
    );
    const sends = new Sends();
    await sends.load();
    expect(sends.list.map((v) => v.entry.id)).toEqual(["e1"]);
    const reading = sends.load();
    await tick();
    await sends.remove("e1");
    await sends.send("k2", draft());
    slowList!();
    await reading;
    expect(sends.list.map((v) => v.entry.id)).toEqual(["e2"]);
    await sends.stop();
  });
});
