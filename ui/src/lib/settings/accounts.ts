// The account list's presentation rules and the sign-in outcome messages, without a DOM.

import type { BackendError, SessionInfo } from "../backend";
import { m } from "../i18n.svelte";

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

// Getters: worded when read, so they follow a language change.
export const SESSION_STATE_LABELS: Readonly<Record<AccountSessionState, string>> = {
  get signedIn() {
    return m.session_signed_in();
  },
  get canResume() {
    return m.session_can_resume();
  },
  get needsSignIn() {
    return m.session_needs_sign_in();
  },
  get needsSecrets() {
    return m.session_needs_sign_in();
  },
};

export const SESSION_STATE_HINTS: Readonly<Record<AccountSessionState, string>> = {
  get signedIn() {
    return m.session_signed_in_hint();
  },
  get canResume() {
    return m.session_can_resume_hint();
  },
  get needsSignIn() {
    return m.session_needs_sign_in_hint();
  },
  get needsSecrets() {
    return m.session_needs_secrets_hint();
  },
};

/** The user line of an account row: the Penneo user when known, else the client it signs in with. */
export function accountUser(s: SessionInfo): string {
  const a = s.account;
  const name = a.userName?.trim();
  const email = a.userEmail?.trim();
  if (name && email) return `${name} (${email})`;
  if (name || email) return (name || email) as string;
  if (a.authKind === "apiKey" && a.apiKey) return m.account_api_key_user({ key: a.apiKey });
  if (a.clientId) return m.account_oauth_client_user({ clientId: a.clientId });
  return m.account_unknown_user();
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
      return { title: m.signin_cancelled(), detail: m.signin_cancelled_detail() };
    case "timeout":
      return {
        title: m.signin_timed_out(),
        detail: m.signin_timed_out_detail({ message: e.message }),
      };
    case "port_in_use":
      return { title: m.signin_port_busy(), detail: e.message };
    case "redirect_uri_mismatch":
      return { title: m.signin_redirect_unknown(), detail: e.message };
    case "access_denied":
      return { title: m.signin_refused(), detail: e.message };
    case "state_mismatch":
      return {
        title: m.signin_state_mismatch(),
        detail: m.signin_state_mismatch_detail({ message: e.message }),
      };
    case "offline":
      return { title: m.signin_offline(), detail: e.message };
    case "auth_required":
      return { title: m.signin_credentials_refused(), detail: e.message };
    default:
      return { title: m.signin_failed(), detail: e.message };
  }
}
