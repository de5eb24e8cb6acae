// The account status as shared reactive state: loaded once at start, reloadable after sign-in.

import {
  backend,
  onAccountChanged,
  toBackendError,
  type AccountStatus,
  type BackendError,
} from "./backend";

type AccountState =
  | { kind: "loading" }
  | { kind: "ready"; status: AccountStatus }
  | { kind: "error"; error: BackendError };

class Account {
  state: AccountState = $state({ kind: "loading" });

  get status(): AccountStatus | null {
    return this.state.kind === "ready" ? this.state.status : null;
  }

  get signedIn(): boolean {
    return this.status?.signedIn ?? false;
  }

  private reads = 0;

  /** Reads the status again; when reads overlap (news in quick succession) the newest one shows. */
  async refresh(): Promise<void> {
    const read = ++this.reads;
    try {
      const status = await backend.accountStatus();
      if (read === this.reads) this.state = { kind: "ready", status };
    } catch (e) {
      if (read === this.reads) this.state = { kind: "error", error: toBackendError(e) };
    }
  }
}

export const account = new Account();

/** Re-reads the status whenever the backend says the account changed (sign-in, demo ready). */
export async function followAccountChanges(): Promise<() => void> {
  return onAccountChanged(() => void account.refresh());
}
