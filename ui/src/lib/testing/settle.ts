// Lets a mounted component tree settle in a jsdom test: Svelte's pending updates, the mocked
// backend's answers (promises and zero-delay timers), and the views loaded on first use
// (src/lib/lazy.svelte.ts), a few rounds since one answer can start the next read.
import { flushSync, tick } from "svelte";
import { lazyLoadsSettled } from "../lazy.svelte";

export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
    await lazyLoadsSettled();
  }
  flushSync();
}
