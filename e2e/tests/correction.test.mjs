// A finalized report is never changed: "Corrigeer" makes a new draft that names it
// (`corrects`), prefilled from it. Both are kept on the device and on the server, and the
// reports list shows them as a pair. Checked on what IndexedDB stores, not only on the screen.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fillComplete, idbValues, newDraft, openApp, receivedReport, receivedReports, waitSaved } from './helpers.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Polls until `read()` gives a value that `ok` accepts; returns it. */
async function until(read, ok, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const storedReport = async (page, id) => (await idbValues(page, 'reports', id))[0]?.data;
const idOf = (url) => new URL(url).pathname.split('/').pop();

test('Corrigeer makes a new draft prefilled from the final report; both stay and are listed as a pair', async () => {
  const { server, page } = await openApp(cleanups);
  const originalId = idOf(await newDraft(page, server.url));
  await fillComplete(page, 'Huurder schreeuwde aan de balie.');
  // An answer that stops applying (the weapon, once the threat is unticked) is not finalized.
  await page.getByRole('checkbox', { name: 'Bedreiging' }).check();
  await page.locator('#f-wapen').getByRole('radio', { name: 'Getoond' }).check();
  await page.getByRole('checkbox', { name: 'Bedreiging' }).uncheck();
  // The private address is a truthful answer: allowed, and marked for the manager.
  await page.locator('#f-melding_aangifte').getByRole('radio', { name: 'Aangifte bij de politie' }).check();
  await page.locator('#f-aangifte_door').getByRole('radio', { name: 'Door medewerker' }).check();
  await page.getByRole('radio', { name: 'Mijn privéadres is gebruikt' }).check();
  await page.getByText('Je privéadres is gebruikt. Je leidinggevende ziet dit').waitFor();
  // These answers came after the confirmation: it is withdrawn, and given again.
  await page.getByRole('checkbox', { name: 'Ik bevestig dat deze registratie klopt' }).check();
  await waitSaved(page);
  assert.equal((await storedReport(page, originalId)).values.wapen, 'getoond', 'a draft keeps every answer');
  await page.getByRole('button', { name: 'Afronden' }).click();

  const original = await until(() => storedReport(page, originalId), (r) => r?.status === 'final', 'the final report');
  assert.equal(original.values.wapen, undefined, 'pruned when finalized');
  assert.equal(original.values.adres_werkgever, 'prive');
  assert.equal(original.values.akkoord_naam, 'Ans de Vries');
  assert.match(original.values.akkoord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'when it was confirmed');
  const [entry] = await idbValues(page, 'outbox', originalId);
  assert.ok(!entry.data.body.includes('"wapen"'), 'nor in the bytes to send');

  // The read-only view: who confirmed and when, the private-address notice, and Corrigeer.
  await page.goto(new URL(`/registraties/${originalId}`, server.url).href);
  await page.getByText(/Bevestigd door Ans de Vries op \d{4}-\d\d-\d\d \d\d:\d\d/).waitFor();
  await page.getByText('Je privéadres is gebruikt. Je leidinggevende ziet dit').waitFor();
  await page.getByRole('button', { name: 'Corrigeer' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/registraties/') && !u.pathname.endsWith(originalId));
  const correctionId = idOf(page.url());

  // Stored: a new draft naming the original, with every value but the confirmation.
  const draft = await until(() => storedReport(page, correctionId), (r) => r !== undefined, 'the correction');
  assert.equal(draft.status, 'draft');
  assert.equal(draft.corrects, originalId);
  assert.notEqual(draft.id, originalId);
  const { akkoord, akkoord_naam, ...carried } = original.values;
  assert.ok(akkoord && akkoord_naam);
  assert.deepEqual(draft.values, carried);
  // And on screen: the form, prefilled, not confirmed, naming what it corrects.
  await page.locator('#f-omschrijving').waitFor();
  assert.equal(await page.locator('#f-omschrijving').inputValue(), 'Huurder schreeuwde aan de balie.');
  assert.equal(await page.getByRole('checkbox', { name: 'Ik bevestig dat deze registratie klopt' }).isChecked(), false);
  const back = page.locator('.correction-of a');
  await back.getByText('Correctie van 2026-01-05 10:15 · Huisbezoek').waitFor();
  assert.equal(await back.getAttribute('href'), `/registraties/${originalId}`);

  // The correction changes one answer; the original stays exactly as it was.
  await page.locator('#f-plaats').fill('Kerkstraat 2');
  await waitSaved(page);
  assert.equal((await storedReport(page, correctionId)).values.plaats, 'Kerkstraat 2');
  assert.deepEqual(await storedReport(page, originalId), original);

  // The list shows the pair, each linked to the other.
  await page.goto(new URL('/registraties', server.url).href);
  const correctionRow = page.locator('.report-row', { has: page.locator('.correction-of') });
  await correctionRow.waitFor();
  assert.equal(await correctionRow.locator('.correction-of a').getAttribute('href'), `/registraties/${originalId}`);
  assert.match(await correctionRow.textContent(), /Correctie van 2026-01-05 10:15 · Huisbezoek/);
  const originalRow = page.locator('.report-row', { has: page.locator('.corrected') });
  assert.equal(await originalRow.locator('.corrected a').getAttribute('href'), `/registraties/${correctionId}`);
  assert.match(await originalRow.locator('.corrected').textContent(), /^Gecorrigeerd/);

  // Finalized, the correction reaches the server beside the original, naming it.
  await page.goto(new URL(`/registraties/${correctionId}`, server.url).href);
  await page.getByRole('checkbox', { name: 'Ik bevestig dat deze registratie klopt' }).check();
  await waitSaved(page);
  await page.getByRole('button', { name: 'Afronden' }).click();
  await until(() => receivedReports(server.url), (list) => list.length === 2, 'both reports at the server');
  const received = JSON.parse((await receivedReport(server.url, correctionId)).text);
  assert.equal(received.corrects, originalId);
  assert.equal(received.values.plaats, 'Kerkstraat 2');
});
