// The "Add account" form's rules, kept pure so they are testable without a DOM. Field names are
// the backend's (`BackendError.field`), so a server-side rejection lands next to the same input.

import type { Environment, NewAccount, RedirectHost } from "../backend";
import { m } from "../i18n.svelte";

/** The environments a person can add (the demo workspace is opened, not added). */
export type AddableEnvironment = Exclude<Environment, "demo">;

/** Sandbox first: connect there, try everything, then add production. */
export const ADDABLE_ENVIRONMENTS: AddableEnvironment[] = ["sandbox", "production", "custom"];

export type SignInMethod = "oauth" | "apiKey";

export const DEFAULT_REDIRECT_PORT = 8765;

/** The host names a redirect URI may use; Penneo compares the whole URI exactly. */
export const REDIRECT_HOSTS: RedirectHost[] = ["127.0.0.1", "localhost"];

export type AccountFormField = "label" | "oauthHost" | "apiHost" | "clientId" | "clientSecret" | "redirectPort" | "apiKey" | "apiSecret";

/** Everything the form holds, as typed (the port stays text until it is checked). */
export interface AccountFormValues {
  environment: AddableEnvironment;
  label: string;
  oauthHost: string;
  apiHost: string;
  method: SignInMethod;
  clientId: string;
  clientSecret: string;
  redirectPort: string;
  redirectHost: RedirectHost;
  apiKey: string;
  apiSecret: string;
}

export type FieldErrors = Partial<Record<AccountFormField, string>>;

export function emptyAccountForm(): AccountFormValues {
  return {
    environment: "sandbox",
    label: "",
    oauthHost: "",
    apiHost: "",
    method: "oauth",
    clientId: "",
    clientSecret: "",
    redirectPort: String(DEFAULT_REDIRECT_PORT),
    redirectHost: "127.0.0.1",
    apiKey: "",
    apiSecret: "",
  };
}

/** A suggested account name when the person leaves it to us, e.g. "Penneo sandbox". */
export function defaultLabel(environment: AddableEnvironment): string {
  switch (environment) {
    case "sandbox":
      return "Penneo sandbox";
    case "production":
      return "Penneo";
    case "custom":
      return "Custom Penneo server";
  }
}

/** The port as a number when it is a whole number in 1024–65535, else null. */
export function parsePort(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1024 && n <= 65535 ? n : null;
}

export function portError(text: string): string | undefined {
  const t = text.trim();
  if (t === "") return m.settings_port_missing();
  if (!/^\d+$/.test(t)) return m.settings_port_not_number();
  if (parsePort(t) === null) return m.settings_port_range();
  return undefined;
}

/**
 * The exact redirect URI to register with the OAuth client, or null while the port is invalid.
 * Penneo compares it letter for letter: `127.0.0.1` and `localhost` are different URIs.
 */
export function redirectUri(portText: string, host: RedirectHost = "127.0.0.1"): string | null {
  const port = parsePort(portText);
  return port === null ? null : `http://${host}:${port}/callback`;
}

/** One sentence on what Penneo's `redirect_uri_mismatch` means, for the URI this form sends. */
export function redirectMismatchHelp(uri: string | null): string {
  return m.settings_redirect_mismatch_help({ uri: uri ?? m.settings_redirect_uri_shown() });
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Why a host address cannot be used, or undefined when it can. The backend applies the same rule:
 * https://, or http:// only on this machine (a simulator or proxy on 127.0.0.1).
 */
export function hostError(text: string, what: string): string | undefined {
  const t = text.trim();
  if (t === "") return m.settings_host_missing({ what });
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return m.settings_host_not_url({ address: t });
  }
  if (url.protocol === "https:") {
    if (!url.hostname) return m.settings_host_no_name({ address: t });
    return undefined;
  }
  if (url.protocol === "http:") {
    if (LOOPBACK_HOSTS.has(url.hostname)) return undefined;
    return m.settings_host_http();
  }
  return m.settings_host_scheme({ scheme: url.protocol.replace(/:$/, "") });
}

/** Every problem of the form, keyed by field; empty when it can be sent. */
export function validateAccountForm(v: AccountFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (v.label.trim().length > 100) errors.label = m.settings_name_too_long();
  if (v.environment === "custom") {
    const o = hostError(v.oauthHost, m.settings_oauth_host());
    if (o) errors.oauthHost = o;
    const a = hostError(v.apiHost, m.settings_api_host());
    if (a) errors.apiHost = a;
  }
  if (v.clientId.trim() === "") errors.clientId = m.settings_client_id_missing();
  if (v.clientSecret === "") errors.clientSecret = m.settings_client_secret_missing();
  if (v.method === "oauth") {
    const p = portError(v.redirectPort);
    if (p) errors.redirectPort = p;
  } else {
    if (v.apiKey.trim() === "") errors.apiKey = m.settings_api_key_missing();
    if (v.apiSecret === "") errors.apiSecret = m.settings_api_secret_missing();
  }
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((m) => m !== undefined && m !== "");
}

/** The fields in the order they appear, for moving focus to the first problem. */
export const FIELD_ORDER: AccountFormField[] = [
  "label",
  "oauthHost",
  "apiHost",
  "clientId",
  "clientSecret",
  "redirectPort",
  "apiKey",
  "apiSecret",
];

export function firstErrorField(errors: FieldErrors): AccountFormField | null {
  return FIELD_ORDER.find((f) => errors[f]) ?? null;
}

export function isAccountFormField(name: string | undefined): name is AccountFormField {
  return name !== undefined && (FIELD_ORDER as string[]).includes(name);
}

/** The backend's `NewAccount` for a valid form (call `validateAccountForm` first). */
export function toNewAccount(v: AccountFormValues): NewAccount {
  const label = v.label.trim() || defaultLabel(v.environment);
  const hosts = v.environment === "custom" ? { oauthHost: v.oauthHost.trim(), apiHost: v.apiHost.trim() } : {};
  const auth: NewAccount["auth"] =
    v.method === "oauth"
      ? {
          kind: "oauth",
          clientId: v.clientId.trim(),
          clientSecret: v.clientSecret,
          redirectPort: parsePort(v.redirectPort) ?? DEFAULT_REDIRECT_PORT,
          redirectHost: v.redirectHost,
        }
      : {
          kind: "apiKey",
          clientId: v.clientId.trim(),
          clientSecret: v.clientSecret,
          apiKey: v.apiKey.trim(),
          apiSecret: v.apiSecret,
        };
  return { label, environment: v.environment, ...hosts, auth };
}
