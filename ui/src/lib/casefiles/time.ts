// Unix seconds ↔ the value of an <input type="datetime-local"> (local time, minutes).

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

export function unixToLocalInput(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** null for an empty or unreadable value. */
export function localInputToUnix(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  const t = d.getTime();
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

function localDay(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) || d.getDate() !== Number(m[3]) ? null : d;
}

/** The first instant of a local day (`<input type="date">` value) as ISO-8601 UTC; null when empty or unreadable. */
export function dayStartIso(value: string): string | null {
  const d = localDay(value);
  return d ? d.toISOString() : null;
}

/** The last second of a local day as ISO-8601 UTC (inclusive upper bound); null when empty or unreadable. */
export function dayEndIso(value: string): string | null {
  const d = localDay(value);
  if (!d) return null;
  d.setHours(23, 59, 59, 0);
  return d.toISOString();
}
