// Calls a backend command from the test, through the window's own IPC (as the UI would).

/** The command's answer; its error is thrown with the command's name. */
export async function invoke(session, cmd, args = {}) {
  const r = await session.executeAsync(
    'const [cmd, args, done] = arguments; window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ ok: v }), (e) => done({ error: e }))',
    [cmd, args],
  );
  if ('error' in r) throw new Error(`${cmd}: ${JSON.stringify(r.error)}`);
  return r.ok;
}
