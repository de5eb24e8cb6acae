// The account list's presentation rules and the sign-in outcome messages, without a DOM.

import type { BackendError, SessionInfo } from "../backend";

/**
 * - `signedIn`: a session is open in this app right now.
 * - `canResume`: a stored refresh token (or API secret) signs in again without asking.
 * - `needsSignIn`: the secrets are stored but there is no session: Sign in opens the browser.
 * - `needsSecrets`: signed out; the secrets were deleted and must be entered again to sign in.
 */
export type AccountSessionState = "signedIn" | "canResume" | "needsSignIn" | "needsSecrets";

export function sessionState(s: SessionInfo): AccountSessionState {
  if (s.signedIn) return "signedIn";
  if (s.canResume) return "canResume";
  if (s.hasSecrets) return "needsSignIn";
  return "needsSecrets";
}

export const SESSION_STATE_LABELS: Record<AccountSessionState, string> = {
  signedIn: "Signed in",
  canResume: "Can resume",
  needsSignIn: "Needs sign-in",
  needsSecrets: "Needs sign-in",
};

export const SESSION_STATE_HINTS: Record<AccountSessionState, string> = {
  signedIn: "A session is open.",
  canResume: "Signs in again on its own from the stored session when it is used.",
  needsSignIn: "Sign in to use this account.",
  needsSecrets: "Signed out: the secrets were deleted from this computer. Enter them again to sign in.",
};

/** The user line of an account row: the Penneo user when known, else the client it signs in with. */
export function accountUser(s: SessionInfo): string {
  const a = s.account;
  const name = a.userName?.trim();
  const email = a.userEmail?.trim();
  if (name && email) return `${name} (${email})`;
  if (name || email) return (name || email) as string;
  if (a.authKind === "apiKey" && a.apiKey) return `API key ${a.apiKey}`;
  if (a.clientId) return `OAuth client ${a.clientId}`;
  return "Unknown user";
}

/** The active account first, then by environment (demo last), then by name. */
export function sortAccounts(list: SessionInfo[]): SessionInfo[] {
  const rank = { production: 0, sandbox: 1, custom: 2, demo: 3 } as const;
  return [...list].sort((x, y) => {
    if (x.account.isActive !== y.account.isActive) return x.account.isActive ? -1 : 1;
    const r = rank[x.account.environment] - rank[y.account.environment];
    if (r !== 0) return r;
    return x.account.label.localeCompare(y.account.label);
  });
}

/** Whether "Sign out" makes sense: there is a session or secrets to delete. */
export function canSignOut(s: SessionInfo): boolean {
  return s.signedIn || s.canResume || s.hasSecrets;
}

/**
 * What a failed sign-in tells the person. The backend's messages already name the cause
 * (busy port, denied consent, state mismatch, timeout, cancel); here they get a lead-in and,
 * where it helps, what to do next.
 */
export function signInFailure(e: BackendError): { title: string; detail: string } {
  switch (e.code) {
    case "cancelled":
      return { title: "Sign-in cancelled", detail: "Nothing was changed. You can sign in again at any time." };
    case "timeout":
      return {
        title: "Sign-in timed out",
        detail: `${e.message} The browser did not come back within 5 minutes; start the sign-in again.`,
      };
    case "port_in_use":
      return { title: "The redirect port is busy", detail: e.message };
    case "redirect_uri_mismatch":
      return { title: "Penneo does not know this redirect URI", detail: e.message };
    case "access_denied":
      return { title: "Penneo refused the sign-in", detail: e.message };
    case "state_mismatch":
      return {
        title: "The sign-in answer did not match",
        detail: `${e.message} For your safety the answer was ignored; start the sign-in again.`,
      };
    case "offline":
      return { title: "Penneo could not be reached", detail: e.message };
    case "auth_required":
      return { title: "Penneo did not accept the credentials", detail: e.message };
    default:
      return { title: "The sign-in did not finish", detail: e.message };
  }
}
