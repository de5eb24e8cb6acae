import { describe, expect, it } from "vitest";
import { BackendError, type Account, type ErrorCode, type SessionInfo } from "../backend";
import { accountUser, canSignOut, sessionState, signInFailure, sortAccounts } from "./accounts";
import { progressLine, syncOverview, timeAgo } from "./sync";

function acc(over: Partial<Account> = {}): Account {
  return {
    id: "a1",
    label: "Penneo sandbox",
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

function session(over: Partial<SessionInfo> = {}, a: Partial<Account> = {}): SessionInfo {
  return { account: acc(a), signedIn: false, canResume: false, hasSecrets: true, ...over };
}

describe("the account list", () => {
  it("names each session state", () => {
    expect(sessionState(session({ signedIn: true, canResume: true }))).toBe("signedIn");
    expect(sessionState(session({ canResume: true }))).toBe("canResume");
    expect(sessionState(session())).toBe("needsSignIn");
    expect(sessionState(session({ hasSecrets: false }))).toBe("needsSecrets");
  });

  it("offers sign-out only when there is something to sign out of", () => {
    expect(canSignOut(session({ signedIn: true }))).toBe(true);
    expect(canSignOut(session({ canResume: true, hasSecrets: false }))).toBe(true);
    expect(canSignOut(session({ hasSecrets: false }))).toBe(false);
  });

  it("shows the user, else the client or key it signs in with", () => {
    expect(accountUser(session({}, { userName: "Demo Practice", userEmail: "demo@penneo.local" }))).toBe(
      "Demo Practice (demo@penneo.local)",
    );
    expect(accountUser(session({}, { userEmail: "a@b.dk" }))).toBe("a@b.dk");
    expect(accountUser(session())).toBe("OAuth client client-1");
    expect(accountUser(session({}, { authKind: "apiKey", apiKey: "key-9" }))).toBe("API key key-9");
  });

  it("lists the active account first, then production, sandbox, custom, demo", () => {
    const list = [
      session({}, { id: "d", environment: "demo", label: "Demo workspace" }),
      session({}, { id: "c", environment: "custom", label: "Sim" }),
      session({}, { id: "s", environment: "sandbox", label: "B" }),
      session({}, { id: "s2", environment: "sandbox", label: "A" }),
      session({}, { id: "p", environment: "production", label: "Live" }),
      session({}, { id: "act", environment: "demo", label: "Active one", isActive: true }),
    ];
    expect(sortAccounts(list).map((s) => s.account.id)).toEqual(["act", "p", "s2", "s", "c", "d"]);
    // The input is not reordered in place.
    expect(list[0]?.account.id).toBe("d");
  });

  it("explains each way a sign-in can end", () => {
    const cases: [ErrorCode, RegExp][] = [
      ["cancelled", /cancelled/],
      ["timeout", /timed out/],
      ["port_in_use", /port is busy/],
      ["redirect_uri_mismatch", /does not know this redirect URI/],
      ["access_denied", /refused/],
      ["state_mismatch", /did not match/],
      ["offline", /could not be reached/],
      ["internal", /did not finish/],
    ];
    for (const [code, title] of cases) {
      const f = signInFailure(new BackendError(code, `the ${code} message`));
      expect(f.title, code).toMatch(title);
      if (code !== "cancelled") expect(f.detail, code).toContain(`the ${code} message`);
    }
  });
});

describe("the sync overview", () => {
  it("groups the scopes and finds the least recently synced form", () => {
    const o = syncOverview([
      { scope: "forms", watermark: null, lastSyncedAt: "2026-11-25T10:00:00Z" },
      { scope: "submissions:f2", watermark: "x", lastSyncedAt: "2026-11-25T09:00:00Z" },
      { scope: "submissions:f1", watermark: "x", lastSyncedAt: "2026-11-25T08:00:00Z" },
      { scope: "casefiles", watermark: "1", lastSyncedAt: "2026-11-25T11:00:00Z" },
    ]);
    expect(o.forms).toBe("2026-11-25T10:00:00Z");
    expect(o.casefiles).toBe("2026-11-25T11:00:00Z");
    expect(o.submissions.map((s) => s.formId)).toEqual(["f1", "f2"]);
    expect(o.oldestSubmissions).toBe("2026-11-25T08:00:00Z");
    expect(syncOverview([])).toEqual({ forms: null, casefiles: null, submissions: [], oldestSubmissions: null });
  });

  it("says how long ago", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(timeAgo("2026-11-25T11:59:50Z", now)).toBe("just now");
    expect(timeAgo("2026-11-25T11:59:00Z", now)).toBe("1 minute ago");
    expect(timeAgo("2026-11-25T11:30:00Z", now)).toBe("30 minutes ago");
    expect(timeAgo("2026-11-25T09:00:00Z", now)).toBe("3 hours ago");
    expect(timeAgo("2026-11-24T11:00:00Z", now)).toBe("yesterday");
    expect(timeAgo("2026-11-20T12:00:00Z", now)).toBe("5 days ago");
    expect(timeAgo("not a date", now)).toBe("not a date");
  });

  it("writes the progress line", () => {
    expect(progressLine({ scope: "submissions", formId: "f1", done: 120, total: 340 }, "KYC")).toBe("Submissions of KYC: 120 of 340");
    expect(progressLine({ scope: "casefiles", formId: null, done: 7, total: null })).toBe("Casefiles: 7");
  });
});
