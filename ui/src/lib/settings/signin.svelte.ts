// One browser sign-in at a time (the backend keeps one loopback listener): its waiting state,
// Cancel, and the outcome, shared by the account list and the "Add account" form.

import { backend, toBackendError, type Account, type BackendError } from "../backend";
import { signInFailure } from "./accounts";

export type SignInState =
  | { kind: "idle" }
  | { kind: "waiting"; accountId: string; label: string; browser: boolean; cancelling: boolean }
  | { kind: "succeeded"; accountId: string; label: string }
  | { kind: "failed"; accountId: string; label: string; title: string; detail: string; error: BackendError };

export class SignInFlow {
  state: SignInState = $state({ kind: "idle" });

  get busy(): boolean {
    return this.state.kind === "waiting";
  }

  /**
   * Signs the account in (the backend opens the browser for OAuth and waits for the callback;
   * an API key signs in at once). Resolves to the account, or to the error after showing it.
   */
  async run(account: Pick<Account, "id" | "label" | "authKind">): Promise<Account | BackendError> {
    this.state = {
      kind: "waiting",
      accountId: account.id,
      label: account.label,
      browser: account.authKind === "oauth",
      cancelling: false,
    };
    try {
      const signed = await backend.signIn(account.id);
      this.state = { kind: "succeeded", accountId: signed.id, label: signed.label };
      return signed;
    } catch (e) {
      const error = toBackendError(e);
      const { title, detail } = signInFailure(error);
      this.state = { kind: "failed", accountId: account.id, label: account.label, title, detail, error };
      return error;
    }
  }

  /** Stops the waiting sign-in; `run` then ends with the "cancelled" outcome. */
  async cancel(): Promise<void> {
    if (this.state.kind !== "waiting") return;
    this.state = { ...this.state, cancelling: true };
    try {
      await backend.cancelSignIn();
    } catch {
      // The sign-in ends on its own (timeout) if the cancel could not be delivered.
    }
  }

  dismiss(): void {
    if (this.state.kind !== "waiting") this.state = { kind: "idle" };
  }
}

export const signInFlow = new SignInFlow();
