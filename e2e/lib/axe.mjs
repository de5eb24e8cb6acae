// The accessibility scan: axe-core (pinned in e2e/package.json) injected into the real window
// through WebDriver and run on the page as it is shown. Returns the serious and critical
// findings, each with a few of the elements at fault, ready to print in an assertion message.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Loads axe into the page once (a navigation inside the app keeps it: the app is one page). */
async function inject(session) {
  const present = await session.execute('return typeof window.axe === "object" && typeof window.axe.run === "function"');
  if (present) return;
  await session.execute(`${AXE_SOURCE}\nreturn typeof window.axe;`);
  const now = await session.execute('return typeof window.axe');
  if (now !== 'object') throw new Error(`axe-core did not load into the window (typeof axe: ${now})`);
}

/** Runs axe on the whole document; resolves to the serious and critical violations. */
export async function axeSerious(session) {
  await inject(session);
  const out = await session.executeAsync(`const done = arguments[arguments.length - 1];
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => done(JSON.stringify(r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 4).map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300) })),
          count: v.nodes.length,
        })))))
      .catch((e) => done(JSON.stringify({ error: String(e && e.stack || e) })));`);
  const parsed = JSON.parse(out);
  if (!Array.isArray(parsed)) throw new Error(`axe.run failed in the window: ${parsed.error}`);
  return parsed;
}

/** One line per finding, for an assertion message. */
export function describeFindings(findings) {
  return findings
    .map((f) => `${f.impact} ${f.id} (${f.count}×): ${f.help}\n${f.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n')}`)
    .join('\n');
}
