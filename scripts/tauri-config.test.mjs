// tauri.conf.json's build hooks run where their script exists: the Tauri CLI (`make dist`,
// `tauri dev`) starts them in the hook's `cwd`, relative to the config file, and the UI's
// package.json is in ui/, not beside the config. `make test` bundles with `tauri bundle`, which
// runs no hook, so without this check a broken hook shows only when a release is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'tauri.conf.json'), 'utf8'));

for (const hook of ['beforeDevCommand', 'beforeBuildCommand']) {
  test(`${hook} names an npm script of the package.json in its directory`, () => {
    const h = config.build[hook];
    assert.ok(h, `${hook} is set`);
    const script = typeof h === 'string' ? h : h.script;
    const cwd = path.resolve(ROOT, typeof h === 'string' ? '.' : (h.cwd ?? '.'));
    const m = /^npm run ([\w:-]+)$/.exec(script);
    assert.ok(m, `${hook} is "npm run <script>", not ${JSON.stringify(script)}`);
    const pkgPath = path.join(cwd, 'package.json');
    assert.ok(fs.existsSync(pkgPath), `${hook} runs in ${path.relative(ROOT, cwd) || '.'}, which has no package.json`);
    const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
    assert.ok(pkg.scripts?.[m[1]], `${path.relative(ROOT, pkgPath)} has no "${m[1]}" script for ${hook}`);
  });
}

test('frontendDist is where the UI build writes', () => {
  const vite = fs.readFileSync(path.join(ROOT, 'ui', 'vite.config.ts'), 'utf8');
  const outDir = /outDir:\s*['"]([^'"]+)['"]/.exec(vite)?.[1] ?? 'dist';
  assert.equal(path.resolve(ROOT, config.build.frontendDist), path.resolve(ROOT, 'ui', outDir));
});
