// What went wrong, as one sentence for the casefile pages: a backend error worded by its code in
// the UI language (lib/errors), an error the page raised itself (already worded) as it is.

import { BackendError, toBackendError } from "../backend";
import { errorText } from "../errors";

export function problemText(e: unknown): string {
  if (e instanceof Error && !(e instanceof BackendError)) return e.message;
  return errorText(toBackendError(e));
}
