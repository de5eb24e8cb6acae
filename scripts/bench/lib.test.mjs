// Smoke checks of make bench's parsing and table (behaviour only; nothing here times anything).
// Run by `make test-ui`: node --test scripts/bench/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descendants, formatTable, parseBenchLines, pssKb, pssSplitKb, ratio } from './lib.mjs';

test('BENCH lines are read by id and other output is ignored', () => {
  const out = parseBenchLines(
    [
      'seeding 10 submissions…',
      'BENCH {"id":"sync_empty","value":1812.5,"unit":"ms","baseline":2890,"note":"10 submissions"}',
      'sync 10 submissions from the simulator: 1.81s',
      'BENCH {"id":"sync_incremental","value":12,"unit":"ms","baseline":null,"note":"x"}',
    ].join('\n'),
  );
  assert.deepEqual(Object.keys(out), ['sync_empty', 'sync_incremental']);
  assert.equal(out.sync_empty.value, 1812.5);
  assert.equal(out.sync_empty.baseline, 2890);
  assert.equal(out.sync_incremental.baseline, null);
  assert.throws(() => parseBenchLines('BENCH {"id":3}'), /bad BENCH line/);
});

test('PSS is read from smaps_rollup text, 0 when unreadable', () => {
  const text = '55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:  120000 kB\nPss:  101234 kB\nPss_Anon: 9 kB\n';
  assert.equal(pssKb(1, () => text), 101234);
  assert.equal(pssKb(1, () => { throw new Error('gone'); }), 0);
});

test('PSS is split into anonymous, file-backed and shared memory', () => {
  const text = 'Rss: 120000 kB\nPss: 101234 kB\nPss_Dirty: 5 kB\nPss_Anon: 60000 kB\nPss_File: 40000 kB\nPss_Shmem: 1234 kB\n';
  assert.deepEqual(pssSplitKb(1, () => text), { pss: 101234, anon: 60000, file: 40000, shmem: 1234 });
  assert.deepEqual(pssSplitKb(1, () => { throw new Error('gone'); }), { pss: 0, anon: 0, file: 0, shmem: 0 });
});

test('descendants walks the process tree from a root', () => {
  const procs = [
    { pid: 1, ppid: 0 },
    { pid: 10, ppid: 1 },
    { pid: 11, ppid: 10 },
    { pid: 12, ppid: 10 },
    { pid: 13, ppid: 12 },
    { pid: 20, ppid: 1 },
  ];
  assert.deepEqual(descendants(procs, 10).map((p) => p.pid).sort(), [10, 11, 12, 13]);
  assert.deepEqual(descendants(procs, 99), []);
});

test('the table has one line per row, pipes escaped, the verdict spelled out', () => {
  const t = formatTable([
    { figure: 'a | b', target: '≤ 1 s', value: '0.5 s', baseline: '1 s', ratio: ratio(0.5, 1), met: true, command: 'make bench' },
    { figure: 'c', target: '≤ 1 MB', value: 'run make dist', met: undefined },
  ]).split('\n');
  assert.equal(t.length, 4);
  assert.match(t[2], /^\| a \\\| b \| ≤ 1 s \| 0\.5 s \| 1 s \| 0\.50× \| yes \| `make bench` \|$/);
  assert.match(t[3], /\| c \| ≤ 1 MB \| run make dist \| — \| — \| — \| — \|/);
  assert.equal(ratio(1, null), '—');
});
