// @vitest-environment jsdom
// The shared account status: reads after account news can overlap and answer in any order; the
// newest read is the one shown (a sign-in must not be undone by a read that started before it).
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { account } from "./account.svelte";
import type { AccountStatus } from "./backend";

afterEach(() => clearMocks());

const base: AccountStatus = { accountId: "acc-1", environment: "demo", signedIn: false, displayName: null, email: null, apiHost: null };

describe("the account status", () => {
  it("shows the newest read when an older one answers last", async () => {
    let reads = 0;
    let releaseFirst: (() => void) | null = null;
    mockIPC(async (cmd) => {
      if (cmd !== "account_status") throw new Error(`unexpected ${cmd}`);
      const n = ++reads;
      // The first read saw the account before its sign-in finished, and answers last.
      if (n === 1) {
        await new Promise<void>((r) => (releaseFirst = r));
        return base;
      }
      return { ...base, signedIn: true, displayName: "Demo Practice" };
    });
    const first = account.refresh();
    await new Promise((r) => setTimeout(r, 0));
    await account.refresh();
    expect(account.signedIn).toBe(true);
    releaseFirst!();
    await first;
    expect(account.signedIn).toBe(true);
  });
});
