// Reports reach the server exactly once, whatever the network and the server do in between.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { dispatchSync, enrollPage, fillComplete, idbPut, idbValues, launch, outboxEntry, newDraft, openApp, queueReports, receivedReports, sampleReport, startServer, tempDir } from './helpers.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The outbox as the app stored it: [{id, body, state}]. */
async function outboxOf(page) {
  return (await idbValues(page, 'outbox')).map((envelope) => envelope.data);
}

/** A server of its own and a browser on its outbox page; both stopped after the tests. */
async function openOutbox(options) {
  const { server, page } = await openApp(cleanups, { path: '/verzenden', ...options });
  await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
  return { server, page };
}

test('offline: three reports finalized, a reload, back online: each arrives exactly once and the badge clears', async () => {
  const { server, context, page } = await openApp(cleanups, { waitForWorker: true });
  await context.setOffline(true);

  for (const n of [1, 2, 3]) {
    await newDraft(page, server.url);
    await fillComplete(page, `Melding nummer ${n}`);
    await page.getByRole('button', { name: 'Afronden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
  }
  await page.locator('.sync-badge', { hasText: '3 registraties wachten op verbinding' }).waitFor();
  await page.getByText('Geen verbinding. Je kunt gewoon verder').waitFor();
  await page.reload();
  await page.locator('.sync-badge', { hasText: '3 registraties wachten op verbinding' }).waitFor();
  assert.equal((await receivedReports(server.url)).length, 0);

  await context.setOffline(false);
  // Nothing else is done: the app notices the connection by itself.
  await page.waitForFunction(() => !document.querySelector('.sync-badge'), null, { timeout: 30000 });
  const received = await receivedReports(server.url);
  const outbox = await outboxOf(page);
  assert.equal(received.length, 3);
  assert.equal(new Set(received.map((r) => r.id)).size, 3);
  for (const entry of outbox) {
    assert.equal(entry.state, 'delivered');
    const receipt = received.find((r) => r.id === entry.id);
    assert.ok(receipt, 'each local report is on the server');
    assert.equal(receipt.content_hash, createHash('sha256').update(entry.body).digest('hex'), 'byte-identical');
  }
  await page.locator('.outbox-row.state-delivered').nth(2).waitFor();
});

test('the server is killed halfway through sending and started again: still exactly once', async () => {
  const data = tempDir('kill-data');
  cleanups.push(async () => data.remove());
  let server = await startServer({ dataDir: data.dir });
  const { port, url } = server;
  const { context } = await launch();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(new URL('/verzenden', url).href);
  await enrollPage(page, server);
  await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();

  // Thirty finalized reports put straight into the app's outbox, as finalize writes them.
  const template = JSON.parse(
    await page.evaluate(async () => {
      return null;
    }) ?? 'null',
  );
  assert.equal(template, null);
  const count = 30;
  await queueReports(page, Array.from({ length: count }, (_, i) => sampleReport(i)));

  await page.getByRole('button', { name: 'Nu verzenden' }).click();
  // Kill the server as soon as the first reports have arrived.
  const deadline = Date.now() + 20000;
  while ((await receivedReports(url)).length < 1) {
    if (Date.now() > deadline) throw new Error('nothing arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
  await server.stop('SIGKILL');
  const beforeKill = await outboxOf(page);
  assert.ok(beforeKill.some((e) => e.state !== 'delivered'), 'the kill came halfway');

  server = await startServer({ dataDir: data.dir, port });
  cleanups.push(() => server.stop());
  // The app retries on its own (backoff, timer).
  await page.waitForFunction(() => !document.querySelector('.sync-badge'), null, { timeout: 60000 });
  const received = await receivedReports(url);
  const outbox = await outboxOf(page);
  assert.equal(received.length, count, 'exactly once each');
  assert.equal(new Set(received.map((r) => r.id)).size, count);
  for (const entry of outbox) {
    assert.equal(entry.state, 'delivered', entry.id);
    const receipt = received.find((r) => r.id === entry.id);
    assert.equal(receipt.content_hash, createHash('sha256').update(entry.body).digest('hex'));
  }
});

test('with the app closed, the service worker delivers the outbox on a background sync', async () => {
  const { server, context, page } = await openApp(cleanups, { waitForWorker: true });
  await context.setOffline(true);
  await newDraft(page, server.url);
  await fillComplete(page, 'Verzonden door de service worker');
  await page.getByRole('button', { name: 'Afronden' }).click();
  await page.locator('.sync-badge', { hasText: '1 registratie wacht op verbinding' }).waitFor();
  const [queued] = await outboxOf(page);
  assert.equal(queued.state, 'waiting');
  await page.close(); // the app is gone: only the worker can send now

  await context.setOffline(false);
  await dispatchSync(context, server);
  const until = Date.now() + 20000;
  while ((await receivedReports(server.url)).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const received = await receivedReports(server.url);
  assert.equal(received.length, 1);
  assert.equal(received[0].content_hash, createHash('sha256').update(queued.body).digest('hex'));

  // The app, opened again, sees it delivered and sends nothing twice.
  const again = await context.newPage();
  await again.goto(new URL('/verzenden', server.url).href);
  await again.locator('.outbox-row.state-delivered').waitFor();
  assert.equal((await receivedReports(server.url)).length, 1);
  assert.equal(await again.locator('.sync-badge').count(), 0);
});

test('the worker sends entries stored in the app\'s shape with the app\'s rules: a receipt delivers, a refusal is kept with its code', async () => {
  const { server, context, page } = await openApp(cleanups, { waitForWorker: true });
  await context.setOffline(true);
  const bad = sampleReport(700);
  delete bad.values.plaats; // refused by the server
  const good = sampleReport(701);
  // Entries in the shape pinned by core (core/tests/fixtures/outbox-entry-v1.json).
  await queueReports(page, [bad, good]);
  // The good one failed once before and waits for its backoff: the sync ("the connection is
  // back") sends it anyway, as the app's "Nu verzenden" does.
  const waiting = JSON.parse(outboxEntry(good));
  Object.assign(waiting.data, { next_attempt_at: '2999-01-01T00:00:00Z', failures: 1, last_error: 'timeout' });
  await idbPut(page, 'outbox', [[good.id, JSON.stringify(waiting)]]);
  await page.close(); // no app runs from here on: only the worker can send

  await context.setOffline(false);
  const blank = await dispatchSync(context, server);
  // Read the outbox from a page that does not run the app (the API is never the app shell).
  await blank.goto(new URL('/api/health', server.url).href);
  let entries = [];
  for (const end = Date.now() + 20000; Date.now() < end; await blank.waitForTimeout(100)) {
    entries = await outboxOf(blank);
    if (entries.length === 2 && entries.every((e) => e.state === 'delivered' || e.state === 'refused')) break;
  }
  const byId = Object.fromEntries(entries.map((e) => [e.id, e]));
  assert.equal(byId[good.id]?.state, 'delivered', JSON.stringify(entries));
  assert.equal(byId[good.id].receipt.id, good.id);
  assert.equal(byId[bad.id]?.state, 'refused', JSON.stringify(entries));
  assert.equal(byId[bad.id].status, 422);
  assert.equal(byId[bad.id].code, 'invalid_report');
  assert.deepEqual((await receivedReports(server.url)).map((r) => r.id), [good.id]);
});

test('a report the server refuses is shown as refused with its reason, stops waiting and is not sent again', async () => {
  const { server, page } = await openOutbox();
  const bad = sampleReport(900);
  delete bad.values.plaats; // what an older or broken client might send
  const good = sampleReport(901);
  const puts = [];
  page.on('request', (r) => r.method() === 'PUT' && puts.push(new URL(r.url()).pathname));
  await queueReports(page, [bad, good]);
  await page.getByRole('button', { name: 'Nu verzenden' }).click();

  const refused = page.locator('.outbox-row.state-refused');
  await refused.waitFor();
  // The server's code, said in the app's words, with the field it named.
  assert.match(await refused.textContent(), /Geweigerd door de server: Niet goed ingevuld\. \(Plaats[^)]*\)/);
  await page.locator('.outbox-row.state-delivered').waitFor();
  await page.waitForFunction(() => !document.querySelector('.sync-badge'));
  const entries = await outboxOf(page);
  assert.deepEqual(
    entries.map((e) => [e.id, e.state, e.code ?? null, e.status ?? null]).sort(),
    [[bad.id, 'refused', 'invalid_report', 422], [good.id, 'delivered', null, null]].sort(),
  );
  const received = await receivedReports(server.url);
  assert.deepEqual(received.map((r) => r.id), [good.id]);

  // Further triggers do not send it again.
  const before = puts.length;
  await page.getByRole('button', { name: 'Nu verzenden' }).click();
  await page.waitForTimeout(1500);
  assert.equal(puts.length, before);
});

test('a server that takes the report and never answers costs a retry, not the report', async () => {
  // No service worker: every request stays visible to page.route.
  const { server, page } = await openOutbox({ serviceWorkers: 'block' });
  const report = sampleReport(950);
  const hung = [];
  // The request is taken and never answered (a hung proxy or server).
  await page.route('**/api/v1/reports/**', (route) => hung.push(route));
  await queueReports(page, [report]);
  await page.getByRole('button', { name: 'Nu verzenden' }).click();

  const entry = async () => (await outboxOf(page)).find((e) => e.id === report.id);
  const until = async (check, ms) => {
    for (const end = Date.now() + ms; Date.now() < end; await page.waitForTimeout(250)) {
      if (check(await entry())) return;
    }
    assert.fail(`outbox entry: ${JSON.stringify(await entry())}`);
  };
  await until((e) => e.state === 'sending', 5000);
  // src/net.rs gives one report 20 s, answer included; then it waits for a retry.
  await until((e) => e.state === 'waiting' && e.last_error === 'timeout', 30000);
  assert.equal(hung.length, 1);
  assert.equal((await receivedReports(server.url)).length, 0);

  await page.unroute('**/api/v1/reports/**');
  await page.getByRole('button', { name: 'Nu verzenden' }).click();
  await until((e) => e.state === 'delivered', 10000);
  assert.deepEqual((await receivedReports(server.url)).map((r) => r.id), [report.id]);
});
