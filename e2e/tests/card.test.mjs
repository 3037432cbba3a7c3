// The reception card: the office and the phone procedure as flowcharts, one landscape tablet
// screen, one printed A4 page. Expectations come from the content file, not from copies.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch, startServer } from './helpers.mjs';

const protocol = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8'));
// Reception works at the desk and answers the phone (core: protocol::chart::CARD_FLOWS).
const CARD_FLOWS = ['kantoor', 'telefoon'].map((id) => protocol.flows.find((f) => f.id === id));
const plain = (text) => text.replace(/\s+/g, ' ').trim();

let server;
before(async () => {
  server = await startServer();
});
after(async () => server?.stop());

async function openCard(context) {
  const page = await context.newPage();
  await page.goto(new URL('/kaart', server.url).href);
  await page.getByRole('heading', { level: 1, name: /Kaart receptie/ }).waitFor();
  await page.locator('svg.chart').nth(CARD_FLOWS.length - 1).waitFor();
  return page;
}

test('the card fits a 10-inch landscape tablet screen without scrolling', async () => {
  const { context } = await launch({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await openCard(context);
    const { scroll, view } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollHeight,
      view: window.innerHeight,
    }));
    assert.ok(scroll <= view, `page is ${scroll}px tall in a ${view}px screen`);
    // The general points and the emergency numbers are on it too.
    await page.getByText(protocol.general_points.items.at(-1)).waitFor();
    assert.equal(await page.locator('.card-numbers a[href="tel:112"]').count(), 1);
  } finally {
    await context.close();
  }
});

test('the card draws both procedures as flowcharts with every step, answer and end', async () => {
  const { context } = await launch();
  try {
    const page = await openCard(context);
    for (const flow of CARD_FLOWS) {
      const section = page.locator('.card-procedure', { has: page.getByRole('heading', { level: 2, name: flow.title, exact: true }) });
      const svg = section.locator('svg.chart');
      assert.equal(await svg.count(), 1, flow.id);
      // A group with a name, so a screen reader announces the chart before its text.
      assert.equal(await svg.getAttribute('role'), 'group');
      assert.match(await svg.getAttribute('aria-label'), new RegExp(flow.title));
      const texts = (await svg.locator('text').allTextContents()).map(plain);
      const steps = flow.nodes.filter((n) => !n.end);
      const ends = flow.nodes.filter((n) => n.end);
      for (const n of flow.nodes) {
        assert.ok(texts.some((t) => t.startsWith(plain(n.text))), `${flow.id}: no box for ${n.id}`);
        for (const then of n.end?.then ?? []) assert.ok(texts.some((t) => t.includes(plain(then))), then);
        if (n.detail) assert.ok(texts.some((t) => t.includes(plain(n.detail))), n.detail);
      }
      const labels = steps.flatMap((n) => n.answers.map((a) => plain(a.label)));
      const answerBoxes = (await svg.locator('g.answer text').allTextContents()).map(plain);
      assert.deepEqual([...answerBoxes].sort(), [...labels].sort(), `${flow.id}: one box per answer`);
      assert.equal(await svg.locator('g.step').count(), steps.length, `${flow.id}: steps`);
      // An end is drawn for every answer that leads to it.
      const toEnds = steps.flatMap((n) => n.answers).filter((a) => ends.some((e) => e.id === a.next)).length;
      assert.equal(await svg.locator('g.end').count(), toEnds, `${flow.id}: ends`);
      // Every arrow has its head (a marker), and the lines are black, not colour-coded.
      const arrows = svg.locator('.arrows path');
      assert.equal(await arrows.count(), labels.length * 2, `${flow.id}: two arrows per answer`);
      assert.ok((await arrows.first().getAttribute('marker-end')).startsWith('url(#'));
    }
    // Numbers this device has no setting for are lines to write on.
    assert.equal(await page.getByRole('img', { name: 'nog in te vullen' }).count(), 2);
    assert.equal(await page.getByText(/Instellingen\)/).count(), 0);
  } finally {
    await context.close();
  }
});

test('the card prints on exactly one A4 page', async () => {
  const { context } = await launch();
  try {
    const page = await openCard(context);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    assert.equal(pages.length, 1, `${pages.length} pages`);
    const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
    assert.ok(box, 'a media box');
    // A4 is 595 x 842 points.
    assert.ok(Math.abs(Number(box[1]) - 595) < 2 && Math.abs(Number(box[2]) - 842) < 2, box[0]);
    // Both charts are printed (print styles must not hide them), each at least half as wide as
    // the page's content, so that its text stays readable.
    await page.emulateMedia({ media: 'print' });
    const widths = await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().width / document.documentElement.clientWidth));
    assert.equal(widths.length, CARD_FLOWS.length);
    for (const w of widths) assert.ok(w > 0.4, `a chart takes ${w} of the width`);
  } finally {
    await context.close();
  }
});
