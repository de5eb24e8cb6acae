#!/usr/bin/env node
// The UI's production dependencies and their licences, from ui/package-lock.json: every package
// npm installs for `dependencies` (not dev-only), plus Svelte, a devDependency whose runtime the
// compiler puts into the bundle. Prints a Markdown table (the README's reliability section
// quotes it); exits 1 if a package names no licence. Usage: node scripts/ui-licenses.mjs
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = JSON.parse(readFileSync(join(root, 'ui/package-lock.json'), 'utf8'));
const bundledFromDev = new Set(['svelte']);
const rows = [];

/**
 * The licence a package's LICENSE file names in its first line, for a package.json without a
 * `license` field (svelte-toolbelt); only the plain MIT, ISC and Apache-2.0 headings are read,
 * anything else stays unnamed. Needs the packages installed (`npm ci`, as `make lint` has).
 */
function licenseFromFile(key) {
  const dir = join(root, 'ui', key);
  if (!existsSync(dir)) return '';
  const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  if (!file) return '';
  const first = readFileSync(join(dir, file), 'utf8').trim().split('\n')[0].trim();
  if (/^MIT License$/i.test(first)) return 'MIT';
  if (/^ISC License/i.test(first)) return 'ISC';
  if (/^Apache License/i.test(first)) return 'Apache-2.0';
  return '';
}
for (const [key, p] of Object.entries(lock.packages)) {
  if (!key.startsWith('node_modules/')) continue;
  const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const prod = !p.dev && !p.devOptional;
  if (!prod && !bundledFromDev.has(name)) continue;
  const notes = [];
  if (!prod) notes.push('devDependency compiled into the bundle');
  if (p.optional) notes.push('optional');
  if (p.os) notes.push(`only on ${p.os.join(', ')}${p.cpu ? ` ${p.cpu.join(', ')}` : ''}`);
  let license = p.license ?? '';
  if (!license) {
    license = licenseFromFile(key);
    if (license) notes.push('from its LICENSE file (its package.json names none)');
  }
  rows.push({ name, version: p.version, license, note: notes.join('; ') });
}
rows.sort((a, b) => a.name.localeCompare(b.name));
console.log('| package | version | licence | note |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.version} | ${r.license || '**none**'} | ${r.note} |`);
const missing = rows.filter((r) => !r.license);
if (missing.length) {
  console.error(`no licence named: ${missing.map((r) => r.name).join(', ')}`);
  process.exit(1);
}
