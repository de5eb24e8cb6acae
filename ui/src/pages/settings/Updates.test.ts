// @vitest-environment jsdom
// Settings → Updates with Tauri's IPC mocked: not set up, up to date, offered and installed,
// and a refused (tampered) package.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import UpdatesSection from "./UpdatesSection.svelte";

let app: ReturnType<typeof mount> | null = null;

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
}

function q<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T {
  const el = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid=${id}`);
  return el;
}

function mountSection(): HTMLElement {
  const target = document.createElement("div");
  document.body.appendChild(target);
  app = mount(UpdatesSection, { target });
  return target;
}

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
});

const REFUSED =
  "The update was refused: its signature does not match Penneo Desk's update key, so it may have been changed on the way. Nothing was installed.";

describe("updates in Settings", () => {
  it("says updates are not set up in a build without a feed", async () => {
    mockIPC((cmd) => {
      if (cmd === "check_for_update") return { currentVersion: "0.1.0", configured: false, available: null };
      throw new Error(`unexpected ${cmd}`);
    });
    const root = mountSection();
    q<HTMLButtonElement>(root, "update-check").click();
    await settle();
    expect(q(root, "update-status").dataset.state).toBe("not-configured");
    expect(q(root, "update-status").textContent).toContain("not set up");
    expect(root.querySelector('[data-testid="update-install"]')).toBeNull();
  });

  it("offers a newer version and installs it", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "check_for_update")
        return { currentVersion: "0.1.0", configured: true, available: { version: "0.2.0", date: null, notes: "Faster sync." } };
      if (cmd === "install_update") return null;
      throw new Error(`unexpected ${cmd}`);
    });
    const root = mountSection();
    q<HTMLButtonElement>(root, "update-check").click();
    await settle();
    expect(q(root, "update-status").dataset.state).toBe("available");
    expect(q(root, "update-status").textContent).toContain("0.2.0");
    expect(q(root, "update-notes").textContent).toBe("Faster sync.");
    expect(q(root, "update-install").textContent).toBe("Install and restart");
    q<HTMLButtonElement>(root, "update-install").click();
    await settle();
    expect(calls).toEqual(["check_for_update", "install_update"]);
  });

  it("shows the refusal of a package whose signature does not match", async () => {
    mockIPC((cmd) => {
      if (cmd === "check_for_update")
        return { currentVersion: "0.1.0", configured: true, available: { version: "0.2.0", date: null, notes: null } };
      if (cmd === "install_update") throw { code: "forbidden", message: REFUSED, retryable: false };
      throw new Error(`unexpected ${cmd}`);
    });
    const root = mountSection();
    q<HTMLButtonElement>(root, "update-check").click();
    await settle();
    q<HTMLButtonElement>(root, "update-install").click();
    await settle();
    expect(q(root, "update-error").textContent).toBe(REFUSED);
    expect(root.querySelector('[data-testid="update-install"]')).toBeNull();
  });

  it("says when the newest version is running", async () => {
    mockIPC((cmd) => {
      if (cmd === "check_for_update") return { currentVersion: "0.2.0", configured: true, available: null };
      throw new Error(`unexpected ${cmd}`);
    });
    const root = mountSection();
    q<HTMLButtonElement>(root, "update-check").click();
    await settle();
    expect(q(root, "update-status").dataset.state).toBe("up-to-date");
  });
});
