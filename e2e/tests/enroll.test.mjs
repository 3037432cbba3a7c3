// Enrolling a device: reports finalized on a device that is not (or no longer) enrolled stay on
// it, the app says why and whom to ask, offers them as a file, and sends them once the device
// is enrolled with a manager's code (typed, or opened from the QR link).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { createEnrollmentCode, fillComplete, idbValues, newDraft, openApp, receivedReports, revokeDevices } from './helpers.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const NOT_ENROLLED =
  'Dit apparaat is nog niet gekoppeld. Vraag je leidinggevende om een koppelcode. Je registraties blijven op dit apparaat bewaard.';
const REVOKED =
  'Dit apparaat is ontkoppeld. Vraag je leidinggevende om een nieuwe koppelcode. Je registraties blijven op dit apparaat bewaard.';
const CODE_INVALID = 'Deze code klopt niet of is verlopen. Vraag een nieuwe code.';
const SAVE_UNSENT = 'Bewaar niet-verzonden registraties als bestand';

/** The outbox as the app stored it: [{id, body, state, last_error, ...}]. */
async function outboxOf(page) {
  return (await idbValues(page, 'outbox')).map((envelope) => envelope.data);
}

/** Polls `read` until `check` holds for its value; fails with the last value. */
async function until(read, check, ms = 20000) {
  let value;
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    value = await read();
    if (check(value)) return value;
  }
  assert.fail(`never held: ${JSON.stringify(value)}`);
}

/** Finalizes one complete report through the form; returns to the outbox page. */
async function finalizeOne(page, server, description) {
  await newDraft(page, server.url);
  await fillComplete(page, description);
  await page.getByRole('button', { name: 'Afronden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
}

async function enrollByTyping(page, server, code) {
  await page.goto(new URL('/koppelen', server.url).href);
  await page.getByRole('heading', { level: 1, name: 'Koppel dit apparaat' }).waitFor();
  await page.getByLabel('Koppelcode').fill(code);
  await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
}

test('not enrolled: a finalized report stays on the device, is offered as a file, and arrives once the device is enrolled; a used code is refused', async () => {
  const { server, page } = await openApp(cleanups, { enroll: false });
  await finalizeOne(page, server, 'Gemeld op een apparaat zonder koppeling');

  // Stored: still waiting (never refused), with the server's code kept.
  const [held] = await until(
    () => outboxOf(page),
    (entries) => entries.length === 1 && entries[0].last_error === 'device_not_enrolled',
  );
  assert.equal(held.state, 'waiting');
  assert.equal((await receivedReports(server.url)).length, 0);

  // Said once, plainly, on the outbox page and in the badge on every screen.
  const box = page.locator('.held');
  await box.getByText(NOT_ENROLLED).waitFor();
  await page.locator('.sync-badge', { hasText: NOT_ENROLLED }).waitFor();
  assert.equal(await box.getByRole('link', { name: 'Koppel dit apparaat' }).getAttribute('href'), '/koppelen');
  assert.equal(await page.locator('.outbox-row.state-refused').count(), 0);

  // The file holds the exact report as it would have been sent.
  const [download] = await Promise.all([page.waitForEvent('download'), box.getByRole('button', { name: SAVE_UNSENT }).click()]);
  assert.match(download.suggestedFilename(), /^veilig-niet-verzonden-\d{4}-\d{2}-\d{2}\.json$/);
  const file = readFileSync(await download.path(), 'utf8');
  assert.equal(file, `[${held.body}]`, 'the exact bytes of the pending report');
  const [report] = JSON.parse(file);
  assert.equal(report.id, held.id);
  assert.equal(report.values.omschrijving, 'Gemeld op een apparaat zonder koppeling');

  // A reload changes nothing: still on the device, still held.
  await page.reload();
  await page.locator('.sync-badge', { hasText: NOT_ENROLLED }).waitFor();

  // Enrolled with a code typed by hand: the held report goes at once.
  const { code } = await createEnrollmentCode(server);
  await enrollByTyping(page, server, code.toLowerCase());
  await page.getByText('Gekoppeld aan Wijkteam Noord').waitFor();
  const received = await until(
    () => receivedReports(server.url),
    (r) => r.length === 1,
  );
  assert.equal(received[0].id, held.id);
  const [delivered] = await until(
    () => outboxOf(page),
    (entries) => entries[0]?.state === 'delivered',
  );
  assert.equal(delivered.receipt.id, held.id);
  assert.equal(delivered.last_error, null);
  await page.waitForFunction(() => !document.querySelector('.sync-badge'));

  // The settings say to which team this device is linked, with a way to link it again.
  await page.goto(new URL('/instellingen', server.url).href);
  await page.getByText(/Dit apparaat is gekoppeld aan team Wijkteam Noord sinds \d{4}-\d{2}-\d{2} \d{2}:\d{2}\./).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Opnieuw koppelen' }).getAttribute('href'), '/koppelen');

  // The same code again: used, so one plain sentence, and what was typed stays.
  await enrollByTyping(page, server, code);
  await page.getByText(CODE_INVALID).waitFor();
  assert.equal(await page.getByLabel('Koppelcode').inputValue(), code);
  assert.equal((await receivedReports(server.url)).length, 1);
});

test('the QR link opens the page with the code filled in, and takes the code out of the address', async () => {
  const { server, page } = await openApp(cleanups, { enroll: false });
  const { code, link } = await createEnrollmentCode(server, { person: 'Ans de Vries' });
  assert.equal(new URL(link).hash, `#${code}`);
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: 'Koppel dit apparaat' }).waitFor();
  assert.equal(await page.getByLabel('Koppelcode').inputValue(), code);
  assert.equal(await page.evaluate(() => location.hash), '', 'the single-use code is not left in the address');
  assert.equal(new URL(page.url()).pathname, '/koppelen');
  await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
  await page.getByText('Gekoppeld aan Wijkteam Noord').waitFor();
  // Stored on the device: the settings show it after a reload.
  await page.goto(new URL('/instellingen', server.url).href);
  await page.getByText(/gekoppeld aan team Wijkteam Noord \(Ans de Vries\) sinds/).waitFor();
});

test('revoked: a report finalized afterwards stays on the device and the app says the device was unlinked', async () => {
  const { server, page } = await openApp(cleanups); // enrolled by the helper
  await finalizeOne(page, server, 'Voor het ontkoppelen');
  await until(
    () => receivedReports(server.url),
    (r) => r.length === 1,
  );

  await revokeDevices(server, 'Wijkteam Noord');
  await finalizeOne(page, server, 'Na het ontkoppelen');
  const entries = await until(
    () => outboxOf(page),
    (all) => all.some((e) => e.last_error === 'device_revoked'),
  );
  const kept = entries.find((e) => e.last_error === 'device_revoked');
  assert.equal(kept.state, 'waiting', 'kept, never refused');
  assert.equal(JSON.parse(kept.body).values.omschrijving, 'Na het ontkoppelen');
  assert.equal(entries.filter((e) => e.state === 'delivered').length, 1);
  await page.locator('.held').getByText(REVOKED).waitFor();
  await page.locator('.sync-badge', { hasText: REVOKED }).waitFor();
  await page.locator('.held').getByRole('button', { name: SAVE_UNSENT }).waitFor();
  assert.equal((await receivedReports(server.url)).length, 1);

  // Sending again does not change that.
  await page.getByRole('button', { name: 'Nu verzenden' }).click();
  await page.waitForTimeout(1000);
  const again = (await outboxOf(page)).find((e) => e.id === kept.id);
  assert.equal(again.state, 'waiting');
  assert.equal(again.last_error, 'device_revoked');
  assert.equal((await receivedReports(server.url)).length, 1);
});
