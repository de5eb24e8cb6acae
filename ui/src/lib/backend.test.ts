import { describe, expect, it } from "vitest";
import { BackendError, isSpectaResult, toBackendError, unwrapCommands } from "./backend";

type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };
type CmdErr = { code: string; message: string; retryable: boolean; field?: string | null };

describe("unwrapCommands", () => {
  const raw = {
    async ok(n: number): Promise<Result<{ doubled: number }, CmdErr>> {
      return { status: "ok", data: { doubled: n * 2 } };
    },
    async fails(): Promise<Result<string, CmdErr>> {
      return {
        status: "error",
        error: { code: "invalid_input", message: "Name is required", retryable: false, field: "name" },
      };
    },
    async plain(): Promise<{ status: string; count: number }> {
      return { status: "ok", count: 3 };
    },
    async rejectsWithString(): Promise<Result<string, CmdErr | string>> {
      return { status: "error", error: "Command x not allowed by ACL" };
    },
    async throws(): Promise<Result<string, CmdErr>> {
      throw new TypeError("Cannot read properties of undefined (reading 'invoke')");
    },
  };
  const api = unwrapCommands(raw);

  it("returns the data of an ok result and passes arguments through", async () => {
    await expect(api.ok(21)).resolves.toEqual({ doubled: 42 });
  });

  it("throws a typed BackendError for an error result", async () => {
    const err = await api.fails().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackendError);
    const be = err as BackendError;
    expect(be.code).toBe("invalid_input");
    expect(be.message).toBe("Name is required");
    expect(be.retryable).toBe(false);
    expect(be.field).toBe("name");
  });

  it("leaves values of infallible commands alone, even if they have a status key", async () => {
    await expect(api.plain()).resolves.toEqual({ status: "ok", count: 3 });
  });

  it("maps a bare string error and a thrown exception outside Tauri", async () => {
    await expect(api.rejectsWithString()).rejects.toMatchObject({
      code: "ipc_error",
      message: "Command x not allowed by ACL",
    });
    await expect(api.throws()).rejects.toMatchObject({ code: "backend_unavailable", retryable: false });
  });
});

describe("toBackendError", () => {
  it("keeps the retryable flag and drops a non-string field", () => {
    const e = toBackendError({ code: "rate_limited", message: "Slow down", retryable: true, field: null });
    expect(e.code).toBe("rate_limited");
    expect(e.retryable).toBe(true);
    expect(e.field).toBeUndefined();
  });

  it("keeps the parameters the UI words the error with", () => {
    const e = toBackendError({
      code: "rate_limited",
      message: "Penneo is receiving too many requests",
      retryable: true,
      params: { retryAfterSecs: 30 },
    });
    expect(e.params).toEqual({ retryAfterSecs: 30 });
    expect(e.message).toBe("Penneo is receiving too many requests");
    expect(toBackendError({ code: "not_found", message: "Gone", retryable: false }).params).toBeUndefined();
  });

  it("passes a BackendError through unchanged", () => {
    const e = new BackendError("conflict", "Changed elsewhere");
    expect(toBackendError(e)).toBe(e);
  });

  it("never returns an empty message for odd values", () => {
    expect(toBackendError(42).message.length).toBeGreaterThan(0);
    expect(toBackendError(null).code).toBe("ipc_error");
  });
});

describe("isSpectaResult", () => {
  it("recognises only the exact result shapes", () => {
    expect(isSpectaResult({ status: "ok", data: null })).toBe(true);
    expect(isSpectaResult({ status: "error", error: "x" })).toBe(true);
    expect(isSpectaResult({ status: "ok", data: 1, extra: 2 })).toBe(false);
    expect(isSpectaResult({ status: "done", data: 1 })).toBe(false);
    expect(isSpectaResult({ status: "ok", error: 1 })).toBe(false);
    expect(isSpectaResult("ok")).toBe(false);
    expect(isSpectaResult(null)).toBe(false);
  });
});
