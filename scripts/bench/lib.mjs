// The pure parts of `make bench` (scripts/bench/run.mjs): reading the `BENCH {json}` lines the
// Rust examples print, PSS from /proc, and the table. lib.test.mjs checks them (no timings).

import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** The `BENCH {json}` lines of an example's output, by id. Other lines are ignored. */
export function parseBenchLines(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^BENCH (\{.*\})\s*$/.exec(line);
    if (!m) continue;
    const row = JSON.parse(m[1]);
    if (typeof row.id !== 'string' || typeof row.value !== 'number') throw new Error(`bad BENCH line: ${line}`);
    out[row.id] = row;
  }
  return out;
}

/** `Pss:` of /proc/<pid>/smaps_rollup in kB, or 0 when the process is gone. */
export function pssKb(pid, read = (p) => readFileSync(p, 'utf8')) {
  return pssSplitKb(pid, read).pss;
}

/** The PSS of /proc/<pid>/smaps_rollup in kB, whole and split by kind: anonymous (heaps, the
 *  JavaScript engine's), file-backed (the binary and libraries' pages) and shared memory (the
 *  webview's buffers it shares with the app); zeros when the process is gone. */
export function pssSplitKb(pid, read = (p) => readFileSync(p, 'utf8')) {
  let text = '';
  try {
    text = read(`/proc/${pid}/smaps_rollup`);
  } catch {
    /* gone */
  }
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { pss: field('Pss'), anon: field('Pss_Anon'), file: field('Pss_File'), shmem: field('Pss_Shmem') };
}

/** Every process as {pid, ppid, comm, exe}, read from /proc. */
export function processes() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm is in parentheses and may itself hold spaces or parentheses.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${name}/exe`);
      } catch {
        /* kernel thread or not ours */
      }
      out.push({ pid: Number(name), ppid: Number(fields[1]), comm, exe, startTicks: Number(fields[19]) });
    } catch {
      /* exited while listing */
    }
  }
  return out;
}

/** `root` and all its descendants in `procs`. */
export function descendants(procs, root) {
  const kids = new Map();
  for (const p of procs) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(p);
  }
  const out = [];
  const stack = [procs.find((p) => p.pid === root)].filter(Boolean);
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    stack.push(...(kids.get(p.pid) ?? []));
  }
  return out;
}

export const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
export const fmtMb = (mb) => `${mb.toFixed(1)} MB`;
export const fmtKb = (kb) => `${kb.toFixed(0)} KB`;

/**
 * The table as Markdown. Each row: {figure, target, value, baseline, ratio, met, command}; the
 * strings are shown as given, `met` is true, false or undefined (not judged).
 */
export function formatTable(rows) {
  const head = ['figure', 'target', 'measured', 'baseline in the same run', 'ratio', 'met', 'command'];
  const cell = (s) => String(s ?? '—').replaceAll('|', '\\|');
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const met = r.met === true ? 'yes' : r.met === false ? '**no**' : '—';
    lines.push(`| ${[r.figure, r.target, r.value, r.baseline, r.ratio, met, r.command ? `\`${r.command}\`` : '—'].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** value/baseline as "0.62×", or "—" without a baseline. */
export function ratio(value, baseline) {
  return typeof baseline === 'number' && baseline > 0 ? `${(value / baseline).toFixed(2)}×` : '—';
}
