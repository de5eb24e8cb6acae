// The simulator's control API as the tests use it.
import assert from 'node:assert/strict';

/**
 * Makes the simulator at `api` misbehave for the next `count` requests whose path starts with
 * `pathPrefix`: answer `status`, or answer after `delayMs`.
 */
export async function injectFault(api, fault) {
  const res = await fetch(`${api}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  assert.ok(res.ok, `fault installed: ${res.status} ${await res.text()}`);
}

/** Clears every fault the simulator still has. */
export async function clearFaults(api) {
  await fetch(`${api}/_sim/faults`, { method: 'DELETE' });
}
