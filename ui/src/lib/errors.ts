// Backend errors worded in the UI's language. An error reaches the UI as `{code, message,
// retryable, field}` (and, where the backend adds them, `params`: the values its sentence was
// built from). A code this file knows is worded from messages/<language>.json, its parameters
// filled from `params`; a code it does not know keeps the backend's English `message`, which is
// also what "details" shows for support.

import type { CommandError, ErrorCode } from "./backend";
import { language, m } from "./i18n.svelte";

/** What an error carries: the backend's `CommandError`, optionally with `params`. */
export type ErrorLike = Pick<CommandError, "code" | "message"> & {
  field?: string | null;
  params?: Record<string, unknown> | null;
};

type Params = Record<string, string>;

/** Each code's sentence. Parameters the backend sends (`params`) are passed on as text. */
const WORDING: Partial<Record<ErrorCode, (p: Params) => string>> = {
  auth_required: () => m.error_auth_required(),
  rate_limited: (p) => (p.retryAfterSecs ? m.error_rate_limited_wait({ seconds: p.retryAfterSecs }) : m.error_rate_limited()),
  invalid_input: () => m.error_invalid_input(),
  not_found: () => m.error_not_found(),
  conflict: () => m.error_conflict(),
  offline: () => m.error_offline(),
  forbidden: () => m.error_forbidden(),
  server: () => m.error_server(),
  not_supported: () => m.error_not_supported(),
  cancelled: () => m.error_cancelled(),
  timeout: () => m.error_timeout(),
  secrets: () => m.error_secrets(),
  port_in_use: () => m.error_port_in_use(),
  redirect_uri_mismatch: () => m.error_redirect_uri_mismatch(),
  access_denied: () => m.error_access_denied(),
  state_mismatch: () => m.error_state_mismatch(),
  already_open: () => m.error_already_open(),
  storage: () => m.error_storage(),
  io: () => m.error_io(),
  internal: () => m.error_internal(),
  backend_unavailable: () => m.error_backend_unavailable(),
  ipc_error: () => m.error_ipc_error(),
};

/**
 * Codes whose backend sentence says more than the code does (which field, which form, what
 * Penneo answered). While the backend sends no `params` for them, the English UI keeps the
 * backend's own sentence for these; other languages get the code's sentence.
 */
const SPECIFIC: ReadonlySet<string> = new Set([
  "invalid_input",
  "not_found",
  "conflict",
  "server",
  "internal",
  "io",
  "storage",
  "ipc_error",
]);

function textParams(params: Record<string, unknown> | null | undefined): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== null && v !== undefined) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

/**
 * The error as one sentence in the UI's language (the backend's English for unknown codes),
 * followed by Penneo's own words, quoted as Penneo's, when the backend passed them on.
 */
export function errorText(e: ErrorLike): string {
  const word = WORDING[e.code];
  if (!word) return e.message;
  const hasParams = e.params !== undefined && e.params !== null && Object.keys(e.params).length > 0;
  if (language() === "en" && SPECIFIC.has(e.code) && !hasParams && e.message) return e.message;
  const params = textParams(e.params);
  const text = word(params);
  const said = params.penneoMessage?.trim();
  return said ? m.error_penneo_said({ error: text, said }) : text;
}

/** The backend's own text, for "Show details" / support (empty when the sentence already is it). */
export function errorDetails(e: ErrorLike): string {
  return errorText(e) === e.message ? "" : e.message;
}
