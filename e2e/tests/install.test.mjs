// Installable, offline from the first visit, and an update that keeps drafts.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DIST, REPORT_VERSION, ROOT, idbValues, newDraft, openApp, tempDir, waitSaved } from './helpers.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test("Chromium's installability check finds no errors", async () => {
  const { server, context, page } = await openApp(cleanups, { waitForWorker: true });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const manifest = await (await fetch(new URL('/manifest.webmanifest', server.url))).json();
  assert.deepEqual(manifest.shortcuts.map((s) => s.url), ['/protocol/kantoor', '/protocol/woning', '/protocol/telefoon']);
  assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
});

test('after one visit online, a fresh page with the network off opens every route', async () => {
  const { server, context, page: first } = await openApp(cleanups, { waitForWorker: true });
  const draftUrl = await newDraft(first, server.url);
  await first.close();

  await context.setOffline(true);
  const routes = [
    ['/', 'Wat gebeurt er?'],
    ['/protocol/kantoor', 'Op kantoor'],
    ['/protocol/woning', 'In bijvoorbeeld een woning'],
    ['/protocol/telefoon', 'Telefonische agressie'],
    ['/extreem', 'Extreme incidenten'],
    ['/naslag', 'Naslag'],
    ['/kaart', 'Kaart receptie: agressie op kantoor'],
    ['/instellingen', 'Instellingen'],
    ['/registraties', 'Registraties'],
    [new URL(draftUrl).pathname, 'Agressieregistratie'],
    ['/verzenden', 'Verzenden'],
    ['/koppelen', 'Koppel dit apparaat'],
  ];
  for (const [path, heading] of routes) {
    const page = await context.newPage();
    await page.goto(new URL(path, server.url).href);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.close();
  }
  // And the app says it is offline, and that this is fine.
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByText('Je kunt gewoon verder: alles werkt en blijft op dit apparaat bewaard.').waitFor();
});

test('an update that migrates the storage schema is offered, switched to on request, and the draft is intact', async () => {
  // Build A is dist/; build B (./x builds it into target/dist-schema-ahead) stores reports in
  // the schema version after A's (REPORT_VERSION + 1) and migrates A's when it reads them.
  const distB = process.env.VEILIG_DIST_B ?? join(ROOT, 'target/dist-schema-ahead');
  assert.ok(existsSync(join(distB, 'index.html')), `build B is missing at ${distB}: run ./x e2e`);
  const deploy = tempDir('deploy');
  cleanups.push(async () => deploy.remove());
  cpSync(DIST, deploy.dir, { recursive: true });
  const { server, context, page } = await openApp(cleanups, { dist: deploy.dir, waitForWorker: true });
  const url = await newDraft(page, server.url);
  const id = new URL(url).pathname.split('/').pop();
  await page.locator('#f-omschrijving').pressSequentially('Getypt vóór de update');
  await waitSaved(page);
  const stored = async () => (await idbValues(page, 'reports', id))[0];
  assert.equal((await stored()).v, REPORT_VERSION);
  const before = await page.evaluate(() => caches.keys().then((k) => k.find((n) => n.startsWith('veilig-shell-'))));
  // A second window of build A stays open through the update; build B also raises the
  // database version, which that window's open connection would block.
  const other = await context.newPage();
  await other.goto(new URL('/registraties', server.url).href);
  await other.getByRole('heading', { level: 1, name: 'Registraties' }).waitFor();
  await other.evaluate(() => (window.__buildA = true));

  // Deploy B: replace every file.
  for (const f of readdirSync(deploy.dir)) rmSync(join(deploy.dir, f), { recursive: true });
  cpSync(distB, deploy.dir, { recursive: true });

  await page.reload();
  await page.getByText('Nieuwe versie beschikbaar.').waitFor({ timeout: 30000 });
  assert.equal(await page.locator('#f-omschrijving').inputValue(), 'Getypt vóór de update', 'still the old version, untouched');
  await page.getByRole('button', { name: 'Bijwerken' }).click();
  await page.waitForFunction((old) => caches.keys().then((k) => !k.includes(old) && k.some((n) => n.startsWith('veilig-shell-'))), before);
  await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
  assert.equal(page.url(), url);
  assert.equal(await page.locator('#f-omschrijving').inputValue(), 'Getypt vóór de update');
  assert.equal(await page.getByText('Nieuwe versie beschikbaar.').count(), 0);

  // The next save writes the migrated schema, with nothing lost.
  await page.locator('#f-omschrijving').press('!');
  await waitSaved(page);
  const after = await stored();
  assert.equal(after.v, REPORT_VERSION + 1);
  assert.equal(after.data.schema_version, REPORT_VERSION + 1);
  assert.equal(after.data.values.omschrijving, 'Getypt vóór de update!');
  const databases = await page.evaluate(() => indexedDB.databases());
  assert.equal(databases.find((d) => d.name === 'veilig').version, 4, 'the database was upgraded');

  // The other window was reloaded into build B by the new service worker.
  await other.waitForFunction(() => window.__buildA === undefined);
  await other.getByRole('heading', { level: 1, name: 'Registraties' }).waitFor();
  await other.getByText('Getypt vóór de update').waitFor();
});

test('Safari on an iPhone, in a tab, is told to add the app to the home screen; Chromium is not', async () => {
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  const { server, context, page } = await openApp(cleanups);
  await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
  assert.equal(await page.getByText('Zet op beginscherm').count(), 0);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setUserAgentOverride', { userAgent: iphone });
  await page.goto(new URL('/instellingen', server.url).href);
  await page.getByText(/Op iPhone of iPad: tik op Deel en kies ‘Zet op beginscherm’/).waitFor();
});
