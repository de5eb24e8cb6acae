// The account status as shared reactive state: loaded once at start, reloadable after sign-in.

import { backend, onAccountChanged, type AccountStatus, type BackendError } from "./backend";
import { resource } from "./resource.svelte";

type AccountState = { kind: "loading" } | { kind: "ready"; status: AccountStatus } | { kind: "error"; error: BackendError };

class Account {
  // News can come in quick succession: the resource shows the newest read.
  private readonly read = resource<AccountStatus | null>(() => backend.accountStatus(), null);

  get state(): AccountState {
    if (this.read.error) return { kind: "error", error: this.read.error };
    if (this.read.data) return { kind: "ready", status: this.read.data };
    return { kind: "loading" };
  }

  get status(): AccountStatus | null {
    return this.state.kind === "ready" ? this.state.status : null;
  }

  get signedIn(): boolean {
    return this.status?.signedIn ?? false;
  }

  /** Reads the status again; when reads overlap (news in quick succession) the newest one shows. */
  async refresh(): Promise<void> {
    await this.read.load();
  }
}

export const account = new Account();

/** Re-reads the status whenever the backend says the account changed (sign-in, demo ready). */
export async function followAccountChanges(): Promise<() => void> {
  return onAccountChanged(() => void account.refresh());
}
