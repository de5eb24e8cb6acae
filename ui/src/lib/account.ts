// Presentation rules for the account indicator, kept pure so they are testable without a DOM.

import type { AccountStatus, Environment } from "./backend";

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  demo: "Demo",
  sandbox: "Sandbox",
  production: "Production",
  custom: "Custom",
};

export const ENVIRONMENT_DESCRIPTIONS: Record<Environment, string> = {
  demo: "Built-in demo workspace: nothing is sent to Penneo.",
  sandbox: "Penneo sandbox: test documents, no legal effect.",
  production: "Penneo production: documents are sent for real.",
  custom: "A custom Penneo server.",
};

/** The short "who" line: the name, else the email, else "Not signed in". */
export function signedInLabel(status: AccountStatus): string {
  if (!status.signedIn) return "Not signed in";
  const name = status.displayName?.trim();
  if (name) return name;
  const email = status.email?.trim();
  if (email) return email;
  return "Signed in";
}

/** A sentence for screen readers and tooltips, e.g. "Sandbox environment, signed in as Ada Lovelace (ada@example.com)". */
export function accountSummary(status: AccountStatus): string {
  const env = `${ENVIRONMENT_LABELS[status.environment]} environment`;
  if (!status.signedIn) return `${env}, not signed in`;
  const name = status.displayName?.trim();
  const email = status.email?.trim();
  if (name && email) return `${env}, signed in as ${name} (${email})`;
  return `${env}, signed in as ${name || email || "an unnamed user"}`;
}
