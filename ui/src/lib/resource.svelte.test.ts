// @vitest-environment jsdom
// A .svelte.test.ts file: the subject is reactive state, as a view's props are.
import { flushSync } from "svelte";
import { describe, expect, it } from "vitest";
import { resource } from "./resource.svelte";

describe("a resource that follows its subject", () => {
  it("drops what the old subject showed and what it still had on its way, and reads for the new one", async () => {
    const answers = new Map<string, (v: string) => void>();
    let subject: string | null = $state("a");
    const r = resource(() => {
      const asked = subject ?? "";
      return new Promise<string>((resolve) => answers.set(asked, resolve));
    }, "");
    const stop = $effect.root(() => r.readFor(() => subject));
    flushSync();
    expect(r.loading).toBe(true);
    answers.get("a")!("answer for a");
    await Promise.resolve();
    await Promise.resolve();
    expect(r.data).toBe("answer for a");

    subject = "b";
    flushSync();
    expect(r.data).toBe("");
    const late = answers.get("b")!;
    subject = null;
    flushSync();
    // No subject: nothing is read, and b's answer no longer lands.
    late("answer for b");
    await Promise.resolve();
    await Promise.resolve();
    expect(r.data).toBe("");
    expect(r.loading).toBe(false);
    expect(r.loaded).toBe(false);
    stop();
  });
});
