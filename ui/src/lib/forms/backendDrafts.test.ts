// @vitest-environment jsdom
// The builder's drafts in the app's database through the backend's draft commands (mockIPC),
// with the debounced autosave on top, and the webview storage only as the fallback.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Autosaver, MemoryDraftStore, unsavedDraft } from "./autosave";
import { BackendDraftStore, FallbackDraftStore, formIdOfKey } from "./backendDrafts";
import { FakeFormsBackend } from "./fakeBackend.test-helpers";
import { onboardingForm } from "./fixtures.test-helpers";
import type { FormDefinition } from "../backend";

let fake: FakeFormsBackend;

beforeEach(() => {
  fake = new FakeFormsBackend();
  mockIPC((cmd, payload) => fake.handle(cmd, payload));
});

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

describe("BackendDraftStore", () => {
  it("saves, lists, loads and deletes drafts through the draft commands", async () => {
    const store = new BackendDraftStore();
    await store.save({ key: "new:abc", value: onboardingForm(), savedAt: "2026-11-25T10:00:00Z", baseVersion: null });
    expect(fake.callsOf("save_form_draft")[0]!.draft).toMatchObject({ id: "new:abc", formId: null, baseVersion: null });

    await store.save({ key: "form:f1", value: { name: "Edit of f1", sections: [] }, savedAt: "2026-11-25T10:01:00Z", baseVersion: 3 });
    expect(fake.callsOf("save_form_draft")[1]!.draft).toMatchObject({ id: "form:f1", formId: "f1", baseVersion: 3 });

    const listed = await store.list();
    expect(listed.map((r) => r.key).sort()).toEqual(["form:f1", "new:abc"]);
    const loaded = await store.load("new:abc");
    expect(loaded?.value).toEqual(onboardingForm());
    expect((await store.load("form:f1"))?.baseVersion).toBe(3);
    expect(await store.load("new:none")).toBeNull();

    await store.remove("new:abc");
    expect(fake.callsOf("delete_form_draft")).toEqual([{ draftId: "new:abc" }]);
    expect((await store.list()).map((r) => r.key)).toEqual(["form:f1"]);
  });

  it("keys a form's draft by its form id, whatever id the database gave it", async () => {
    // A draft the database holds under another id (saved before, or by an older build).
    fake.drafts.set("local-7", {
      id: "local-7",
      formId: "f9",
      baseVersion: 2,
      definition: { name: "x", sections: [] },
      updatedAt: "2026-11-25T09:00:00Z",
    });
    const store = new BackendDraftStore();
    expect((await store.list())[0]!.key).toBe("form:f9");
    expect((await store.load("form:f9"))?.value.name).toBe("x");
    // Saving under the canonical key updates that one draft (the backend keeps one per form).
    await store.save({ key: "form:f9", value: { name: "y", sections: [] }, savedAt: "2026-11-25T09:05:00Z", baseVersion: 2 });
    expect([...fake.drafts.keys()]).toEqual(["local-7"]);
    expect(fake.drafts.get("local-7")!.definition).toEqual({ name: "y", sections: [] });
    await store.remove("form:f9");
    expect(fake.drafts.size).toBe(0);
  });

  it("formIdOfKey", () => {
    expect(formIdOfKey("form:abc")).toBe("abc");
    expect(formIdOfKey("new:abc")).toBeNull();
    expect(formIdOfKey("form:")).toBeNull();
  });
});

describe("autosave into the database", () => {
  it("debounces edits into one save_form_draft, and reopening offers the unsaved draft", async () => {
    vi.useFakeTimers();
    const store = new BackendDraftStore();
    const server: FormDefinition = { name: "KYC", sections: [] };
    const saver = new Autosaver<FormDefinition>({ store, key: "form:f1", baseVersion: 2, delayMs: 500, saved: server });
    saver.update({ name: "KYC 2", sections: [] });
    saver.update({ name: "KYC 20", sections: [] });
    saver.update({ name: "KYC 2026", sections: [] });
    expect(fake.callsOf("save_form_draft")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(600);
    const saves = fake.callsOf("save_form_draft");
    expect(saves).toHaveLength(1);
    expect(saves[0]!.draft).toMatchObject({ id: "form:f1", formId: "f1", baseVersion: 2, definition: { name: "KYC 2026", sections: [] } });
    expect(saver.status).toBe("saved");

    // The app restarts: opening the form finds the draft, which differs from Penneo's version.
    const offered = await unsavedDraft(new BackendDraftStore(), "form:f1", server);
    expect(offered?.value.name).toBe("KYC 2026");
    expect(offered?.baseVersion).toBe(2);
    // A draft equal to what Penneo has is not offered.
    expect(await unsavedDraft(new BackendDraftStore(), "form:f1", { name: "KYC 2026", sections: [] })).toBeNull();

    await saver.discard();
    expect(fake.drafts.size).toBe(0);
  });

  it("shows an error status when the database refuses a draft (and keeps the edit to retry)", async () => {
    mockIPC((cmd, payload) => {
      if (cmd === "save_form_draft") throw { code: "invalid_input", message: "A draft needs an id", retryable: false, field: "id" };
      return fake.handle(cmd, payload);
    });
    const statuses: string[] = [];
    const saver = new Autosaver<FormDefinition>({
      store: new FallbackDraftStore(new BackendDraftStore(), new MemoryDraftStore()),
      key: "new:x",
      delayMs: 10,
      onStatus: (s) => statuses.push(s),
    });
    saver.update({ name: "a", sections: [] });
    await saver.flush();
    expect(statuses[statuses.length - 1]).toBe("error");
    expect(saver.dirty).toBe(true);
  });
});

describe("FallbackDraftStore", () => {
  it("uses the webview storage only when the backend cannot keep drafts, and merges both on reading", async () => {
    let signedIn = false;
    mockIPC((cmd, payload) => {
      if (!signedIn && cmd.includes("form_draft"))
        throw { code: "auth_required", message: "Add or choose a Penneo account first.", retryable: false };
      return fake.handle(cmd, payload);
    });
    const local = new MemoryDraftStore<FormDefinition>();
    const store = new FallbackDraftStore(new BackendDraftStore(), local);
    await store.save({ key: "new:a", value: { name: "offline", sections: [] }, savedAt: "2026-11-25T10:00:00Z", baseVersion: null });
    expect((await local.list()).map((r) => r.key)).toEqual(["new:a"]);
    expect((await store.list()).map((r) => r.key)).toEqual(["new:a"]);

    signedIn = true;
    await store.save({ key: "new:b", value: { name: "online", sections: [] }, savedAt: "2026-11-25T10:01:00Z", baseVersion: null });
    expect(fake.drafts.has("new:b")).toBe(true);
    expect((await store.list()).map((r) => r.key).sort()).toEqual(["new:a", "new:b"]);
    // Saving the local one again moves it into the database.
    await store.save({
      key: "new:a",
      value: { name: "offline, now saved", sections: [] },
      savedAt: "2026-11-25T10:02:00Z",
      baseVersion: null,
    });
    expect(await local.list()).toEqual([]);
    expect((await store.load("new:a"))?.value.name).toBe("offline, now saved");
    await store.remove("new:a");
    expect(await store.load("new:a")).toBeNull();
  });

  it("does not hide a real error behind the fallback", async () => {
    mockIPC(() => {
      throw { code: "invalid_input", message: "bad", retryable: false };
    });
    const store = new FallbackDraftStore(new BackendDraftStore(), new MemoryDraftStore<FormDefinition>());
    await expect(store.save({ key: "new:a", value: { name: "x", sections: [] }, savedAt: "t", baseVersion: null })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});
