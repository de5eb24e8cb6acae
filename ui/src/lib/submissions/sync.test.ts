// @vitest-environment jsdom
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n.svelte";
import { withBackendDefaults } from "../testing/ipc";
import { progressText, SubmissionSync } from "./sync.svelte";

afterEach(() => clearMocks());

const REPORT = { forms: 6, submissions: 44, casefiles: 56, skippedCasefiles: 0, failures: [], finishedAt: "2026-03-01T10:00:00Z" };

describe("the submissions sync", () => {
  it("counts the backend's own periodic sync: the states are read again and views re-read the cache", async () => {
    const calls: string[] = [];
    mockIPC(
      withBackendDefaults((cmd) => {
        calls.push(cmd);
        if (cmd === "sync_state") return [{ scope: "submissions:f1", watermark: null, lastSyncedAt: "2026-03-01T10:05:00Z" }];
        throw new Error(`unexpected ${cmd}`);
      }),
      { shouldMockEvents: true },
    );
    const sync = new SubmissionSync();
    await sync.loadStates();
    await new Promise((r) => setTimeout(r, 0));
    await emit("backend-event", { type: "backgroundSynced", submissions: 0, finishedAt: "2026-03-01T10:00:00Z" });
    await new Promise((r) => setTimeout(r, 0));
    expect(sync.cacheChanges).toBe(0);
    await emit("backend-event", { type: "backgroundSynced", submissions: 3, finishedAt: "2026-03-01T10:05:00Z" });
    await new Promise((r) => setTimeout(r, 0));
    expect(sync.cacheChanges).toBe(1);
    expect(calls.filter((c) => c === "sync_state").length).toBe(3);
  });

  it("runs once at a time and reads the sync state afterwards", async () => {
    const calls: string[] = [];
    let release: (v: unknown) => void = () => {};
    mockIPC(
      withBackendDefaults((cmd) => {
        calls.push(cmd);
        if (cmd === "sync_all") return new Promise((r) => (release = r));
        if (cmd === "sync_state") return [{ scope: "submissions:f1", watermark: null, lastSyncedAt: "2026-03-01T10:00:00Z" }];
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    const sync = new SubmissionSync();
    const a = sync.run();
    const b = sync.run();
    expect(a).toBe(b);
    expect(sync.running).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    release(REPORT);
    await a;
    expect(calls.filter((c) => c === "sync_all")).toHaveLength(1);
    expect(sync.running).toBe(false);
    expect(sync.error).toBeNull();
    expect(sync.cacheChanges).toBe(1);
    expect(sync.states[0]?.scope).toBe("submissions:f1");
  });

  it("keeps a failure as a calm message with its code, and names forms that failed", async () => {
    let fail = true;
    mockIPC(
      withBackendDefaults((cmd) => {
        if (cmd === "sync_all") {
          if (fail) throw { code: "offline", message: "Penneo cannot be reached.", retryable: true };
          return { ...REPORT, failures: ["KYC: the server answered 500"] };
        }
        if (cmd === "sync_state") return [];
        throw new Error(`unexpected ${cmd}`);
      }),
    );
    const sync = new SubmissionSync();
    await sync.run();
    expect(sync.error).toBe("Penneo cannot be reached.");
    expect(sync.errorCode).toBe("offline");
    fail = false;
    await sync.run();
    expect(sync.error).toBe("KYC: the server answered 500");
    expect(sync.errorCode).toBeNull();
    expect(sync.cacheChanges).toBe(2);
  });

  it("shows the newest read of the sync state when two overlap", async () => {
    let reads = 0;
    let releaseFirst: (() => void) | null = null;
    mockIPC(
      withBackendDefaults(async (cmd) => {
        if (cmd !== "sync_state") throw new Error(`unexpected ${cmd}`);
        const n = ++reads;
        if (n === 1) await new Promise<void>((r) => (releaseFirst = r));
        return [{ scope: "submissions:f1", watermark: null, lastSyncedAt: n === 1 ? "2026-03-01T10:00:00Z" : "2026-03-01T10:05:00Z" }];
      }),
    );
    const sync = new SubmissionSync();
    const first = sync.loadStates();
    await new Promise((r) => setTimeout(r, 0));
    await sync.loadStates();
    releaseFirst!();
    await first;
    expect(sync.states.map((s) => s.lastSyncedAt)).toEqual(["2026-03-01T10:05:00Z"]);
  });

  it("says what is being synced", () => {
    const name = (id: string) => (id === "f1" ? "KYC" : null);
    expect(progressText(null, name)).toBe("Starting…");
    expect(progressText({ scope: "forms", formId: null, done: 6, total: null }, name)).toBe("Forms: 6");
    expect(progressText({ scope: "submissions", formId: "f1", done: 500, total: null }, name)).toBe("Submissions of KYC: 500");
    expect(progressText({ scope: "submissions", formId: "f9", done: 5, total: 10 }, name)).toBe("Submissions: 5 of 10");
    expect(progressText({ scope: "casefiles", formId: null, done: 3, total: null }, name)).toBe("Casefiles: 3");
    setLanguage("da");
    expect(progressText({ scope: "submissions", formId: "f1", done: 5, total: 10 }, name)).toBe("Besvarelser for KYC: 5 af 10");
    setLanguage("system");
  });
});
