import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Autosaver,
  MemoryDraftStore,
  WebStorageDraftStore,
  draftKey,
  unsavedDraft,
  type AutosaveStatus,
  type DraftRecord,
  type DraftStore,
  type WebStorageLike,
} from "./autosave";
import { onboardingForm } from "./fixtures.test-helpers";
import type { FormDefinition } from "../backend";

/** A store that counts saves and can be made to fail or to hold a save open. */
class RecordingStore<T> extends MemoryDraftStore<T> {
  saves: DraftRecord<T>[] = [];
  failNext = false;
  gate: Promise<void> | null = null;
  override async save(record: DraftRecord<T>): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error("disk full");
    }
    this.saves.push(JSON.parse(JSON.stringify(record)) as DraftRecord<T>);
    await super.save(record);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-11-25T12:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

function saver(store: DraftStore<FormDefinition>, statuses: AutosaveStatus[] = []) {
  return new Autosaver<FormDefinition>({
    store,
    key: "form:f1",
    baseVersion: 3,
    delayMs: 500,
    maxWaitMs: 2000,
    onStatus: (s) => statuses.push(s),
  });
}

describe("Autosaver", () => {
  it("saves once after typing pauses, with the last value", async () => {
    const store = new RecordingStore<FormDefinition>();
    const statuses: AutosaveStatus[] = [];
    const a = saver(store, statuses);
    const def = onboardingForm();
    for (const name of ["C", "Cl", "Cli", "Client"]) {
      a.update({ ...def, name });
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(store.saves).toHaveLength(0);
    expect(a.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(store.saves.map((s) => s.value.name)).toEqual(["Client"]);
    expect(store.saves[0]).toMatchObject({ key: "form:f1", baseVersion: 3 });
    // Stamped when saved, after the last edit.
    expect(Date.parse(store.saves[0]!.savedAt)).toBeGreaterThan(Date.parse("2026-11-25T12:00:00.300Z"));
    expect(a.lastSavedAt).toBe(store.saves[0]!.savedAt);
    expect(a.dirty).toBe(false);
    expect(statuses).toEqual(["pending", "saving", "saved"]);
  });

  it("saves at least every maxWait while edits keep coming", async () => {
    const store = new RecordingStore<FormDefinition>();
    const a = saver(store);
    for (let i = 0; i < 30; i++) {
      a.update({ ...onboardingForm(), name: `n${i}` });
      await vi.advanceTimersByTimeAsync(200);
    }
    // 6 s of continuous typing with a 2 s cap: at least 2 saves while typing.
    expect(store.saves.length).toBeGreaterThanOrEqual(2);
    await a.flush();
    expect(store.saves[store.saves.length - 1]?.value.name).toBe("n29");
  });

  it("does not save a value equal to the saved one", async () => {
    const store = new RecordingStore<FormDefinition>();
    const a = saver(store);
    const def = onboardingForm();
    a.update(def);
    await a.flush();
    a.update(onboardingForm());
    await vi.advanceTimersByTimeAsync(5000);
    expect(store.saves).toHaveLength(1);
    expect(a.status).toBe("saved");
  });

  it("does not save again a value it was told is already stored", async () => {
    const store = new RecordingStore<FormDefinition>();
    const a = new Autosaver<FormDefinition>({ store, key: "k", delayMs: 10, saved: onboardingForm() });
    a.update(onboardingForm());
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.saves).toHaveLength(0);
    expect(a.dirty).toBe(false);
    a.update({ ...onboardingForm(), name: "x" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.saves).toHaveLength(1);
  });

  it("stores a snapshot, not the live object", async () => {
    const store = new MemoryDraftStore<FormDefinition>();
    const a = saver(store);
    const def = onboardingForm();
    a.update(def);
    await a.flush();
    def.name = "changed after save";
    expect((await store.load("form:f1"))?.value.name).toBe("Client onboarding (KYC)");
  });

  it("saves edits made while a save is running, in order", async () => {
    const store = new RecordingStore<FormDefinition>();
    let open: () => void = () => {};
    store.gate = new Promise<void>((r) => (open = r));
    const a = saver(store);
    a.update({ ...onboardingForm(), name: "first" });
    const first = a.flush();
    a.update({ ...onboardingForm(), name: "second" });
    store.gate = null;
    open();
    await first;
    await a.flush();
    expect(store.saves.map((s) => s.value.name)).toEqual(["first", "second"]);
    expect((await store.load("form:f1"))?.value.name).toBe("second");
  });

  it("reports a failed save and retries on the next flush", async () => {
    const store = new RecordingStore<FormDefinition>();
    const statuses: AutosaveStatus[] = [];
    const a = saver(store, statuses);
    store.failNext = true;
    a.update(onboardingForm());
    await a.flush();
    expect(a.status).toBe("error");
    expect(String(a.lastError)).toContain("disk full");
    expect(a.dirty).toBe(true);
    await a.flush();
    expect(a.status).toBe("saved");
    expect(store.saves).toHaveLength(1);
    expect(statuses).toEqual(["pending", "saving", "error", "saving", "saved"]);
  });

  it("discard removes the draft and ignores later edits", async () => {
    const store = new RecordingStore<FormDefinition>();
    const a = saver(store);
    a.update(onboardingForm());
    await a.flush();
    await a.discard();
    a.update({ ...onboardingForm(), name: "late" });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await store.load("form:f1")).toBeNull();
    expect(store.saves).toHaveLength(1);
  });
});

describe("reopening", () => {
  it("offers a stored draft only when it differs from the server's copy", async () => {
    const store = new MemoryDraftStore<FormDefinition>();
    const server = onboardingForm();
    expect(await unsavedDraft(store, "form:f1", server)).toBeNull();
    const a = saver(store);
    a.update(server);
    await a.flush();
    expect(await unsavedDraft(store, "form:f1", onboardingForm())).toBeNull();
    a.update({ ...server, name: "edited offline" });
    await a.flush();
    const offered = await unsavedDraft(store, "form:f1", server);
    expect(offered?.value.name).toBe("edited offline");
    expect(offered?.baseVersion).toBe(3);
    // A new form (nothing on the server) offers any draft.
    expect(await unsavedDraft(store, "form:f1", null)).not.toBeNull();
  });

  it("keys drafts by form id or local id", () => {
    expect(draftKey("abc", "local-1")).toBe("form:abc");
    expect(draftKey(null, "local-1")).toBe("new:local-1");
  });
});

describe("WebStorageDraftStore", () => {
  function fakeStorage(): WebStorageLike & { data: Map<string, string> } {
    const data = new Map<string, string>();
    return {
      data,
      get length() {
        return data.size;
      },
      key: (i) => [...data.keys()][i] ?? null,
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    };
  }

  it("round-trips drafts under its prefix and lists only its own", async () => {
    const storage = fakeStorage();
    storage.setItem("other", "x");
    storage.setItem("penneo-desk.draft.broken", "{not json");
    const store = new WebStorageDraftStore<FormDefinition>(storage);
    const record: DraftRecord<FormDefinition> = { key: "new:1", value: onboardingForm(), savedAt: "t", baseVersion: null };
    await store.save(record);
    expect(storage.data.has("penneo-desk.draft.new:1")).toBe(true);
    expect(await store.load("new:1")).toEqual(record);
    expect(await store.load("broken")).toBeNull();
    expect((await store.list()).map((r) => r.key)).toEqual(["new:1"]);
    await store.remove("new:1");
    expect(await store.load("new:1")).toBeNull();
  });
});
