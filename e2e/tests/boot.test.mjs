// index.html's plain home screen (#boot: header, navigation, the four procedures): tappable before the app has started, equal to what the
// app renders, and only where it is right (the home address, in Dutch).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch, startServer } from './helpers.mjs';

const protocol = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8'));

let server;
let context;
before(async () => {
  server = await startServer();
  // No service worker: it would serve the wasm from its cache, past the route that holds it.
  ({ context } = await launch({ serviceWorkers: 'block' }));
});
after(async () => {
  await context?.close();
  await server?.stop();
});

/** A page whose wasm waits until `release()` is called: the app has not started before that. */
async function pageWithAppHeld() {
  const page = await context.newPage();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/*_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  return { page, release };
}

const homeScreen = (page, root) =>
  page.evaluate((root) => {
    const scope = document.querySelector(root);
    const text = (sel) => scope.querySelector(sel)?.textContent.trim();
    return {
      title: text('h1'),
      lead: text('.lead'),
      brand: text('.brand-name'),
      call: scope.querySelector('.call-112')?.getAttribute('aria-label'),
      buttons: [...scope.querySelectorAll('.bigbuttons a')].map((a) => [a.textContent.trim(), a.getAttribute('href')]),
      nav: [...scope.querySelectorAll('.mainnav a')].map((a) => [a.textContent.trim(), a.getAttribute('href'), a.getAttribute('aria-current')]),
      navLabel: scope.querySelector('.mainnav')?.getAttribute('aria-label'),
    };
  }, root);

test('the plain home screen in index.html is the home screen the app renders', async () => {
  const { page, release } = await pageWithAppHeld();
  await page.goto(server.url);
  await page.locator('#boot .bigbuttons a').first().waitFor();
  const plain = await homeScreen(page, '#boot');
  release();
  await page.locator('#boot').waitFor({ state: 'detached' });
  await page.locator('.bigbuttons a').first().waitFor();
  const app = await homeScreen(page, 'body');
  assert.deepEqual(plain, app);
  assert.equal(plain.buttons.length, 4);
  assert.equal(plain.nav.length, 5);
  await page.close();
});

test('a procedure tapped before the app has started opens once it has', async () => {
  const { page, release } = await pageWithAppHeld();
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Op kantoor' }).click();
  assert.equal(new URL(page.url()).pathname, '/', 'the tap is kept, not a page load');
  release();
  const office = protocol.flows.find((f) => f.id === 'kantoor');
  await page.getByText(office.nodes.find((n) => n.id === office.start).text, { exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/protocol/kantoor');
  await page.close();
});

test('another address, or English chosen, shows nothing before the app', async () => {
  const held = await pageWithAppHeld();
  await held.page.goto(new URL('/naslag', server.url).href);
  assert.equal(await held.page.locator('#boot').count(), 0);
  held.release();
  // English chosen in the app itself (its real stored settings), then a new start at home.
  await held.page.getByRole('button', { name: 'Switch to English' }).click();
  await held.page.getByRole('heading', { level: 1, name: 'Reference' }).waitFor();
  const again = await pageWithAppHeld();
  await again.page.goto(server.url);
  assert.equal(await again.page.locator('#boot').count(), 0);
  again.release();
  await again.page.getByRole('button', { name: 'Naar Nederlands' }).click();
  await again.page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
  await held.page.close();
  await again.page.close();
});
