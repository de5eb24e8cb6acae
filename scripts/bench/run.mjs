#!/usr/bin/env node
// `make bench`: builds in release, measures every figure of issue 16 beside a baseline measured
// in the same run, prints one table and writes it to $CARGO_TARGET_DIR/bench/report.md
// (target/bench/report.md by default). Figures, not tests: nothing here fails on a missed target.
//
//   make bench                 full sizes: 10,000 synced, 100,000 table rows, 10 minutes idle
//   make bench QUICK=1         2,000 synced, 100,000 table rows, one upload round, 60 s idle
//   make bench ONLY=window     one group: core, notice, upload, sizes, bundle, window, scroll
// Env: BENCH_IDLE_SECS (idle time before the memory figure), BENCH_LAUNCH_RUNS (launches per
// launch figure), BENCH_NO_BUILD=1 (use what is built), PENNEO_DESK_BIN (another app binary).
//
// The window figures start the release binary through tauri-driver (e2e/lib/harness.mjs: Xvfb,
// a private D-Bus session, NO_AT_BRIDGE=1). The floor is the same binary with
// PENNEO_DESK_BENCH_BLANK=1, which makes it show about:blank and open no data dir
// (src-tauri/lib.rs; read nowhere else). The scroll figure has two baselines: that floor, and
// the same reads the table made, asked for from the app's page with no table drawn.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zc } from 'node:zlib';
import { descendants, fmtKb, fmtMb, fmtMs, formatTable, parseBenchLines, processes, pssSplitKb, ratio } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
const REL = path.join(TARGET, 'release');
const APP = process.env.PENNEO_DESK_BIN ? path.resolve(process.env.PENNEO_DESK_BIN) : path.join(REL, 'penneo-desk');
const QUICK = !!process.env.BENCH_QUICK && process.env.BENCH_QUICK !== '0';
const ONLY = process.env.BENCH_ONLY || '';
const IDLE_SECS = Number(process.env.BENCH_IDLE_SECS || (QUICK ? 60 : 600));
const SYNC_N = QUICK ? 2_000 : 10_000;
// The table figures are defined on 100,000 submissions of one form (issue 16), quick or not.
const TABLE_N = 100_000;
const LAUNCH_RUNS = Number(process.env.BENCH_LAUNCH_RUNS || (QUICK ? 3 : 5));
const MAKE = `make bench${QUICK ? ' QUICK=1' : ''}`;
const want = (group) => !ONLY || ONLY.split(',').includes(group);
const rows = [];
const log = (s) => process.stderr.write(`# ${s}\n`);

// Two builds: the app as `make dist` builds it, and the examples apart. One cargo build of both
// would give the app the features the examples' dependencies turn on (cargo unifies features
// across a build): a binary 0.6 MB larger than the one shipped, and not the one shipped.
const BUILDS = [
  ['build', '--release', '--locked', '-p', 'penneo-desk', '--bins'],
  ['build', '--release', '--locked', '-p', 'desk-core', '--example', 'bench_sync_search', '--example', 'bench_notice', '-p', 'penneo', '--example', 'upload_bench'],
];

function build() {
  if (process.env.BENCH_NO_BUILD) return;
  for (const args of BUILDS) {
    log(`cargo ${args.join(' ')}`);
    const r = spawnSync(process.env.CARGO || 'cargo', args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('release build failed');
  }
}

/** Runs a built example, echoing its output, and returns its BENCH lines. */
function runExample(name, env) {
  return new Promise((resolve, reject) => {
    const bin = path.join(REL, 'examples', name);
    log(`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ${bin}`);
    const child = spawn(bin, [], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(parseBenchLines(out)) : reject(new Error(`${name} exited with ${code}`))));
  });
}

const cargoRun = (env, pkg, example) => `${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}cargo run --release --locked -p ${pkg} --example ${example}`;

async function core() {
  const env = { BENCH_SUBMISSIONS: SYNC_N, BENCH_TABLE_ROWS: TABLE_N };
  const cmd = cargoRun(env, 'desk-core', 'bench_sync_search');
  let b;
  try {
    b = await runExample('bench_sync_search', env);
  } catch (e) {
    rows.push({ figure: 'sync and the submissions table', value: `failed: ${e.message}`, command: cmd });
    return;
  }
  const s = b.sync_empty;
  rows.push({
    figure: `sync ${SYNC_N.toLocaleString('en')} submissions with answers into an empty cache`,
    target: '≤ 1.0 s and ≤ 0.35× the baseline',
    value: fmtMs(s.value),
    baseline: `plain insert loop ${fmtMs(s.baseline)}`,
    ratio: ratio(s.value, s.baseline),
    met: s.value <= 1000 && s.value / s.baseline <= 0.35,
    command: cmd,
  });
  const inc = b.sync_incremental;
  rows.push({ figure: `incremental sync, nothing new (${inc.note})`, target: '≤ 150 ms', value: fmtMs(inc.value), met: inc.value <= 150, command: cmd });
  for (const [id, what] of [
    ['table_first_page', 'first page'],
    ['table_sort', 'sorted by a field'],
    ['table_condition', 'a field condition'],
    ['table_search', 'search box'],
  ]) {
    const r = b[id];
    rows.push({
      figure: `submissions table, ${what} (${r.note})`,
      target: 'p95 ≤ 50 ms',
      value: fmtMs(r.value),
      baseline: `read all and filter ${fmtMs(r.baseline)}`,
      ratio: ratio(r.value, r.baseline),
      met: r.value <= 50,
      command: cmd,
    });
  }
}

async function notice() {
  const env = { BENCH_NOTICES: QUICK ? 5 : 20 };
  const cmd = cargoRun(env, 'desk-core', 'bench_notice');
  const figure = 'a signed casefile noticed after the simulator completes it (p95), ≤ 20 polls a minute, 429s';
  let b;
  try {
    b = await runExample('bench_notice', env);
  } catch (e) {
    rows.push({ figure, value: `failed: ${e.message}`, command: cmd });
    return;
  }
  const p = b.notice_p95;
  const polls = b.notice_polls_per_minute;
  const limited = b.notice_429;
  rows.push({
    figure: `a signed casefile noticed after the simulator completes it, p95 (${p.note})`,
    target: '≤ 3.5 s p95',
    value: fmtMs(p.value),
    baseline: `check interval ${fmtMs(p.baseline)}`,
    ratio: ratio(p.value, p.baseline),
    met: p.value <= 3500,
    command: cmd,
  });
  rows.push({
    figure: `casefile requests while waiting (${polls.note}), and 429s`,
    target: '≤ 20 a minute, 0 app-caused 429s',
    value: `${polls.value.toFixed(1)} a minute, ${limited.value} × 429`,
    met: polls.value <= 20 && limited.value === 0,
    command: cmd,
  });
}

async function upload() {
  const env = QUICK ? { BENCH_ROUNDS: 1 } : {};
  const cmd = cargoRun(env, 'penneo', 'upload_bench');
  let b;
  try {
    b = await runExample('upload_bench', env);
  } catch (e) {
    rows.push({ figure: 'upload 20 × 25 MB PDFs', value: `failed: ${e.message}`, command: cmd });
    return;
  }
  const t = b.upload_time;
  rows.push({
    figure: `upload 20 × 25 MB PDFs (${t.note})`,
    target: '≤ 1.10× curl',
    value: fmtMs(t.value),
    baseline: `curl ${fmtMs(t.baseline)}`,
    ratio: ratio(t.value, t.baseline),
    met: t.value / t.baseline <= 1.1,
    command: cmd,
  });
  const m = b.upload_rss;
  rows.push({ figure: `upload, RSS growth (${m.note})`, target: '≤ 32 MB', value: fmtMb(m.value), met: m.value <= 32, command: cmd });
}

function sizes() {
  const mb = (f) => statSync(f).size / 1e6;
  if (existsSync(APP)) {
    const v = mb(APP);
    rows.push({ figure: 'release binary, stripped (profile.release strip = true)', target: '≤ 15 MB', value: fmtMb(v), met: v <= 15, command: `ls -l ${path.relative(ROOT, APP)}` });
  }
  const debDir = path.join(REL, 'bundle', 'deb');
  const debs = existsSync(debDir) ? readdirSync(debDir).filter((f) => f.endsWith('.deb')).map((f) => path.join(debDir, f)) : [];
  if (debs.length) {
    const f = debs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    const v = mb(f);
    const when = statSync(f).mtime.toISOString().slice(0, 16).replace('T', ' ');
    rows.push({ figure: `.deb (from the last make dist, ${when} UTC)`, target: '≤ 10 MB', value: fmtMb(v), met: v <= 10, command: 'make dist' });
  } else {
    rows.push({ figure: '.deb', target: '≤ 10 MB', value: 'run make dist', command: 'make dist' });
  }
}

function bundle() {
  const dist = path.join(ROOT, 'ui', 'dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const eager = new Set();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) eager.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g)) eager.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g)) eager.add(m[1]);
  const files = [...eager].filter((f) => /\.(m?js|css)$/.test(f)).map((f) => path.join(dist, f.replace(/^\//, '')));
  const size = (list) => {
    let raw = 0, gz = 0, br = 0;
    for (const f of list) {
      const b = readFileSync(f);
      raw += b.length;
      gz += gzipSync(b, { level: 9 }).length;
      br += brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
    }
    return { raw: raw / 1000, gz: gz / 1000, br: br / 1000 };
  };
  const e = size(files);
  rows.push({
    figure: `UI loaded at start: ${files.map((f) => path.basename(f)).join(' + ')}`,
    target: '≤ 250 KB compressed',
    value: `gzip ${fmtKb(e.gz)}, brotli ${fmtKb(e.br)} (raw ${fmtKb(e.raw)})`,
    met: e.gz <= 250,
    command: 'npm --prefix ui run build && make bench ONLY=bundle',
  });
  const assets = readdirSync(path.join(dist, 'assets'));
  const pdf = assets.filter((f) => /^pdf[.-]/.test(f) && /\.m?js$/.test(f)).map((f) => path.join(dist, 'assets', f));
  // Lazy: neither named in index.html nor imported statically by what it loads (a dynamic
  // `import("./pdf-….js")` is fine).
  const eagerText = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const lazy = pdf.every((f) => {
    const name = path.basename(f).replaceAll('.', '\\.');
    return !html.includes(path.basename(f)) && !new RegExp(`(?:from|import)\\s*["'\`]\\./${name}`).test(eagerText);
  });
  const p = size(pdf);
  rows.push({
    figure: `pdf.js (${pdf.map((f) => path.basename(f)).join(' + ')})`,
    target: 'loaded only when a PDF is shown',
    value: `${lazy ? 'lazy (dynamic import)' : 'EAGER: loaded at start'}; gzip ${fmtKb(p.gz)}, brotli ${fmtKb(p.br)} (raw ${fmtKb(p.raw)})`,
    met: lazy,
    command: 'npm --prefix ui run build && make bench ONLY=bundle',
  });
}

// ---- the window ---------------------------------------------------------------------------

// Ready when the demo's six forms are listed; the time is the list's performance mark (the frame
// after the one that drew the forms, ui/src/pages/forms/ServerForms.svelte), not of this check.
const FORMS_READY = `
  const done = arguments[arguments.length - 1];
  const mark = () => performance.getEntriesByName('penneo-desk:forms-listed')[0];
  const ok = () => document.querySelectorAll('[data-testid="server-form-row"]').length >= 6 && mark();
  const fin = () => done(Math.round(performance.timeOrigin + mark().startTime));
  if (ok()) return fin();
  const t = setInterval(() => { if (ok()) { clearInterval(t); fin(); } }, 5);`;
// The floor: the blank page, loaded, given one line of text, and the time at the start of the
// frame after the one that drew it; the forms list's mark is taken the same way (the frame after
// the one that drew the list). Both so include the webview's first frame with text: under Xvfb it
// costs about 0.4 s more than a load event (Mesa's software GL compiles its shaders then; with
// WEBKIT_DISABLE_COMPOSITING_MODE=1 the list's mark comes 0.4 s sooner), and a blank page's load
// event alone would leave that out of the floor and in the app's figure.
const BLANK_READY = `
  const done = arguments[arguments.length - 1];
  const ok = () => location.href === 'about:blank' && document.readyState === 'complete' && performance.timing.loadEventEnd > 0;
  const fin = () => {
    document.body.innerHTML = '<p style="font: 14px sans-serif; padding: 1rem">Penneo Desk</p>';
    requestAnimationFrame(() => requestAnimationFrame(() => done(Math.round(performance.timeOrigin + performance.now()))));
  };
  if (ok()) return fin();
  const t = setInterval(() => { if (ok()) { clearInterval(t); fin(); } }, 5);`;

/** The epoch ms at which process `p` started: its start time since boot, plus boot's epoch. */
function startedAtMs(p) {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootEpoch = Date.now() - uptime * 1000;
  return bootEpoch + (p.startTicks / 100) * 1000; // USER_HZ is 100 on Linux
}

function appProcess(exe) {
  const real = realpathSync(exe);
  const found = processes().filter((p) => p.exe === real);
  // Newest first: an app of ours that is still exiting must not be taken for this one.
  return found.sort((a, b) => b.startTicks - a.startTicks)[0];
}

/** Starts the app, waits for `ready` (a page script returning Date.now()), returns the ms from
 *  the app process's start to then, and the running app (to stop, or to measure). */
async function launch(harness, env, ready) {
  // The blank page has no welcome to pass; a fresh data dir's welcome is closed as a user would.
  // The window as a user gets it: the app chooses its compositing (src-tauri/lib.rs).
  const app = await harness.startApp({ env, name: 'bench', welcome: env.PENNEO_DESK_BENCH_BLANK ? 'none' : 'explore', composited: false });
  try {
    const proc = appProcess(APP);
    if (!proc) throw new Error('app process not found');
    const deadline = Date.now() + 120_000;
    let at;
    for (;;) {
      try {
        at = await app.session.executeAsync(ready);
        break;
      } catch (e) {
        // A script cut short by a navigation or the script timeout: ask again.
        if (Date.now() > deadline) throw e;
      }
    }
    return { ms: at - startedAtMs(proc), app, pid: proc.pid };
  } catch (e) {
    await app.stop();
    throw e;
  }
}

/** The PSS of the app and its WebKit processes: the total, by process ("app 73, WebKitWebProces
 *  92"), and by kind for the log, to tell the webview's floor from the app's part ("app anon 39 /
 *  file 32 / shmem 2; …"), all from one read of each process's smaps_rollup. */
function memoryOf(pid) {
  const by = {};
  const kinds = [];
  let total = 0;
  const mb = (kb) => (kb / 1024).toFixed(0);
  for (const p of descendants(processes(), pid)) {
    const k = pssSplitKb(p.pid);
    const name = p.pid === pid ? 'app' : p.comm;
    total += k.pss;
    by[name] = (by[name] ?? 0) + k.pss;
    kinds.push(`${name} anon ${mb(k.anon)} / file ${mb(k.file)} / shmem ${mb(k.shmem)}`);
  }
  return {
    mb: total / 1024,
    parts: Object.entries(by).filter(([, kb]) => kb > 0).map(([n, kb]) => `${n} ${mb(kb)}`).join(', '),
    kinds: kinds.join('; '),
  };
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

/** The end-to-end harness on the release binary, and a work dir; null (and a row that says why)
 *  when there is no release binary. */
async function appHarness(figure) {
  if (!existsSync(APP)) {
    rows.push({ figure, value: `no release binary at ${APP}` });
    return null;
  }
  process.env.PENNEO_DESK_BIN = APP;
  return { harness: await import('../../e2e/lib/harness.mjs'), work: mkdtempSync(path.join(tmpdir(), 'penneo-desk-bench-')) };
}

async function windowFigures() {
  const h = await appHarness('launch and memory');
  if (!h) return;
  const { harness, work } = h;
  const cmd = `${MAKE} ONLY=window`;
  try {
    // 1. Fresh data dir: the demo workspace signed in and its forms listed.
    const fresh = [];
    let dataDir;
    for (let i = 0; i < LAUNCH_RUNS; i++) {
      dataDir = path.join(work, `data-${i}`);
      mkdirSync(dataDir);
      const r = await launch(harness, { PENNEO_DESK_DATA_DIR: dataDir }, FORMS_READY);
      fresh.push(r.ms);
      await r.app.stop();
      log(`fresh data dir, demo listed: ${fmtMs(r.ms)}`);
    }
    const freshMs = median(fresh);
    rows.push({
      figure: `launch to the demo workspace signed in and listed, fresh data dir (median of ${LAUNCH_RUNS})`,
      target: '≤ 2.0 s',
      value: fmtMs(freshMs),
      met: freshMs <= 2000,
      command: cmd,
    });

    // 2. The same data dir again (forms from the cache) beside the blank page, alternating,
    //    each after one warm-up launch that is not counted.
    const cached = [];
    const blank = [];
    for (let i = 0; i <= LAUNCH_RUNS; i++) {
      const c = await launch(harness, { PENNEO_DESK_DATA_DIR: dataDir }, FORMS_READY);
      await c.app.stop();
      const b = await launch(harness, { PENNEO_DESK_BENCH_BLANK: '1' }, BLANK_READY);
      await b.app.stop();
      log(`cached ${fmtMs(c.ms)}, blank ${fmtMs(b.ms)}${i === 0 ? ' (warm-up)' : ''}`);
      if (i > 0) {
        cached.push(c.ms);
        blank.push(b.ms);
      }
    }
    const [c, b] = [median(cached), median(blank)];
    rows.push({
      figure: `launch to the forms list drawn from the cache, existing data dir, warm (median of ${LAUNCH_RUNS})`,
      target: '≤ 0.4 s and ≤ 1.3× the floor',
      value: fmtMs(c),
      baseline: `blank page, its first frame with a line of text ${fmtMs(b)}`,
      ratio: ratio(c, b),
      met: c <= 400 && c / b <= 1.3,
      command: cmd,
    });

    // 3. Memory after idling: the demo (its data dir) and the blank window, side by side.
    const demo = await launch(harness, { PENNEO_DESK_DATA_DIR: dataDir }, FORMS_READY);
    let empty;
    try {
      empty = await launch(harness, { PENNEO_DESK_BENCH_BLANK: '1' }, BLANK_READY);
      log(`idling ${IDLE_SECS} s…`);
      await new Promise((r) => setTimeout(r, IDLE_SECS * 1000));
      const [m, e] = [memoryOf(demo.pid), memoryOf(empty.pid)];
      log(`idle PSS by kind, MB: the demo: ${m.kinds}`);
      log(`idle PSS by kind, MB: the blank window: ${e.kinds}`);
      rows.push({
        figure: `memory after ${IDLE_SECS} s idle on the demo, PSS of the app and its WebKit processes (${m.parts} MB)`,
        target: '≤ 150 MB',
        value: fmtMb(m.mb),
        baseline: `blank window ${fmtMb(e.mb)} (${e.parts} MB)`,
        ratio: ratio(m.mb, e.mb),
        met: m.mb <= 150,
        command: `BENCH_IDLE_SECS=${IDLE_SECS} ${cmd}`,
      });
    } finally {
      await demo.app.stop();
      await empty?.app.stop();
    }
  } catch (e) {
    rows.push({ figure: 'launch and memory', value: `failed: ${e.message.split('\n')[0]}`, command: cmd });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Memory while the submissions table is scrolled through 100,000 rows: a fresh demo whose
 *  KYC form's synced submissions are copied in the database up to TABLE_N (e2e/lib/bulk.mjs),
 *  the form opened, idle PSS taken, then the table scrolled to its last row about a page (500
 *  rows) at a time, each step waiting for the window's rows to be read, PSS sampled on the way;
 *  then the reads alone (`scrollReads`) and the webview's floor (`scrollFloor`). */
async function scrollFigure() {
  const h = await appHarness('memory while scrolling');
  if (!h) return;
  const { harness, work } = h;
  try {
    await scrollMemory(harness, path.join(work, 'data-big'));
  } catch (e) {
    rows.push({ figure: 'memory while scrolling', value: `failed: ${e.message.split('\n')[0]}`, command: `${MAKE} ONLY=scroll` });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The webview's own cost of scrolling a table that large: the blank window is given a virtual
 *  table of `n` rows of 36 px whose rows are made in the page (five cells of text, no reads from
 *  the backend), scrolled the same way as the app's table; returns its idle and peak PSS. */
async function scrollFloor(harness, n) {
  const b = await launch(harness, { PENNEO_DESK_BENCH_BLANK: '1' }, BLANK_READY);
  const { session } = b.app;
  try {
    await session.execute(
      `const [N, H] = arguments;
      const words = ['Nordvind', 'Fjordlys', 'Holm', 'Kjær', 'Bech', 'Sølvtræ', 'Dahl', 'Lund', 'Havblik', 'Østergaard', 'Aarhus', 'Odense', 'Vejle'];
      document.body.style.margin = '0';
      const vp = document.createElement('div');
      vp.id = 'vp';
      vp.style.cssText = 'height:100vh;overflow:auto;position:relative;font:14px sans-serif';
      const spacer = document.createElement('div');
      spacer.style.height = N * H + 'px';
      const table = document.createElement('table');
      table.style.cssText = 'position:absolute;left:0;right:0;border-collapse:collapse';
      const body = table.appendChild(document.createElement('tbody'));
      vp.append(spacer, table);
      document.body.appendChild(vp);
      const draw = () => {
        const first = Math.floor(vp.scrollTop / H);
        table.style.top = first * H + 'px';
        const rows = [];
        for (let i = first; i < Math.min(N, first + Math.ceil(vp.clientHeight / H) + 2); i++) {
          const w = (k) => words[(i * 7 + k * 13) % words.length];
          const tr = document.createElement('tr');
          tr.style.height = H + 'px';
          for (const text of [w(0) + ' ' + w(1) + ' ' + i, 'p' + i + '@example.com', w(2) + ' ApS', w(3), '0' + ((i % 9) + 1) + '.12.2026']) {
            tr.appendChild(document.createElement('td')).textContent = text;
          }
          rows.push(tr);
        }
        body.replaceChildren(...rows);
      };
      vp.addEventListener('scroll', draw);
      draw();`,
      [n, 36],
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = memoryOf(b.pid);
    let peak = idle;
    for (let step = 0; step < n / 500 + 50; step++) {
      const end = await session.execute(`const vp = document.getElementById('vp'); vp.scrollTop += 18000;
        return vp.scrollTop + vp.clientHeight >= vp.scrollHeight - 2;`);
      await session.executeAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));');
      if (step % 10 === 0) {
        const m = memoryOf(b.pid);
        if (m.mb > peak.mb) peak = m;
      }
      if (end) break;
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const end = memoryOf(b.pid);
    if (end.mb > peak.mb) peak = end;
    return { idle, peak };
  } finally {
    await b.app.stop();
  }
}

/** What the reads alone cost the webview: the app opened again on the same data dir, its forms
 *  list shown (no table), and the pages the table read while scrolling (`count` rows, 500 at a
 *  time, in order, the first with the view's count) asked for from the page through the same
 *  bridge (`list_submissions`, the query the submissions view sends by default: ui/src/lib/
 *  submissions/query.ts `buildQuery` with `DEFAULT_FILTER` and no answer columns), memory
 *  sampled the same way; returns its idle and peak PSS and the bytes of JSON the reads got. */
async function scrollReads(harness, dataDir, formId, count) {
  const r = await launch(harness, { PENNEO_DESK_DATA_DIR: dataDir }, FORMS_READY);
  const { session } = r.app;
  try {
    await new Promise((res) => setTimeout(res, 5_000));
    const idle = memoryOf(r.pid);
    let peak = idle;
    let bytes = 0;
    const pages = Math.ceil(count / 500);
    for (let first = 0; first < pages; first += 10) {
      const got = await session.executeAsync(
        `const [formId, first, last] = arguments;
        const done = arguments[arguments.length - 1];
        (async () => {
          let bytes = 0;
          for (let p = first; p < last; p++) {
            const query = { formId, completedAfter: null, completedBefore: null, filters: [], reviewed: null, flagged: null,
              sort: { key: 'completedAt' }, descending: true, columns: [], limit: 500, cursor: null, offset: p * 500, withTotal: p === 0 };
            const page = await window.__TAURI_INTERNALS__.invoke('list_submissions', { query });
            if (!page.result.length) throw new Error('no rows at ' + p * 500);
            bytes += JSON.stringify(page).length;
          }
          return bytes;
        })().then(done, (e) => done(String(e)));`,
        [formId, first, Math.min(pages, first + 10)],
      );
      if (typeof got !== 'number') throw new Error(`the reads alone: ${got}`);
      bytes += got;
      const m = memoryOf(r.pid);
      if (m.mb > peak.mb) peak = m;
    }
    await new Promise((res) => setTimeout(res, 2_000));
    const end = memoryOf(r.pid);
    if (end.mb > peak.mb) peak = end;
    return { idle, peak, pages, bytes };
  } finally {
    await r.app.stop();
  }
}

async function scrollMemory(harness, dataDir) {
  const bulk = await import('../../e2e/lib/bulk.mjs');
  mkdirSync(dataDir);
  const big = await launch(harness, { PENNEO_DESK_DATA_DIR: dataDir }, FORMS_READY);
  const { session } = big.app;
  try {
    await bulk.openSyncedSubmissions(session);
    const formId = await bulk.formIdByName(session, 'KYC – individual');
    if (!formId) throw new Error('no KYC form in the demo');
    const seeded = Number(bulk.sqlite(dataDir, `SELECT count(*) FROM submissions WHERE form_id = '${formId.replace(/'/g, "''")}'`));
    const total = bulk.copySubmissions(dataDir, formId, Math.ceil(TABLE_N / seeded) - 1);
    log(`${total} submissions in the database; opening the form`);
    await session.execute(`location.hash = arguments[0]`, [`#/submissions/${encodeURIComponent(formId)}`]);
    // `data-row-count` is the view's count (from its first page), `data-rows-held` the rows the
    // table's page cache holds; rows not read yet are placeholders marked aria-busy.
    const state = () =>
      session.execute(`const vp = document.querySelector('[data-testid="submissions-table"]');
        return vp ? { count: Number(vp.dataset.rowCount), held: Number(vp.dataset.rowsHeld),
          dom: vp.querySelectorAll('tbody tr[aria-rowindex]').length, busy: vp.querySelectorAll('tbody tr[aria-busy="true"]').length,
          end: vp.scrollTop + vp.clientHeight >= vp.scrollHeight - 2 } : null`);
    await session.waitFor(async () => ((await state())?.held ?? 0) >= 500, 'the first page', { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = memoryOf(big.pid);
    log(`idle with the form open: ${idle.parts} MB (by kind: ${idle.kinds})`);
    let peak = idle;
    let st = await state();
    let steps = 0;
    let maxHeld = st.held;
    let maxDom = st.dom;
    // Through the whole view about 500 rows (18,000 px) at a time, each step waiting until the
    // rows in the window are read (no placeholders left).
    for (; !st.end && steps < total / 500 + 50; steps++) {
      await session.execute(`document.querySelector('[data-testid="submissions-table"]').scrollTop += 18000;`);
      await session.waitFor(async () => ((st = await state()).busy === 0 ? true : false), 'the rows of the window', { timeout: 60_000 });
      maxHeld = Math.max(maxHeld, st.held);
      maxDom = Math.max(maxDom, st.dom);
      if (steps % 10 === 0) {
        const m = memoryOf(big.pid);
        if (m.mb > peak.mb) peak = m;
      }
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const end = memoryOf(big.pid);
    if (end.mb > peak.mb) peak = end;
    log(`at the peak, by kind: ${peak.kinds}`);
    // Whether the growth is held or given back: the same window 30 s later, nothing moving.
    await new Promise((r) => setTimeout(r, 30_000));
    const rested = memoryOf(big.pid);
    log(`30 s after the scroll: ${rested.parts} MB (by kind: ${rested.kinds})`);
    log(`scrolled to the last of ${st.count} rows in ${steps} steps, at most ${maxDom} rows in the DOM, at most ${maxHeld} rows held`);
    await big.app.stop();
    const reads = await scrollReads(harness, dataDir, formId, st.count);
    const readsGrowth = reads.peak.mb - reads.idle.mb;
    log(`the reads alone, ${reads.pages} pages (${fmtMb(reads.bytes / 1048576)} of JSON) from the forms list: idle ${reads.idle.parts} MB, peak ${reads.peak.parts} MB (by kind: ${reads.peak.kinds})`);
    const floor = await scrollFloor(harness, st.count);
    const floorGrowth = floor.peak.mb - floor.idle.mb;
    log(`the floor, a virtual table made in the blank window: idle ${floor.idle.parts} MB, peak ${floor.peak.parts} MB`);
    rows.push({
      figure: `memory while scrolling ${st.count.toLocaleString('en')} rows in the window: peak PSS over the idle PSS before (${peak.parts} MB at the peak; idle with the form open ${fmtMb(idle.mb)})`,
      target: '≤ 50 MB more than idle',
      value: `+${fmtMb(peak.mb - idle.mb)}`,
      baseline: `the webview's floor: a virtual table of as many rows made in the blank window, scrolled alike, +${fmtMb(floorGrowth)}; the same reads alone (${reads.pages} pages through the bridge, no table): +${fmtMb(readsGrowth)}`,
      ratio: ratio(peak.mb - idle.mb, floorGrowth),
      met: st.end && st.busy === 0 && st.count >= total && peak.mb - idle.mb <= 50,
      command: `${MAKE} ONLY=scroll`,
    });
  } finally {
    await big.app.stop();
  }
}

async function main() {
  const started = Date.now();
  if (['core', 'notice', 'upload', 'window', 'scroll', 'sizes'].some(want)) build();
  if (want('core')) await core();
  if (want('notice')) await notice();
  if (want('upload')) await upload();
  if (want('sizes')) sizes();
  if (want('bundle')) bundle();
  if (want('window')) await windowFigures();
  if (want('scroll')) await scrollFigure();
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() ? '+changes' : '';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const header = `\`${MAKE}${ONLY ? ` ONLY=${ONLY}` : ''}\` at ${commit}${dirty}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started) / 1000)} s, load average ${load}`;
  const table = `${header}\n\n${formatTable(rows)}\n`;
  const out = path.join(TARGET, 'bench', 'report.md');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, table);
  process.stdout.write(`\n${table}\nwritten to ${path.relative(ROOT, out)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
