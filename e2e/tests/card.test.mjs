// The reception card: one landscape tablet screen, one printed A4 page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer } from './helpers.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => server?.stop());

test('the card fits a 10-inch landscape tablet screen without scrolling', async () => {
  const { context } = await launch({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(new URL('/kaart', server.url).href);
    await page.getByRole('heading', { level: 1, name: /Kaart receptie/ }).waitFor();
    const { scroll, view } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollHeight,
      view: window.innerHeight,
    }));
    assert.ok(scroll <= view, `page is ${scroll}px tall in a ${view}px screen`);
    // It holds the office procedure, the general points and the emergency numbers.
    await page.getByText('Persoon wordt verzocht pand te verlaten (zo nodig 3x)').first().waitFor();
    await page.getByText('Bewaar afstand en maak geen onverwachte bewegingen.').waitFor();
    assert.equal(await page.locator('.card-numbers a[href="tel:112"]').count(), 1);
  } finally {
    await context.close();
  }
});

test('the card prints on exactly one A4 page', async () => {
  const { context } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(new URL('/kaart', server.url).href);
    await page.getByRole('heading', { level: 1, name: /Kaart receptie/ }).waitFor();
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    assert.equal(pages.length, 1, `${pages.length} pages`);
    const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
    assert.ok(box, 'a media box');
    // A4 is 595 x 842 points.
    assert.ok(Math.abs(Number(box[1]) - 595) < 2 && Math.abs(Number(box[2]) - 842) < 2, box[0]);
  } finally {
    await context.close();
  }
});
