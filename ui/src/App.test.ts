// @vitest-environment jsdom
// The shell rendered in a DOM, with Tauri's IPC replaced by @tauri-apps/api/mocks: navigation,
// aria-current, the account indicator, and the backend-unavailable path.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { withBackendDefaults } from "./lib/testing/ipc";
import { settle } from "./lib/testing/settle";

let app: ReturnType<typeof mount> | null = null;

function render(): HTMLElement {
  const target = document.createElement("div");
  document.body.appendChild(target);
  app = mount(App, { target });
  flushSync();
  return target;
}

function byTestId(root: HTMLElement, id: string): HTMLElement {
  const el = root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid=${id}`);
  return el;
}

async function navigate(hash: string): Promise<void> {
  location.hash = hash;
  window.dispatchEvent(new HashChangeEvent("hashchange"));
  await settle(5);
}

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
  history.replaceState(null, "", "/");
});

describe("the shell", () => {
  it("shows the navigation, the forms page first, and follows the hash", async () => {
    mockIPC(
      withBackendDefaults((cmd) => {
        if (cmd === "account_status") return { environment: "demo", signedIn: false, displayName: null, email: null };
        if (cmd === "app_info") return { name: "Penneo Desk", version: "0.1.0" };
        throw new Error(`unexpected command ${cmd}`);
      }),
      { shouldMockEvents: true },
    );
    const root = render();
    await settle(5);

    expect(root.textContent).toContain("Penneo Desk");
    for (const page of ["forms", "casefiles", "submissions", "settings"]) {
      const link = byTestId(root, `nav-${page}`);
      expect(link.tagName).toBe("A");
      expect(link.getAttribute("href")).toBe(`#/${page}`);
    }
    expect(byTestId(root, "page-forms")).toBeTruthy();
    expect(byTestId(root, "nav-forms").getAttribute("aria-current")).toBe("page");
    expect(byTestId(root, "nav-casefiles").hasAttribute("aria-current")).toBe(false);

    await navigate("#/casefiles");
    expect(root.querySelector('[data-testid="page-forms"]')).toBeNull();
    expect(byTestId(root, "page-casefiles")).toBeTruthy();
    expect(byTestId(root, "nav-casefiles").getAttribute("aria-current")).toBe("page");
    expect(byTestId(root, "nav-forms").hasAttribute("aria-current")).toBe(false);
    // Focus moved to the new page's heading.
    expect(document.activeElement?.tagName).toBe("H1");
    expect(document.activeElement?.textContent).toBe("Casefiles");
    expect(document.title).toBe("Casefiles — Penneo Desk");

    await navigate("#/submissions");
    expect(byTestId(root, "page-submissions")).toBeTruthy();

    await navigate("#/settings");
    expect(byTestId(root, "page-settings")).toBeTruthy();
    expect(byTestId(root, "app-version").textContent).toBe("0.1.0");
    expect(byTestId(root, "settings-environment").textContent).toBe("Demo");
  });

  it("shows the environment and that nobody is signed in", async () => {
    mockIPC(
      withBackendDefaults((cmd) =>
        cmd === "account_status"
          ? { environment: "demo", signedIn: false, displayName: null, email: null }
          : { name: "Penneo Desk", version: "0.1.0" },
      ),
      { shouldMockEvents: true },
    );
    const root = render();
    await settle(5);
    const indicator = byTestId(root, "account-indicator");
    expect(byTestId(indicator, "environment-badge").textContent).toBe("Demo");
    expect(byTestId(indicator, "account-user").textContent).toBe("Not signed in");
    // Signed out: the empty state points to Settings.
    expect(byTestId(root, "page-forms").textContent).toContain("once you sign in");
  });

  it("shows who is signed in and where", async () => {
    mockIPC(
      withBackendDefaults((cmd) =>
        cmd === "account_status"
          ? { environment: "sandbox", signedIn: true, displayName: "Ada Lovelace", email: "ada@example.com" }
          : { name: "Penneo Desk", version: "0.1.0" },
      ),
      { shouldMockEvents: true },
    );
    const root = render();
    await settle(5);
    const indicator = byTestId(root, "account-indicator");
    expect(byTestId(indicator, "environment-badge").textContent).toBe("Sandbox");
    expect(byTestId(indicator, "account-user").textContent).toBe("Ada Lovelace");
    expect(byTestId(root, "page-forms").textContent).not.toContain("once you sign in");
  });

  it("says so when the backend reports an error", async () => {
    mockIPC(
      withBackendDefaults((cmd) => {
        if (cmd === "account_status") throw { code: "offline", message: "No connection", retryable: true };
        return { name: "Penneo Desk", version: "0.1.0" };
      }),
      { shouldMockEvents: true },
    );
    const root = render();
    await settle(5);
    const indicator = byTestId(root, "account-indicator");
    expect(indicator.textContent).toContain("Account status unavailable");
    expect(indicator.querySelector("[title]")?.getAttribute("title")).toBe("No connection");
  });

  it("welcomes a first start once, tells the backend its language, and remembers the welcome was seen", async () => {
    const updates: unknown[] = [];
    mockIPC(
      (cmd, payload) => {
        if (cmd === "preferences") return { language: null, welcomeSeen: false, confirmProductionSends: false };
        if (cmd === "set_preferences") {
          const update = (payload as { update: Record<string, unknown> }).update;
          updates.push(update);
          return { language: "en", welcomeSeen: update.welcomeSeen === true, confirmProductionSends: false };
        }
        if (cmd === "account_status") return { environment: "demo", signedIn: true, displayName: "Demo Practice", email: null };
        if (cmd === "list_forms") return { result: [], nextCursor: null };
        if (cmd === "sync_forms") return 0;
        return { name: "Penneo Desk", version: "0.1.0" };
      },
      { shouldMockEvents: true },
    );
    const root = render();
    await settle(5);
    expect(root.querySelector("[data-welcome]")?.getAttribute("data-welcome")).toBe("open");
    const welcome = document.querySelector<HTMLElement>('[data-testid="welcome"]')!;
    expect(welcome.textContent).toContain("Nothing in it reaches real clients");
    expect(updates[0]).toMatchObject({ language: document.documentElement.lang || navigator.language });
    welcome.querySelector<HTMLButtonElement>('[data-testid="welcome-connect"]')!.click();
    await settle(5);
    const email = document.querySelector<HTMLTextAreaElement>('[data-testid="welcome-email"]')!.value;
    expect(email).toContain("Redirect URI, exactly as written: http://127.0.0.1:8765/callback");
    document.querySelector<HTMLButtonElement>('[data-testid="welcome"] [data-testid="welcome-explore"]')!.click();
    await settle(5);
    expect(document.querySelector('[data-testid="welcome"]')).toBeNull();
    expect(root.querySelector("[data-welcome]")?.getAttribute("data-welcome")).toBe("closed");
    expect(updates[updates.length - 1]).toMatchObject({ welcomeSeen: true });
  });

  it("moves focus between nav links with the arrow keys", async () => {
    mockIPC(
      withBackendDefaults(() => ({ environment: "demo", signedIn: false, displayName: null, email: null })),
      { shouldMockEvents: true },
    );
    const root = render();
    await settle(5);
    const forms = byTestId(root, "nav-forms");
    forms.focus();
    forms.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(document.activeElement).toBe(byTestId(root, "nav-casefiles"));
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    expect(document.activeElement).toBe(byTestId(root, "nav-settings"));
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(document.activeElement).toBe(forms);
    forms.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
    expect(document.activeElement).toBe(byTestId(root, "nav-settings"));
  });
});
