// Who sent it and who may read it, end to end in Chromium: a tablet enrolled for its team
// sends a report written offline; the team's manager (with a second factor) and P&O read it,
// a manager of another team does not, and the audit trail shows P&O's read. The people use
// their own browsers, and the API from there (the workspace's screens are not built yet).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PASSWORD, ROOT, enrollPage, fillComplete, freshCode, idbValues, launch, serverCommand, startServer, waitForServiceWorker, waitSaved } from './helpers.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A fetch from the page (its cookies, its origin): status and parsed body. */
async function call(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch {}
      return { status: res.status, json, text };
    },
    { method, path, body },
  );
}

const secrets = new Map();

/**
 * Logs `login` in from the browser of `page`. The first time, the account sets up its
 * authenticator (its role needs one): the server gives a secret, the first code confirms it,
 * and the person logs out and in again with a code, as they would every day after.
 */
async function logIn(page, login) {
  if (!secrets.has(login)) {
    const first = await call(page, 'POST', '/api/v1/session', { login, password: PASSWORD });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.complete, false, 'a manager must set up a second factor first');
    assert.equal((await call(page, 'GET', '/api/v1/reports')).json.code, 'second_factor_setup_required');
    const setup = await call(page, 'POST', '/api/v1/session/second-factor');
    assert.equal(setup.status, 201, setup.text);
    assert.match(setup.json.otpauth_url, /^otpauth:\/\/totp\//);
    secrets.set(login, setup.json.secret);
    const confirm = await call(page, 'POST', '/api/v1/session/second-factor/confirm', { code: freshCode(setup.json.secret, login) });
    assert.equal(confirm.status, 200, confirm.text);
    assert.equal(confirm.json.recovery_codes.length, 10);
    assert.equal((await call(page, 'DELETE', '/api/v1/session')).status, 204);
  }
  const without = await call(page, 'POST', '/api/v1/session', { login, password: PASSWORD });
  assert.equal(without.json.code, 'second_factor_required');
  const res = await call(page, 'POST', '/api/v1/session', { login, password: PASSWORD, code: freshCode(secrets.get(login), login) });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.complete, true);
  return res.json.person;
}

async function browser(server) {
  const { context } = await launch();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept()); // "Afronden" asks to confirm
  await page.goto(server.url);
  return { context, page };
}

test('a report from an enrolled tablet, written offline, is read by its team manager and P&O, not by another team; the audit trail shows the reads', async () => {
  const server = await startServer();
  cleanups.push(() => server.stop());
  for (const [login, name, role] of [['chef-oost', 'Chef Oost', 'leidinggevende'], ['chef-west', 'Chef West', 'leidinggevende'], ['beheer', 'Beheer', 'beheerder']]) {
    serverCommand(server.dataDir, ['add-user', '--login', login, '--name', name, '--role', role], { input: `${PASSWORD}\n` });
  }
  serverCommand(server.dataDir, ['add-team', '--name', 'Team Oost', '--manager', 'chef-oost']);
  serverCommand(server.dataDir, ['add-team', '--name', 'Team West', '--manager', 'chef-west']);

  // The tablet: enrolled for Team Oost, then without signal during a home visit.
  const tablet = await browser(server);
  await enrollPage(tablet.page, server, { team: 'Team Oost' });
  await waitForServiceWorker(tablet.page); // installed: the app opens without signal
  await tablet.context.setOffline(true);
  const phone = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8')).flows.find((f) => f.id === 'telefoon');
  await tablet.page.goto(new URL('/protocol/telefoon', server.url).href);
  let at = phone.start;
  for (const id of ['agressief', 'agressief', 'opgehangen', 'gemeld']) {
    const step = phone.nodes.find((n) => n.id === at);
    await tablet.page.getByRole('heading', { level: 2, name: step.text, exact: true }).waitFor();
    const answer = step.answers.find((a) => a.id === id);
    await tablet.page.getByRole('button', { name: answer.label, exact: true }).click();
    at = answer.next;
  }
  await tablet.page.getByRole('button', { name: 'Registreer dit incident' }).click();
  await tablet.page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
  const reportId = tablet.page.url().split('/').at(-1);
  // The flow made it a warning for colleagues: its text (before confirming, which a change undoes).
  await tablet.page.locator('#f-waarschuwing_tekst').fill('Beller dreigt langs te komen.');
  await waitSaved(tablet.page);
  await fillComplete(tablet.page, 'Beller dreigde langs te komen.');
  await tablet.page.getByRole('button', { name: 'Afronden' }).click();
  await tablet.page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
  const [queued] = await idbValues(tablet.page, 'outbox', reportId);
  assert.notEqual(queued.data.state, 'delivered', 'offline: it waits on the tablet');

  // Signal again: the tablet sends by itself; the receipt is stored on it.
  await tablet.context.setOffline(false);
  const until = Date.now() + 30000;
  for (;;) {
    const [entry] = await idbValues(tablet.page, 'outbox', reportId);
    if (entry.data.state === 'delivered') {
      assert.equal(entry.data.receipt.seq, 1, "the receipt counts this tablet's reports, not the server's");
      break;
    }
    assert.ok(Date.now() < until, `not delivered: ${JSON.stringify(entry.data)}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // The manager of Team Oost, on their own computer, with a second factor.
  const oost = await browser(server);
  await logIn(oost.page, 'chef-oost');
  const list = await call(oost.page, 'GET', '/api/v1/reports');
  assert.deepEqual(list.json.map((r) => r.id), [reportId]);
  const read = await call(oost.page, 'GET', `/api/v1/reports/${reportId}`);
  assert.equal(read.status, 200);
  assert.equal(read.json.values.omschrijving, 'Beller dreigde langs te komen.');

  // The manager of another team sees nothing of it.
  const west = await browser(server);
  await logIn(west.page, 'chef-west');
  assert.deepEqual((await call(west.page, 'GET', '/api/v1/reports')).json, []);
  const refused = await call(west.page, 'GET', `/api/v1/reports/${reportId}`);
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, 'forbidden');
  assert.ok(!refused.text.includes('Beller'), 'not a word of the report');

  // P&O reads it; the audit trail shows who read it, and a beheerder reads the trail but not the report.
  const po = await browser(server);
  const poPerson = await logIn(po.page, 'po');
  assert.equal((await call(po.page, 'GET', `/api/v1/reports/${reportId}`)).status, 200);
  const admin = await browser(server);
  await logIn(admin.page, 'beheer');
  assert.equal((await call(admin.page, 'GET', `/api/v1/reports/${reportId}`)).status, 403);
  const trail = await call(admin.page, 'GET', '/api/v1/audit');
  assert.equal(trail.status, 200);
  const reads = trail.json.filter((e) => e.action === 'report_read' && e.target === `report:${reportId}`);
  assert.ok(reads.some((e) => e.actor === `person:${poPerson.id}` && e.address === '127.0.0.1'), JSON.stringify(reads));
  assert.equal(reads.length, 2, 'the manager and P&O: two reads, the refused ones are not reads');
  assert.ok(trail.json.some((e) => e.action === 'device_enrolled'));
  assert.ok(!JSON.stringify(trail.json).includes('Beller'), 'no report content in the trail');
  assert.ok(!JSON.stringify(trail.json).includes(PASSWORD), 'no password in the trail');
});
