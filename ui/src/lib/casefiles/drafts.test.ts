// @vitest-environment jsdom
// Casefile drafts live in the active account's database through the backend's draft commands;
// the webview's storage only keeps one while the backend cannot (no account open), and a draft
// left there (by that, or by an earlier version of the app) moves into the database on its next
// save.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CASEFILE_DRAFT_PREFIX, casefileDraftStore, listCasefileDrafts, resetCasefileDraftStore } from "./drafts";
import { emptyDraft } from "./editorDraft";

type Kept = { id: string; draft: unknown; updatedAt: string };

function backendWith(kept: Map<string, Kept>, state: { signedOut: boolean }) {
  mockIPC((cmd, payload) => {
    const p = payload as { draftId?: string; draft?: unknown };
    if (state.signedOut) throw { code: "auth_required", message: "Add or choose a Penneo account first.", retryable: false };
    if (cmd === "save_casefile_draft") {
      const rec = { id: p.draftId!, draft: p.draft, updatedAt: "2026-11-26T05:00:00.000000Z" };
      kept.set(rec.id, rec);
      return rec;
    }
    if (cmd === "list_casefile_drafts") return [...kept.values()];
    if (cmd === "delete_casefile_draft") return void kept.delete(p.draftId!);
    throw new Error(`unexpected ${cmd}`);
  });
}

beforeEach(() => {
  localStorage.clear();
  resetCasefileDraftStore();
});
afterEach(() => clearMocks());

describe("casefile drafts in the database", () => {
  it("keeps drafts in the backend, and moves one left in the webview's storage on its next save", async () => {
    const kept = new Map<string, Kept>();
    const state = { signedOut: false };
    backendWith(kept, state);
    const old = { ...emptyDraft(), title: "Engagement letter" };
    localStorage.setItem(
      `${CASEFILE_DRAFT_PREFIX}old`,
      JSON.stringify({ key: "old", value: old, savedAt: "2026-11-20T10:00:00.000Z", baseVersion: null }),
    );
    const store = casefileDraftStore();
    await store.save({ key: "new", value: { ...emptyDraft(), title: "NDA" }, savedAt: "2026-11-26T04:59:00.000Z", baseVersion: null });
    expect([...kept.keys()]).toEqual(["new"]);
    // Both are offered, newest first.
    expect((await listCasefileDrafts()).map((r) => `${r.key}:${r.value.title}`)).toEqual(["new:NDA", "old:Engagement letter"]);

    await store.save({
      key: "old",
      value: { ...old, title: "Engagement letter 2026" },
      savedAt: "2026-11-26T05:00:00.000Z",
      baseVersion: null,
    });
    expect([...kept.keys()].sort()).toEqual(["new", "old"]);
    expect(localStorage.getItem(`${CASEFILE_DRAFT_PREFIX}old`)).toBeNull();
    expect((await store.load("old"))?.value.title).toBe("Engagement letter 2026");

    await store.remove("old");
    expect([...kept.keys()]).toEqual(["new"]);
    expect(await store.load("old")).toBeNull();
  });

  it("keeps a draft in the webview's storage while no account is open", async () => {
    const kept = new Map<string, Kept>();
    const state = { signedOut: true };
    backendWith(kept, state);
    const store = casefileDraftStore();
    await store.save({ key: "k", value: { ...emptyDraft(), title: "Offline" }, savedAt: "2026-11-26T04:00:00.000Z", baseVersion: null });
    expect(kept.size).toBe(0);
    expect((await store.load("k"))?.value.title).toBe("Offline");
    // An account is open again: the next save puts it in the database.
    state.signedOut = false;
    await store.save({
      key: "k",
      value: { ...emptyDraft(), title: "Offline, then saved" },
      savedAt: "2026-11-26T04:01:00.000Z",
      baseVersion: null,
    });
    expect([...kept.keys()]).toEqual(["k"]);
    expect(localStorage.getItem(`${CASEFILE_DRAFT_PREFIX}k`)).toBeNull();
  });
});
