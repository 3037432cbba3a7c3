// The app's own router (src/router.rs): links open screens without loading the page again,
// back and forward work, the navigation marks where you are, and an unknown address says so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newDraft, startServer } from './helpers.mjs';

let server;
let context;
let page;
before(async () => {
  server = await startServer();
  ({ context } = await launch());
  page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
});
after(async () => {
  await context?.close();
  await server?.stop();
});

const current = () =>
  page.locator('.mainnav a[aria-current="page"]').allTextContents();
const path = () => new URL(page.url()).pathname;

test('a link opens its screen in the running app, and the navigation marks it', async () => {
  await page.evaluate(() => (window.__samePage = true));
  assert.deepEqual(await current(), ['Start']);
  await page.locator('.mainnav').getByRole('link', { name: 'Naslag' }).click();
  await page.getByRole('heading', { level: 1, name: 'Naslag' }).waitFor();
  assert.equal(path(), '/naslag');
  assert.deepEqual(await current(), ['Naslag']);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no page load');
});

test('back and forward go through the screens visited', async () => {
  await page.locator('.mainnav').getByRole('link', { name: 'Kaart' }).click();
  await page.waitForURL((url) => url.pathname === '/kaart');
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Naslag' }).waitFor();
  assert.deepEqual(await current(), ['Naslag']);
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
  assert.deepEqual(await current(), ['Start']);
  await page.goForward();
  await page.getByRole('heading', { level: 1, name: 'Naslag' }).waitFor();
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no page load');
});

test('tapping the link of the screen already open adds nothing to go back through', async () => {
  await page.locator('.mainnav').getByRole('link', { name: 'Start' }).click();
  await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
  await page.locator('.mainnav').getByRole('link', { name: 'Start' }).click();
  await page.locator('.mainnav').getByRole('link', { name: 'Start' }).click();
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Naslag' }).waitFor();
});

test('one report is under "Registraties" in the navigation', async () => {
  await newDraft(page, server.url);
  assert.match(path(), /^\/registraties\/[0-9a-f-]{36}$/);
  assert.deepEqual(await current(), ['Registraties']);
});

test('an unknown address shows "not found" with a way home', async () => {
  await page.goto(new URL('/bestaat/niet', server.url).href);
  await page.getByRole('heading', { level: 1, name: 'Pagina niet gevonden' }).waitFor();
  assert.deepEqual(await current(), []);
  await page.locator('main').getByRole('link', { name: 'Start' }).click();
  await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
});
