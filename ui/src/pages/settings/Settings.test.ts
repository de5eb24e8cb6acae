// @vitest-environment jsdom
// The Settings page in a DOM with Tauri's IPC mocked: the account list's states and actions,
// the add-account form's own checks (no backend call on bad input), a backend rejection placed
// next to its field, and the sign-in outcome.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import SettingsPage from "../SettingsPage.svelte";
import type { Account, SessionInfo } from "../../lib/backend";
import { signInFlow } from "../../lib/settings/signin.svelte";
import { withBackendDefaults } from "../../lib/testing/ipc";
import { settle } from "../../lib/testing/settle";

let app: ReturnType<typeof mount> | null = null;

function render(): HTMLElement {
  const target = document.createElement("div");
  document.body.appendChild(target);
  app = mount(SettingsPage, { target });
  flushSync();
  return target;
}

function q<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T {
  const el = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid=${id}`);
  return el;
}

function type(el: HTMLInputElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

afterEach(() => {
  if (app) void unmount(app);
  app = null;
  document.body.innerHTML = "";
  clearMocks();
  signInFlow.state = { kind: "idle" };
});

function account(over: Partial<Account>): Account {
  return {
    id: "x",
    label: "X",
    environment: "sandbox",
    oauthHost: "https://sandbox.oauth.penneo.cloud",
    apiHost: "https://sandbox.penneo.com",
    authKind: "oauth",
    clientId: "client-1",
    apiKey: null,
    redirectPort: 8765,
    redirectHost: "127.0.0.1",
    userName: null,
    userEmail: null,
    isActive: false,
    createdAt: "2026-01-01T00:00:00Z",
    lastSignedInAt: null,
    ...over,
  };
}

/** A small in-memory backend: accounts with sessions, and every call recorded. */
function fakeBackend(initial: SessionInfo[]) {
  const sessions = [...initial];
  const calls: { cmd: string; payload: unknown }[] = [];
  let signInResult: (id: string) => unknown = (id) => {
    const s = sessions.find((x) => x.account.id === id)!;
    for (const o of sessions) o.account.isActive = o === s;
    s.signedIn = true;
    return s.account;
  };
  const handler = (cmd: string, payload?: unknown): unknown => {
    calls.push({ cmd, payload });
    const p = (payload ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case "account_status": {
        const a = sessions.find((s) => s.account.isActive);
        return {
          accountId: a?.account.id ?? null,
          environment: a?.account.environment ?? "demo",
          signedIn: !!a && (a.signedIn || a.canResume),
          displayName: a?.account.userName ?? null,
          email: a?.account.userEmail ?? null,
          apiHost: a?.account.apiHost ?? null,
        };
      }
      case "list_accounts":
        return structuredClone(sessions);
      case "app_info":
        return { name: "Penneo Desk", version: "0.1.0" };
      case "storage_info":
        return {
          dataDir: "/home/a/.local/share/penneo-desk",
          secretStore: "file",
          secretStoreDescription: "A 0600 file in the data folder",
          fallbackReason: "No keychain answered",
        };
      case "sync_state":
        return [{ scope: "forms", watermark: null, lastSyncedAt: new Date().toISOString() }];
      case "switch_account":
        for (const s of sessions) s.account.isActive = s.account.id === p.accountId;
        return null;
      case "sign_out": {
        const s = sessions.find((x) => x.account.id === p.accountId)!;
        Object.assign(s, { signedIn: false, canResume: false, hasSecrets: false });
        return null;
      }
      case "remove_account":
        sessions.splice(
          sessions.findIndex((x) => x.account.id === p.accountId),
          1,
        );
        return null;
      case "set_account_secrets": {
        const s = sessions.find((x) => x.account.id === p.accountId)!;
        s.hasSecrets = true;
        return null;
      }
      case "add_account": {
        const n = p.account as { label: string; environment: Account["environment"] };
        const a = account({ id: `new-${sessions.length}`, label: n.label, environment: n.environment });
        sessions.push({ account: a, signedIn: false, canResume: false, hasSecrets: true });
        return a;
      }
      case "sign_in":
        return signInResult(p.accountId as string);
      case "cancel_sign_in":
        return true;
      case "open_demo": {
        const s = sessions.find((x) => x.account.environment === "demo")!;
        for (const o of sessions) o.account.isActive = o === s;
        Object.assign(s, { signedIn: true, canResume: true, hasSecrets: true });
        return s.account;
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  };
  return {
    sessions,
    calls,
    handler,
    names: () => calls.map((c) => c.cmd),
    failSignIn(error: { code: string; message: string; field?: string }) {
      signInResult = () => {
        throw { ...error, retryable: false };
      };
    },
  };
}

const demo = (): SessionInfo => ({
  account: account({
    id: "demo",
    label: "Demo workspace",
    environment: "demo",
    userName: "Demo Practice",
    userEmail: "demo@penneo.local",
    isActive: true,
    oauthHost: "http://127.0.0.1:4000",
    apiHost: "http://127.0.0.1:4000",
  }),
  signedIn: true,
  canResume: true,
  hasSecrets: true,
});

const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('[data-testid="account-row"]')];
const row = (root: HTMLElement, id: string) => rows(root).find((r) => r.dataset.accountId === id)!;

describe("Settings: accounts", () => {
  it("lists the accounts with their state, the active one first, and the storage", async () => {
    const be = fakeBackend([
      { account: account({ id: "sb", label: "Sandbox", clientId: "abc" }), signedIn: false, canResume: true, hasSecrets: true },
      {
        account: account({ id: "out", label: "Signed out", environment: "production" }),
        signedIn: false,
        canResume: false,
        hasSecrets: false,
      },
      demo(),
    ]);
    mockIPC(withBackendDefaults(be.handler), { shouldMockEvents: true });
    const root = render();
    await settle();

    expect(rows(root).map((r) => r.dataset.accountId)).toEqual(["demo", "out", "sb"]);
    const d = row(root, "demo");
    expect(d.dataset.active).toBe("true");
    expect(d.dataset.state).toBe("signedIn");
    expect(q(d, "account-row-user").textContent).toBe("Demo Practice (demo@penneo.local)");
    expect(q(d, "account-active").textContent).toBe("Active");
    expect(d.querySelector('[data-testid="account-switch"]')).toBeNull();
    expect(q<HTMLButtonElement>(d, "account-remove").disabled).toBe(true);

    const sb = row(root, "sb");
    expect(sb.dataset.state).toBe("canResume");
    expect(q(sb, "account-row-state").textContent).toBe("Can resume");
    expect(q(sb, "account-switch")).toBeTruthy();

    const out = row(root, "out");
    expect(out.dataset.state).toBe("needsSecrets");
    expect(q(out, "account-row-state").textContent).toBe("Needs sign-in");
    expect(out.querySelector('[data-testid="account-sign-out"]')).toBeNull();

    expect(q(root, "settings-environment").textContent).toBe("Demo");
    expect(q(root, "storage-secret-store").dataset.store).toBe("file");
    expect(q(root, "storage-fallback-reason").textContent).toContain("No keychain answered");
    expect(q(root, "app-version").textContent).toBe("0.1.0");
  });

  it("switches, and signs out only after confirming", async () => {
    const be = fakeBackend([
      demo(),
      { account: account({ id: "sb", label: "Sandbox" }), signedIn: true, canResume: true, hasSecrets: true },
    ]);
    mockIPC(withBackendDefaults(be.handler), { shouldMockEvents: true });
    const root = render();
    await settle();

    q(row(root, "sb"), "account-switch").click();
    await settle();
    expect(be.names()).toContain("switch_account");
    expect(row(root, "sb").dataset.active).toBe("true");
    expect(q(root, "settings-environment").textContent).toBe("Sandbox");

    q(row(root, "sb"), "account-sign-out").click();
    flushSync();
    expect(be.names()).not.toContain("sign_out");
    expect(q(row(root, "sb"), "account-confirm").textContent).toContain("deletes the");
    q(row(root, "sb"), "confirm-cancel").click();
    flushSync();
    expect(be.names()).not.toContain("sign_out");

    q(row(root, "sb"), "account-sign-out").click();
    flushSync();
    q(row(root, "sb"), "confirm-sign-out").click();
    await settle();
    expect(be.names()).toContain("sign_out");
    expect(row(root, "sb").dataset.state).toBe("needsSecrets");
    expect(q(root, "accounts-notice").textContent).toContain("Signed out of “Sandbox”");

    // Signing in again asks for the secret first, then signs in.
    q(row(root, "sb"), "account-sign-in").click();
    await settle();
    q(row(root, "sb"), "account-secrets-submit").click();
    await settle();
    expect(q(row(root, "sb"), "field-error-clientSecret").textContent).toContain("client secret");
    expect(be.names()).not.toContain("set_account_secrets");
    type(q<HTMLInputElement>(row(root, "sb"), "account-secrets-client-secret"), "again");
    q(row(root, "sb"), "account-secrets-submit").click();
    await settle();
    const set = be.calls.find((c) => c.cmd === "set_account_secrets");
    expect(set?.payload).toEqual({ accountId: "sb", secrets: { clientSecret: "again", apiSecret: null } });
    const names = be.names();
    expect(names.indexOf("sign_in")).toBeGreaterThan(names.indexOf("set_account_secrets"));
    expect(row(root, "sb").dataset.state).toBe("signedIn");
  });

  it("signs the demo in again by opening it (its client is public: nothing to enter)", async () => {
    const signedOut = { ...demo(), signedIn: false, canResume: false, hasSecrets: false };
    const be = fakeBackend([signedOut]);
    mockIPC(withBackendDefaults(be.handler), { shouldMockEvents: true });
    const root = render();
    await settle();
    expect(row(root, "demo").dataset.state).toBe("needsSecrets");
    q(row(root, "demo"), "account-sign-in").click();
    await settle();
    expect(be.names()).toContain("open_demo");
    expect(be.names()).not.toContain("set_account_secrets");
    expect(root.querySelector('[data-testid="account-secrets-form"]')).toBeNull();
    expect(row(root, "demo").dataset.state).toBe("signedIn");
  });

  it("removes an account after confirming", async () => {
    const be = fakeBackend([
      demo(),
      { account: account({ id: "sb", label: "Sandbox" }), signedIn: false, canResume: false, hasSecrets: true },
    ]);
    mockIPC(withBackendDefaults(be.handler), { shouldMockEvents: true });
    const root = render();
    await settle();
    q(row(root, "sb"), "account-remove").click();
    await settle();
    expect(q(row(root, "sb"), "account-confirm").textContent).toContain("everything");
    // The safe answer has the focus.
    expect(document.activeElement).toBe(q(row(root, "sb"), "confirm-cancel"));
    q(row(root, "sb"), "confirm-remove").click();
    await settle();
    expect(rows(root).map((r) => r.dataset.accountId)).toEqual(["demo"]);
  });
});

describe("Settings: add account", () => {
  async function openForm() {
    const be = fakeBackend([demo()]);
    mockIPC(withBackendDefaults(be.handler), { shouldMockEvents: true });
    const root = render();
    await settle();
    q(root, "add-account").click();
    flushSync();
    return { be, root, form: q(root, "add-account-form") };
  }

  it("shows the redirect URI for the port as typed", async () => {
    const { form } = await openForm();
    expect(q(form, "account-redirect-uri").textContent).toBe("http://127.0.0.1:8765/callback");
    type(q<HTMLInputElement>(form, "account-redirect-port"), "9123");
    expect(q(form, "account-redirect-uri").textContent).toBe("http://127.0.0.1:9123/callback");
    type(q<HTMLInputElement>(form, "account-redirect-port"), "80");
    expect(form.querySelector('[data-testid="account-redirect-uri"]')).toBeNull();
  });

  it("bad input shows errors next to the fields and calls nothing", async () => {
    const { be, form } = await openForm();
    q<HTMLInputElement>(form, "account-environment-custom").click();
    flushSync();
    type(q<HTMLInputElement>(form, "account-oauth-host"), "http://penneo.example.com");
    type(q<HTMLInputElement>(form, "account-api-host"), "https://api.example.com");
    type(q<HTMLInputElement>(form, "account-redirect-port"), "80");
    q<HTMLButtonElement>(form, "add-account-submit").click();
    await settle();
    expect(q(form, "field-error-clientId").textContent).toMatch(/client id/);
    expect(q(form, "field-error-clientSecret").textContent).toMatch(/secret/);
    expect(q(form, "field-error-redirectPort").textContent).toMatch(/1024 to 65535/);
    expect(q(form, "field-error-oauthHost").textContent).toMatch(/https:\/\//);
    expect(form.querySelector('[data-testid="field-error-apiHost"]')).toBeNull();
    expect(q(form, "account-client-id").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(q(form, "account-oauth-host"));
    expect(be.names()).not.toContain("add_account");

    // Fixing a field clears its message as you type.
    type(q<HTMLInputElement>(form, "account-client-id"), "cid");
    expect(form.querySelector('[data-testid="field-error-clientId"]')).toBeNull();
  });

  it("adds, signs in and closes; the waiting state has Cancel", async () => {
    const { be, root, form } = await openForm();
    let release: (v: unknown) => void = () => {};
    const wait = new Promise((r) => (release = r));
    const base = be.handler;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "sign_in") return wait.then(() => base(cmd, payload));
        return base(cmd, payload);
      }),
      { shouldMockEvents: true },
    );
    type(q<HTMLInputElement>(form, "account-client-id"), "cid");
    type(q<HTMLInputElement>(form, "account-client-secret"), "csecret");
    q<HTMLButtonElement>(form, "add-account-submit").click();
    await settle();
    const status = q(form, "sign-in-status");
    expect(status.dataset.state).toBe("waiting");
    expect(status.textContent).toContain("Finish signing in in your browser…");
    expect(q(form, "cancel-sign-in")).toBeTruthy();
    release(null);
    await settle();
    expect(root.querySelector('[data-testid="add-account-form"]')).toBeNull();
    expect(q(root, "accounts-notice").textContent).toContain("“Penneo sandbox” was added and signed in");
    const added = be.calls.find((c) => c.cmd === "add_account")!.payload as { account: unknown };
    expect(added.account).toEqual({
      label: "Penneo sandbox",
      environment: "sandbox",
      auth: { kind: "oauth", clientId: "cid", clientSecret: "csecret", redirectPort: 8765, redirectHost: "127.0.0.1" },
    });
  });

  it("the redirect host is a choice, the exact URI can be copied, and a mismatch lands at the port", async () => {
    const { be, form } = await openForm();
    expect(q(form, "account-redirect-uri").textContent).toBe("http://127.0.0.1:8765/callback");
    q<HTMLInputElement>(form, "account-redirect-host-localhost").click();
    flushSync();
    expect(q(form, "account-redirect-uri").textContent).toBe("http://localhost:8765/callback");
    expect(q(form, "account-redirect-mismatch-help").textContent).toContain("exactly http://localhost:8765/callback");
    const copied: string[] = [];
    Object.defineProperty(navigator, "clipboard", {
      configurable: true,
      value: { writeText: async (t: string) => void copied.push(t) },
    });
    q<HTMLButtonElement>(form, "account-redirect-uri-copy").click();
    await settle();
    expect(copied).toEqual(["http://localhost:8765/callback"]);
    expect(q(form, "account-redirect-uri-copied").textContent).toContain("Copied");
    be.failSignIn({
      code: "redirect_uri_mismatch",
      message:
        "Penneo does not accept http://localhost:8765/callback as this OAuth client's redirect URI: register exactly that address for the client (same host, port and path), or choose the host and port that are registered.",
      field: "redirectPort",
    });
    type(q<HTMLInputElement>(form, "account-client-id"), "cid");
    type(q<HTMLInputElement>(form, "account-client-secret"), "csecret");
    q<HTMLButtonElement>(form, "add-account-submit").click();
    await settle();
    expect(q(form, "field-error-redirectPort").textContent).toContain("register exactly that address");
    expect(q(form, "sign-in-status").dataset.code).toBe("redirect_uri_mismatch");
    const added = be.calls.find((c) => c.cmd === "add_account")!.payload as { account: { auth: unknown } };
    expect(added.account.auth).toMatchObject({ redirectHost: "localhost", redirectPort: 8765 });
  });

  it("Cancel stops the waiting sign-in and says so", async () => {
    const { be, root, form } = await openForm();
    let reject: (e: unknown) => void = () => {};
    const base = be.handler;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "sign_in") return new Promise((_, r) => (reject = r));
        if (cmd === "cancel_sign_in") {
          base(cmd, payload);
          reject({ code: "cancelled", message: "The sign-in was cancelled.", retryable: false });
          return true;
        }
        return base(cmd, payload);
      }),
      { shouldMockEvents: true },
    );
    type(q<HTMLInputElement>(form, "account-client-id"), "cid");
    type(q<HTMLInputElement>(form, "account-client-secret"), "csecret");
    q<HTMLButtonElement>(form, "add-account-submit").click();
    await settle();
    expect(q(form, "sign-in-status").dataset.state).toBe("waiting");
    expect(q<HTMLButtonElement>(form, "add-account-submit").disabled).toBe(true);
    q(form, "cancel-sign-in").click();
    await settle();
    expect(be.names()).toContain("cancel_sign_in");
    const status = q(form, "sign-in-status");
    expect(status.dataset.code).toBe("cancelled");
    expect(q(status, "sign-in-outcome").textContent).toContain("Sign-in cancelled");
    expect(rows(root).map((r) => r.dataset.accountId)).toEqual(["demo"]);
    expect(q<HTMLButtonElement>(form, "add-account-submit").disabled).toBe(false);
  });

  it("a sign-in the backend refuses is shown next to its field and leaves no account behind", async () => {
    const { be, root, form } = await openForm();
    be.failSignIn({ code: "port_in_use", message: "Port 8765 on 127.0.0.1 is in use by another program.", field: "redirectPort" });
    type(q<HTMLInputElement>(form, "account-client-id"), "cid");
    type(q<HTMLInputElement>(form, "account-client-secret"), "csecret");
    q<HTMLButtonElement>(form, "add-account-submit").click();
    await settle();
    expect(q(form, "field-error-redirectPort").textContent).toContain("in use by another program");
    expect(q(form, "sign-in-status").dataset.code).toBe("port_in_use");
    expect(be.names()).toContain("remove_account");
    expect(rows(root).map((r) => r.dataset.accountId)).toEqual(["demo"]);
    // What was typed is still there to correct.
    expect(q<HTMLInputElement>(form, "account-client-id").value).toBe("cid");
  });

  it("an add the backend rejects lands on its field", async () => {
    const { be, form } = await openForm();
    const base = be.handler;
    mockIPC(
      withBackendDefaults((cmd, payload) => {
        if (cmd === "add_account") throw { code: "invalid_input", message: "Enter the API key", retryable: false, field: "apiKey" };
        return base(cmd, payload);
      }),
      { shouldMockEvents: true },
    );
    q<HTMLInputElement>(form, "account-method-apikey").click();
    flushSync();
    type(q<HTMLInputElement>(form, "account-client-id"), "cid");
    type(q<HTMLInputElement>(form, "account-client-secret"), "csecret");
    type(q<HTMLInputElement>(form, "account-api-key"), "k");
    type(q<HTMLInputElement>(form, "account-api-secret"), "s");
    q<HTMLButtonElement>(form, "add-account-submit").click();
    await settle();
    expect(q(form, "field-error-apiKey").textContent).toBe("Enter the API key");
  });
});
