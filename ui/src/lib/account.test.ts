import { describe, expect, it } from "vitest";
import { accountSummary, signedInLabel } from "./account";
import type { AccountStatus } from "./backend";

const signedOut: AccountStatus = { accountId: null, environment: "demo", signedIn: false, displayName: null, email: null, apiHost: null };

describe("account labels", () => {
  it("says not signed in, whatever stale details are present", () => {
    expect(signedInLabel(signedOut)).toBe("Not signed in");
    expect(signedInLabel({ ...signedOut, displayName: "Old Name" })).toBe("Not signed in");
    expect(accountSummary(signedOut)).toBe("Demo environment, not signed in");
  });

  it("prefers the name, then the email", () => {
    const ada: AccountStatus = {
      accountId: "acc-1",
      environment: "sandbox",
      signedIn: true,
      displayName: "Ada Lovelace",
      email: "ada@example.com",
      apiHost: "https://sandbox.penneo.com",
    };
    expect(signedInLabel(ada)).toBe("Ada Lovelace");
    expect(accountSummary(ada)).toBe("Sandbox environment, signed in as Ada Lovelace (ada@example.com)");
    const emailOnly = { ...ada, environment: "production" as const, displayName: "  " };
    expect(signedInLabel(emailOnly)).toBe("ada@example.com");
    expect(accountSummary(emailOnly)).toBe("Production environment, signed in as ada@example.com");
    const nameless = { ...ada, environment: "custom" as const, displayName: null, email: null };
    expect(signedInLabel(nameless)).toBe("Signed in");
    expect(accountSummary(nameless)).toBe("Custom environment, signed in as an unnamed user");
  });
});
