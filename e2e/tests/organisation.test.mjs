// The organisation's settings reach the field: the beheerder sets the office phone, a team's
// manager phone, the name and the address on the server; a tablet that had numbers typed in
// before keeps using them until it is enrolled and has synced, then uses the organisation's,
// also offline after a reload (the reception card, the protocol text, the settings page).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PASSWORD, TEAM, api, createEnrollmentCode, launch, loginAs, serverCommand, startServer, tempDir, waitForServiceWorker } from './helpers.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const NAME = 'Woonstad Rotterdam';

test('a synced tablet shows the organisation’s name and numbers offline, and its own numbers until then', async () => {
  const server = await startServer();
  cleanups.push(() => server.stop());
  serverCommand(server.dataDir, ['add-user', '--login', 'beheer', '--name', 'Beheer', '--role', 'beheerder'], { input: `${PASSWORD}\n` });
  const beheer = await loginAs(server, 'beheer');

  const profile = tempDir('org-profile');
  cleanups.push(async () => profile.remove());
  const { context } = await launch({ profileDir: profile.dir });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(new URL('/kaart', server.url).href);
  await waitForServiceWorker(page);

  // Numbers typed on this tablet before the organisation kept them (settings of version 1).
  await page.evaluate(() =>
    localStorage.setItem(
      'veilig.settings',
      JSON.stringify({ v: 1, data: { locale: 'nl', manager_phone: '06 1111 2222', office_phone: '020 111 22 33', police_phone: '0900-8844', organisation: 'Eigen naam', organisation_kind: 'corporatie', remove_after_delivery: false } }),
    ),
  );
  await page.reload();
  const numbers = page.locator('.card-numbers');
  await numbers.locator('a[href="tel:0201112233"]').waitFor();
  assert.equal(await numbers.locator('a[href="tel:0611112222"]').count(), 1, 'the manager phone typed here');

  // The beheerder sets the organisation's settings and the team's manager phone.
  const current = await api(server.url, 'GET', '/api/v1/organisation', { cookie: beheer });
  assert.equal(current.status, 200, current.text);
  const settings = { ...current.json, name: NAME, office_phone: '010 440 88 00', address: 'Postbus 1, 3000 AA Rotterdam' };
  const put = await api(server.url, 'PUT', '/api/v1/organisation', { cookie: beheer, body: settings });
  assert.equal(put.status, 200, put.text);
  const teams = await api(server.url, 'GET', '/api/v1/teams', { cookie: beheer });
  const team = teams.json.find((t) => t.name === TEAM);
  const phone = await api(server.url, 'PUT', `/api/v1/teams/${team.id}/phone`, { cookie: beheer, body: { manager_phone: '06 3333 4444' } });
  assert.equal(phone.status, 200, phone.text);

  // Enrolled through the app, the tablet syncs and keeps what the server sent.
  const { code } = createEnrollmentCode(server);
  await page.goto(new URL('/koppelen', server.url).href);
  await page.getByLabel('Koppelcode').fill(code);
  await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
  await page.waitForFunction(
    (name) => JSON.parse(localStorage.getItem('veilig.organisation') ?? 'null')?.data?.name === name,
    NAME,
  );
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('veilig.organisation')));
  assert.equal(stored.v, 1, 'kept in its versioned envelope');
  assert.equal(stored.data.office_phone, '010 440 88 00');
  assert.equal(stored.data.manager_phone, '06 3333 4444');

  // Offline, after a reload: the card has the organisation's numbers, name and address.
  await context.setOffline(true);
  await page.goto(new URL('/kaart', server.url).href);
  await numbers.locator('a[href="tel:0104408800"]').waitFor();
  assert.equal(await numbers.locator('a[href="tel:0633334444"]').count(), 1, 'the team’s manager phone');
  assert.equal(await numbers.locator('a[href="tel:0201112233"]').count(), 0, 'not the number typed before');
  await numbers.getByText(NAME).waitFor();
  await numbers.getByText('Postbus 1, 3000 AA Rotterdam').waitFor();

  // The protocol text names the organisation.
  await page.goto(new URL('/naslag', server.url).href);
  await page.getByText(`${NAME} kan dit vorderen`).first().waitFor();

  // The settings show them, set by the organisation, not editable here; the tablet's own
  // numbers are still stored (nothing typed is lost).
  await page.goto(new URL('/instellingen', server.url).href);
  const org = page.locator('fieldset.org');
  await org.getByText('Ingesteld door je organisatie').waitFor();
  await org.getByText('010 440 88 00').waitFor();
  assert.equal(await page.locator('#office-phone').isVisible(), false, 'no field to change it');
  assert.equal(await page.getByRole('textbox').count(), 0);
  const own = await page.evaluate(() => JSON.parse(localStorage.getItem('veilig.settings')).data);
  assert.equal(own.office_phone, '020 111 22 33');
  await context.setOffline(false);
});
