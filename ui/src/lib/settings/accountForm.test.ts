import { describe, expect, it } from "vitest";
import {
  emptyAccountForm,
  firstErrorField,
  hasErrors,
  hostError,
  isAccountFormField,
  parsePort,
  portError,
  REDIRECT_HOSTS,
  redirectMismatchHelp,
  redirectUri,
  toNewAccount,
  validateAccountForm,
  type AccountFormValues,
} from "./accountForm";

function form(over: Partial<AccountFormValues> = {}): AccountFormValues {
  return { ...emptyAccountForm(), clientId: "client-1", clientSecret: "s3cret", ...over };
}

describe("the add-account form", () => {
  it("starts on the sandbox with OAuth and port 8765", () => {
    const v = emptyAccountForm();
    expect(v.environment).toBe("sandbox");
    expect(v.method).toBe("oauth");
    expect(redirectUri(v.redirectPort)).toBe("http://127.0.0.1:8765/callback");
  });

  it("requires the client id and secret", () => {
    const e = validateAccountForm(emptyAccountForm());
    expect(Object.keys(e).sort()).toEqual(["clientId", "clientSecret"]);
    expect(e.clientId).toMatch(/client id/);
    expect(firstErrorField(e)).toBe("clientId");
    expect(hasErrors(validateAccountForm(form()))).toBe(false);
  });

  it("a client id of spaces is empty", () => {
    expect(validateAccountForm(form({ clientId: "   " })).clientId).toBeDefined();
  });

  it("checks the redirect port: a whole number 1024–65535", () => {
    expect(parsePort("8765")).toBe(8765);
    expect(parsePort(" 1024 ")).toBe(1024);
    expect(parsePort("65535")).toBe(65535);
    for (const bad of ["80", "1023", "65536", "0", "", "87a5", "8765.5", "-1", "123456"]) {
      expect(parsePort(bad), bad).toBeNull();
      expect(portError(bad), bad).toBeDefined();
      expect(redirectUri(bad), bad).toBeNull();
    }
    expect(portError("80")).toMatch(/1024 to 65535/);
    expect(portError("")).toMatch(/Enter the redirect port/);
    expect(portError("abc")).toMatch(/whole number/);
    expect(validateAccountForm(form({ redirectPort: "80" })).redirectPort).toMatch(/1024/);
    expect(redirectUri("9001")).toBe("http://127.0.0.1:9001/callback");
  });

  it("sends and shows the redirect URI with the host name chosen", () => {
    expect(REDIRECT_HOSTS).toEqual(["127.0.0.1", "localhost"]);
    expect(redirectUri("9001", "localhost")).toBe("http://localhost:9001/callback");
    expect(redirectUri("80", "localhost")).toBeNull();
    const lh = toNewAccount(form({ redirectHost: "localhost", redirectPort: "9001" }));
    expect(lh.auth).toMatchObject({ kind: "oauth", redirectPort: 9001, redirectHost: "localhost" });
    expect(toNewAccount(form()).auth).toMatchObject({ redirectHost: "127.0.0.1" });
    const help = redirectMismatchHelp("http://localhost:9001/callback");
    expect(help).toContain("redirect_uri_mismatch");
    expect(help).toContain("exactly http://localhost:9001/callback");
    expect(help.split(". ").length).toBe(1);
  });

  it("the port does not matter for an API key", () => {
    const e = validateAccountForm(form({ method: "apiKey", redirectPort: "80", apiKey: "k", apiSecret: "s" }));
    expect(e).toEqual({});
  });

  it("requires the API key and secret for the API-key method", () => {
    const e = validateAccountForm(form({ method: "apiKey" }));
    expect(Object.keys(e).sort()).toEqual(["apiKey", "apiSecret"]);
  });

  it("asks a custom server for https hosts (http only on this machine)", () => {
    const e = validateAccountForm(form({ environment: "custom" }));
    expect(e.oauthHost).toMatch(/Enter the OAuth host/);
    expect(e.apiHost).toMatch(/Enter the API host/);
    expect(hostError("http://penneo.example.com", "API host")).toMatch(/https:\/\//);
    expect(hostError("penneo.example.com", "API host")).toMatch(/not a web address/);
    expect(hostError("ftp://penneo.example.com", "API host")).toMatch(/https/);
    expect(hostError("https://penneo.example.com", "API host")).toBeUndefined();
    expect(hostError("http://127.0.0.1:8719", "API host")).toBeUndefined();
    expect(hostError("http://localhost:8719", "API host")).toBeUndefined();
    expect(hostError("http://[::1]:8719", "API host")).toBeUndefined();
    // Hosts are not asked for (nor checked) for sandbox and production.
    expect(validateAccountForm(form({ oauthHost: "http://x", apiHost: "nonsense" }))).toEqual({});
  });

  it("builds the backend's NewAccount", () => {
    expect(toNewAccount(form({ redirectPort: " 9001 " }))).toEqual({
      label: "Penneo sandbox",
      environment: "sandbox",
      auth: { kind: "oauth", clientId: "client-1", clientSecret: "s3cret", redirectPort: 9001, redirectHost: "127.0.0.1" },
    });
    expect(
      toNewAccount(
        form({
          environment: "custom",
          label: "  Test sim ",
          oauthHost: " http://127.0.0.1:1 ",
          apiHost: "http://127.0.0.1:2",
          method: "apiKey",
          apiKey: " key ",
          apiSecret: "sec",
        }),
      ),
    ).toEqual({
      label: "Test sim",
      environment: "custom",
      oauthHost: "http://127.0.0.1:1",
      apiHost: "http://127.0.0.1:2",
      auth: { kind: "apiKey", clientId: "client-1", clientSecret: "s3cret", apiKey: "key", apiSecret: "sec" },
    });
  });

  it("knows the backend's field names", () => {
    expect(isAccountFormField("redirectPort")).toBe(true);
    expect(isAccountFormField("oauthHost")).toBe(true);
    expect(isAccountFormField("files")).toBe(false);
    expect(isAccountFormField(undefined)).toBe(false);
  });
});
