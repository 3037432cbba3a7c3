// axe-core finds no accessibility violations on the main kinds of screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, newDraft, startServer } from './helpers.mjs';

let server;
let context;
before(async () => {
  server = await startServer();
  ({ context } = await launch({ viewport: { width: 390, height: 844 } }));
});
after(async () => {
  await context?.close();
  await server?.stop();
});

const screens = [
  ['home', '/', 'Wat gebeurt er?'],
  ['a flow step', '/protocol/kantoor', 'Op kantoor'],
  ['the extreme checklist', '/extreem', 'Extreme incidenten'],
  ['the reference', '/naslag', 'Naslag'],
  ['the reception card', '/kaart', 'Kaart receptie: agressie op kantoor'],
  ['the settings', '/instellingen', 'Instellingen'],
  ['the reports', '/registraties', 'Registraties'],
  ['enrolling this device', '/koppelen', 'Koppel dit apparaat'],
];

for (const [name, path, heading] of screens) {
  test(`no axe violations on ${name}`, async () => {
    const page = await context.newPage();
    await page.goto(new URL(path, server.url).href);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(summary, []);
    await page.close();
  });
}

test('no axe violations on a step with ticks and call buttons, and on a police end', async () => {
  const page = await context.newPage();
  const axe = async () =>
    (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  await page.goto(new URL('/protocol/woning', server.url).href);
  // The same label on two steps: each tap waits for the step it is meant for.
  for (const step of ['Probeer de persoon rustig te krijgen m.b.t. vaardigheden', 'Geef de grens aan en geef de persoon de keuze']) {
    await page.getByRole('heading', { level: 2, name: step, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Persoon blijft agressief', exact: true }).click();
  }
  await page.getByRole('checkbox', { name: 'Sein leidinggevende in' }).check();
  await page.locator('.action-tick .done-at').waitFor();
  assert.deepEqual(await axe(), []);
  await page.goto(new URL('/protocol/kantoor', server.url).href);
  await page.getByRole('button', { name: 'Opnieuw beginnen' }).waitFor();
  for (const label of ['Persoon blijft agressief of het wordt erger', 'Persoon blijft agressief', 'Persoon gaat niet weg en blijft agressief', 'Ik druk op het stille alarm']) {
    await page.getByRole('button', { name: label, exact: true }).click();
  }
  await page.locator('h2.end-text').waitFor();
  assert.deepEqual(await axe(), []);
  await page.close();
});

test('no axe violations on the form, also with its error summary shown', async () => {
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await newDraft(page, server.url);
  const check = async () => {
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  assert.deepEqual(await check(), []);
  await page.getByRole('button', { name: 'Afronden' }).click();
  await page.locator('#error-summary').waitFor();
  assert.deepEqual(await check(), []);
  await page.close();
});

test('touch targets are at least 44 px on a phone', async () => {
  const page = await context.newPage();
  await page.goto(new URL('/protocol/kantoor', server.url).href);
  await page.getByRole('heading', { level: 1, name: 'Op kantoor' }).waitFor();
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, a, input, summary')]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip'))
      .map((el) => ({ el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44 || r.width < 44)
      .map(({ el, r }) => `${Math.round(r.width)}x${Math.round(r.height)} ${el}`),
  );
  assert.deepEqual(small, []);
  await page.close();
});

test('no horizontal scrolling at 320 px', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/protocol/kantoor', '/naslag', '/kaart', '/instellingen', '/extreem']) {
    await page.goto(new URL(path, server.url).href);
    await page.locator('main h1').waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `${path} is ${wide}px wide`);
  }
  await page.close();
});
