// Test helper: answers the backend commands a page calls on its own at start-up (the forms
// cache and its sync, the diagnostics recorder's state, the preferences with the welcome already
// seen) with an empty account, and leaves every other command to `handler`.
type Handler = (cmd: string, payload?: unknown) => unknown;

/** The fields a `set_preferences` call sets (null: left as it was). */
function updateOf(payload: unknown): Record<string, unknown> {
  const update = (payload as { update?: Record<string, unknown> } | undefined)?.update ?? {};
  return Object.fromEntries(Object.entries(update).filter(([, v]) => v !== null && v !== undefined));
}

export function withBackendDefaults(handler: Handler): Handler {
  return (cmd, payload) => {
    if (cmd === "list_forms") return { result: [], nextCursor: null };
    if (cmd === "sync_forms") return 0;
    if (cmd === "recording_status") return { recording: false, exchanges: 0, startedAt: null };
    if (cmd === "preferences" || cmd === "set_preferences")
      return { language: "en", welcomeSeen: true, confirmProductionSends: false, ...updateOf(payload) };
    return handler(cmd, payload);
  };
}
