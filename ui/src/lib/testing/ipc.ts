// Test helper: answers the backend commands a page calls on its own at start-up (the forms
// cache and its sync, the diagnostics recorder's state) with an empty account, and leaves every
// other command to `handler`.
type Handler = (cmd: string, payload?: unknown) => unknown;

export function withBackendDefaults(handler: Handler): Handler {
  return (cmd, payload) => {
    if (cmd === "list_forms") return { result: [], nextCursor: null };
    if (cmd === "sync_forms") return 0;
    if (cmd === "recording_status") return { recording: false, exchanges: 0, startedAt: null };
    return handler(cmd, payload);
  };
}
