// Penneo's sources number signer statuses two ways (the SDKs: 0 new, 1 pending, 2 rejected,
// 3 deleted, 4 signed, 5 undeliverable; the Postman description: 0 sent, 1 request opened,
// 2 opened, 3 signed, 4 rejected). The demo workspace uses the SDKs' numbering; this file signs in
// to a second simulator that uses the Postman numbering, through the real loopback sign-in, and
// checks that the window reads it right once the app has learned it from a completed casefile:
// every signer of a completed casefile "Signed" (code 3 would be "Removed" under the SDKs'
// numbering) and the rejecting signer of a rejected casefile "Rejected" (code 4 would be "Signed").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, startSim, freePort } from '../lib/harness.mjs';
import { invoke } from '../lib/invoke.mjs';

let app;
let sim;
before(async () => {
  const port = await freePort();
  const redirect = `http://127.0.0.1:${port}/callback`;
  sim = await startSim(['--seed', 'demo', '--auto-approve', '--signer-status-scheme', 'postman', '--client', `postman-e2e:postman-secret:${redirect}`]);
  sim.redirectPort = port;
  app = await startApp({ name: 'postman' });
});
after(async () => {
  await app?.stop();
  await sim?.stop();
});

const css = (id) => `[data-testid="${id}"]`;

async function openCasefile(title) {
  const { session } = app;
  let id = null;
  await session.waitFor(async () => {
    for (const r of await session.findAll(css('casefile-row'))) {
      if (title.test(await r.text())) {
        id = await r.attr('data-id');
        await (await r.find(css('open-casefile'))).click();
        return true;
      }
    }
    return false;
  }, `the casefile ${title}`, { timeout: 30_000 });
  await session.find(`[data-testid="casefile-detail"][data-id="${id}"]`, { timeout: 20_000 });
  return id;
}

async function stages() {
  const out = [];
  for (const s of await app.session.findAll(css('detail-signer'))) out.push([await s.attr('data-stage'), (await s.text()).split('\n')[0]]);
  return out;
}

test('a Penneo with the Postman numbering: signed and rejected signers read right', async () => {
  const { session } = app;
  const indicator = await session.find(css('account-indicator'));
  await session.waitFor(async () => /Demo Practice/.test(await indicator.text()), 'the demo sign-in', { timeout: 60_000 });

  const added = await invoke(session, 'add_account', {
    account: {
      label: 'Postman-numbered Penneo',
      environment: 'custom',
      oauthHost: sim.url,
      apiHost: sim.url,
      auth: { kind: 'oauth', clientId: 'postman-e2e', clientSecret: 'postman-secret', redirectPort: sim.redirectPort },
    },
  });
  await invoke(session, 'sign_in', { accountId: added.id });
  const badge = () => session.execute('const b = document.querySelector(\'[data-testid="account-indicator"] [data-testid="environment-badge"]\'); return b && b.textContent;');
  await session.waitFor(async () => (await badge()) === 'Custom', 'the header to show the custom account', { timeout: 30_000 });

  await (await session.find(css('nav-casefiles'))).click();
  const completedId = await openCasefile(/^Annual report 2025/);
  await session.waitFor(async () => {
    const s = await stages();
    return s.length === 3 && s.every(([stage]) => stage === 'signed');
  }, 'every signer of the completed casefile signed', { timeout: 30_000 });
  // The raw codes are the Postman ones: the app did not read them with the SDKs' numbering.
  const completed = await invoke(session, 'get_casefile', { casefileId: Number(completedId), refresh: false });
  assert.deepEqual(
    completed.signers.map((s) => [s.statusCode, s.status]),
    [[3, 'signed'], [3, 'signed'], [3, 'signed']],
  );
  await app.shot('completed.png');

  await (await session.find(css('back-to-casefiles'))).click();
  const ndaId = await openCasefile(/^NDA/);
  const nda = await stages();
  assert.ok(nda.some(([stage]) => stage === 'rejected'), `a rejecting signer: ${JSON.stringify(nda)}`);
  assert.ok(nda.every(([stage]) => stage !== 'unknown'), `no signer read as unknown: ${JSON.stringify(nda)}`);
  // Postman's 4 is "rejected" (the SDKs' "signed"), and 3 "signed" (the SDKs' "deleted"): the
  // earlier steps signed before the last signer rejected.
  const rejected = await invoke(session, 'get_casefile', { casefileId: Number(ndaId), refresh: false });
  const postman = { 3: 'signed', 4: 'rejected' };
  assert.deepEqual(
    rejected.signers.map((s) => [s.statusCode, s.status]),
    rejected.signers.map((s) => [s.statusCode, postman[s.statusCode]]),
  );
  assert.equal(rejected.signers.filter((s) => s.status === 'rejected').length, 1);
  assert.equal(nda.filter(([stage]) => stage === 'signed').length, rejected.signers.filter((s) => s.status === 'signed').length);
  await app.shot('rejected.png');
});
