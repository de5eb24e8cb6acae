// @vitest-environment jsdom
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError } from "./backend";
import { resource } from "./resource.svelte";

afterEach(() => clearMocks());

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("a resource", () => {
  it("shows what a read answered and says when it is loading", async () => {
    const answer = deferred<string[]>();
    const r = resource(() => answer.promise, []);
    expect(r.loaded).toBe(false);
    const shown = r.load();
    expect(r.loading).toBe(true);
    expect(r.pending).toBe("load");
    answer.resolve(["a"]);
    expect(await shown).toBe(true);
    expect(r.data).toEqual(["a"]);
    expect(r.loading).toBe(false);
    expect(r.pending).toBeNull();
    expect(r.loaded).toBe(true);
    expect(r.error).toBeNull();
  });

  it("drops an older answer that resolves after a newer one", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const r = resource(() => older.promise, "none");
    const first = r.load();
    const second = r.load(() => newer.promise);
    newer.resolve("new");
    expect(await second).toBe(true);
    older.resolve("old");
    expect(await first).toBe(false);
    expect(r.data).toBe("new");
    expect(r.loading).toBe(false);
  });

  it("drops an older answer that resolves before the newer one, and stays loading for it", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const r = resource(() => older.promise, "none");
    const first = r.load();
    const second = r.load(() => newer.promise, "refresh");
    older.resolve("old");
    expect(await first).toBe(false);
    expect(r.data).toBe("none");
    expect(r.loading).toBe(true);
    expect(r.pending).toBe("refresh");
    newer.resolve("new");
    expect(await second).toBe(true);
    expect(r.data).toBe("new");
  });

  it("drops an error from a superseded read, and keeps the data when the newest read fails", async () => {
    const older = deferred<number>();
    const newer = deferred<number>();
    const r = resource(() => older.promise, 0);
    const first = r.load();
    const second = r.load(() => newer.promise);
    newer.resolve(2);
    await second;
    older.reject({ code: "offline", message: "no network", retryable: true });
    expect(await first).toBe(false);
    expect(r.error).toBeNull();
    expect(r.data).toBe(2);

    expect(await r.load(() => Promise.reject(new BackendError("not_found", "gone")))).toBe(false);
    expect(r.error?.code).toBe("not_found");
    expect(r.error?.message).toBe("gone");
    expect(r.data).toBe(2);
    expect(r.loading).toBe(false);

    expect(await r.load(() => Promise.resolve(3))).toBe(true);
    expect(r.error).toBeNull();
  });

  it("turns a fetcher that throws at once into an error, not an exception", async () => {
    const r = resource<number>(() => {
      throw new BackendError("invalid_input", "bad");
    }, 0);
    expect(await r.load()).toBe(false);
    expect(r.error?.code).toBe("invalid_input");
  });

  it("set() and reset() supersede reads on their way", async () => {
    const pending = deferred<string>();
    const r = resource(() => pending.promise, "start");
    const read = r.load();
    r.set("saved");
    expect(r.loading).toBe(false);
    pending.resolve("late");
    expect(await read).toBe(false);
    expect(r.data).toBe("saved");

    const again = deferred<string>();
    const read2 = r.load(() => again.promise);
    r.reset();
    expect(r.data).toBe("start");
    expect(r.loaded).toBe(false);
    expect(r.loading).toBe(false);
    again.reject(new BackendError("offline", "no network"));
    expect(await read2).toBe(false);
    expect(r.error).toBeNull();
  });

  it("cancel() drops the reads on their way and keeps what is shown", async () => {
    const r = resource(() => Promise.resolve("first"), "");
    await r.load();
    const pending = deferred<string>();
    const read = r.load(() => pending.promise);
    r.cancel();
    expect(r.loading).toBe(false);
    pending.resolve("late");
    expect(await read).toBe(false);
    expect(r.data).toBe("first");
    expect(r.loaded).toBe(true);
  });

  it("invalidate() reads again with its own fetcher", async () => {
    let n = 0;
    const r = resource(async () => ++n, 0);
    await r.load();
    expect(r.data).toBe(1);
    expect(await r.invalidate()).toBe(true);
    expect(r.data).toBe(2);
  });

  it("reads again on the backend news it follows, and stops when told", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    let n = 0;
    const r = resource(async () => ++n, 0);
    const stop = r.invalidateOn((ev) => ev.type === "newsMissed");
    await tick();
    await emit("backend-event", { type: "uploadProgress", entryId: "e1", bytesSent: 1, totalBytes: 2 });
    await tick();
    expect(n).toBe(0);
    await emit("backend-event", { type: "newsMissed", count: 1 });
    await tick();
    expect(r.data).toBe(1);
    stop();
    await tick();
    await emit("backend-event", { type: "newsMissed", count: 1 });
    await tick();
    expect(r.data).toBe(1);
  });

  it("reads once after a burst of news when asked to wait for quiet", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    let n = 0;
    const r = resource(async () => ++n, 0);
    const stop = r.invalidateOn(() => true, 20);
    await tick();
    for (let i = 0; i < 3; i++) await emit("backend-event", { type: "newsMissed", count: 1 });
    await new Promise((res) => setTimeout(res, 60));
    expect(n).toBe(1);
    stop();
  });

  it("reads again when the account changes", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    let n = 0;
    let before = 0;
    const r = resource(async () => ++n, 0);
    const stop = r.invalidateOnAccountChange(() => before++);
    await tick();
    await emit("account-changed", null);
    await tick();
    expect(before).toBe(1);
    expect(r.data).toBe(1);
    stop();
  });
});
