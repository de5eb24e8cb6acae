// Presentation rules for the account indicator, kept pure so they are testable without a DOM.

import type { AccountStatus, Environment } from "./backend";
import { m } from "./i18n.svelte";

// Getters: worded when read, so they follow a language change.
export const ENVIRONMENT_LABELS: Readonly<Record<Environment, string>> = {
  get demo() {
    return m.env_demo();
  },
  get sandbox() {
    return m.env_sandbox();
  },
  get production() {
    return m.env_production();
  },
  get custom() {
    return m.env_custom();
  },
};

export const ENVIRONMENT_DESCRIPTIONS: Readonly<Record<Environment, string>> = {
  get demo() {
    return m.env_demo_description();
  },
  get sandbox() {
    return m.env_sandbox_description();
  },
  get production() {
    return m.env_production_description();
  },
  get custom() {
    return m.env_custom_description();
  },
};

/** The short "who" line: the name, else the email, else "Not signed in". */
export function signedInLabel(status: AccountStatus): string {
  if (!status.signedIn) return m.account_not_signed_in();
  const name = status.displayName?.trim();
  if (name) return name;
  const email = status.email?.trim();
  if (email) return email;
  return m.account_signed_in();
}

/** A sentence for screen readers and tooltips, e.g. "Sandbox environment, signed in as Ada Lovelace (ada@example.com)". */
export function accountSummary(status: AccountStatus): string {
  const environment = ENVIRONMENT_LABELS[status.environment];
  if (!status.signedIn) return m.account_summary_not_signed_in({ environment });
  const name = status.displayName?.trim();
  const email = status.email?.trim();
  const who = name && email ? `${name} (${email})` : name || email || m.account_unnamed_user();
  return m.account_summary_signed_in({ environment, who });
}
