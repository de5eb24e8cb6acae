// The shell: the real window opens, shows the navigation and the account indicator, and every
// page can be reached by mouse and by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { Keys } from '../lib/webdriver.mjs';

const app = useApp({ name: 'shell' });

test('the window opens on the shell with its title', async () => {
  const { session } = app;
  await session.waitFor(async () => /^Forms — Penneo Desk$/.test(await session.title()), 'the window title');
  const nav = await session.find('[data-testid="nav-forms"]');
  assert.ok(await nav.displayed());
  await app.shot('start.png');
});

test('the window draws in the app\'s own typeface, not the machine\'s', async () => {
  const { session } = app;
  // The page's text is set in Inter, served from the app's origin; the system font is only a
  // fallback. If a font file were missing or blocked by the CSP, its face would not load and the
  // layout would depend on the machine's fonts again. Two files of one face (ui/src/app.css): the
  // Latin one is all the start page needs; the whole one loads when a character only it has is
  // on the page (an arrow, a check mark, Ł).
  const faces = (text) =>
    session.executeAsync(`const done = arguments[0];
      const text = ${JSON.stringify(text)};
      (text ? document.fonts.load('15px "Inter Desk"', text) : Promise.resolve()).then(() => document.fonts.ready).then(() => {
        const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Inter Desk');
        const whole = faces.find((f) => /^U\\+0-10FFFF$/i.test(f.unicodeRange));
        const latin = faces.find((f) => f !== whole);
        done({
          latin: latin?.status,
          whole: whole?.status,
          count: faces.length,
          bodyFamily: getComputedStyle(document.body).fontFamily,
          usable: document.fonts.check('15px "Inter Desk"', 'Æblegrød på økonomi → ✓ Łódź'),
        });
      });`);
  const atStart = await session.waitFor(() => faces(''), 'the font faces');
  assert.equal(atStart.count, 2, JSON.stringify(atStart));
  assert.equal(atStart.latin, 'loaded', `the Latin file loads at start (${JSON.stringify(atStart)})`);
  assert.equal(atStart.whole, 'unloaded', `the whole file is not loaded for the start page (${JSON.stringify(atStart)})`);
  assert.match(atStart.bodyFamily, /^"?Inter Desk"?,/);
  const later = await faces('Æblegrød på økonomi → ✓ Łódź');
  assert.deepEqual([later.latin, later.whole], ['loaded', 'loaded'], JSON.stringify(later));
  assert.equal(later.usable, true, 'Danish letters, Polish ones and the UI\'s symbols are drawn in Inter');
});

test('the demo workspace opens and signs in through the PKCE flow', async () => {
  const el = await app.session.find('[data-testid="account-indicator"]');
  // With no account configured the app opens the embedded simulator's demo workspace and signs
  // in to it through the real loopback PKCE code path; the indicator then names the user.
  await app.session.waitFor(
    async () => {
      const t = await el.text();
      return /demo/i.test(t) && /Demo Practice/.test(t) ? t : false;
    },
    'account indicator to show the signed-in demo user',
    { timeout: 60_000 },
  );
  await app.shot('signed-in.png');
});

test('navigation reaches each page by click', async () => {
  const { session } = app;
  for (const page of ['casefiles', 'submissions', 'settings', 'forms']) {
    await (await session.find(`[data-testid="nav-${page}"]`)).click();
    const el = await session.find(`[data-testid="page-${page}"]`);
    assert.ok(await el.displayed(), `page ${page} shown`);
    const current = await (await session.find(`[data-testid="nav-${page}"]`)).attr('aria-current');
    assert.equal(current, 'page', `nav-${page} marked current`);
  }
});

test('navigation works from the keyboard', async () => {
  const { session } = app;
  // Focus the Submissions link the way a keyboard user would reach it, then press Enter.
  await session.execute('document.querySelector(\'[data-testid="nav-submissions"]\').focus()');
  assert.equal(await session.activeTestId(), 'nav-submissions');
  await session.keys(Keys.ENTER);
  await session.find('[data-testid="page-submissions"]');
  // Tab moves focus on from the navigation (nothing traps it).
  await session.keys(Keys.TAB);
  assert.notEqual(await session.activeTestId(), 'nav-submissions');
});

test('the shell stays readable at 1024×700', async () => {
  const { session } = app;
  await session.cmd('POST', '/window/rect', { width: 1024, height: 700 });
  await session.waitFor(
    async () => (await session.execute('return window.innerWidth')) <= 1024,
    'the window to shrink to 1024 wide',
  );
  for (const page of ['forms', 'casefiles', 'submissions', 'settings']) {
    await (await session.find(`[data-testid="nav-${page}"]`)).click();
    await session.find(`[data-testid="page-${page}"]`);
    // Nothing spills sideways: no horizontal scrolling of the whole page.
    const overflow = await session.execute(
      'return document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 0, `page ${page} overflows sideways by ${overflow}px at 1024 wide`);
  }
  await (await session.find('[data-testid="nav-forms"]')).click();
  await app.shot('1024x700.png');
});
