// The reference (/naslag): every step and end of every procedure with its answers and what
// follows, each with an id that search hits link to. Expectations come from the content file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch, startServer } from './helpers.mjs';

const protocol = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8'));
// core: texts::Place::anchor
const anchor = (flow, node) => `procedure-${flow.id}-${node.id}`;
const plain = (text) => text.replace(/\s+/g, ' ').trim();
const OWN = '(eigen tekst van de app, staat niet in het protocol)';

let server;
let context;
before(async () => {
  server = await startServer();
  ({ context } = await launch({ viewport: { width: 1280, height: 800 } }));
});
after(async () => {
  await context?.close();
  await server?.stop();
});

async function openReference() {
  const page = await context.newPage();
  await page.goto(new URL('/naslag', server.url).href);
  await page.getByRole('heading', { level: 1, name: 'Naslag' }).waitFor();
  return page;
}

test('every step and end of every procedure is shown with its answers, where they lead, and what follows', async () => {
  const page = await openReference();
  for (const flow of protocol.flows) {
    for (const n of flow.nodes) {
      const item = page.locator(`#${anchor(flow, n)}`);
      assert.equal(await item.count(), 1, anchor(flow, n));
      const text = plain(await item.textContent());
      for (const part of [n.text, n.detail, n.counter?.label, ...(n.actions ?? []).map((a) => a.text), ...(n.end?.then ?? [])]) {
        if (part) assert.ok(text.includes(plain(part)), `${anchor(flow, n)} lacks ${part}`);
      }
      const links = await item.locator('.ref-answers li').evaluateAll((lis) =>
        lis.map((li) => ({ text: li.textContent.replace(/\s+/g, ' '), href: li.querySelector('a').getAttribute('href') })),
      );
      assert.deepEqual(
        links.map((l) => l.href),
        (n.answers ?? []).map((a) => `#procedure-${flow.id}-${a.next}`),
      );
      (n.answers ?? []).forEach((a, i) => {
        assert.ok(links[i].text.includes(plain(a.label)), a.label);
        // Answers the app added say so; the protocol's own do not.
        assert.equal(links[i].text.includes(OWN), Boolean(a.own), `${a.label}: own wording note`);
      });
    }
    // The points to read before the steps (the home visit's) are there.
    for (const point of flow.intro) await page.locator(`#procedure-${flow.id}`).getByText(point).waitFor();
  }
  // The other places a search hit can name (core: texts::Place::anchor).
  for (const id of ['inleiding', 'algemeen', 'frustratie', 'instrumenteel', 'extreem', 'nazorg', 'sancties']) {
    assert.equal(await page.locator(`#${id}`).count(), 1, id);
  }
  await page.close();
});

/** The step furthest from the start (fewest answers needed to reach it, most of them). */
function deepestStep(flow) {
  const depth = new Map([[flow.start, 0]]);
  const queue = [flow.start];
  while (queue.length) {
    const id = queue.shift();
    for (const a of flow.nodes.find((n) => n.id === id).answers ?? []) {
      if (!depth.has(a.next)) {
        depth.set(a.next, depth.get(id) + 1);
        queue.push(a.next);
      }
    }
  }
  const steps = flow.nodes.filter((n) => !n.end);
  return steps.reduce((best, n) => (depth.get(n.id) > depth.get(best.id) ? n : best), steps[0]);
}

test('a search hit in a step deep in a procedure opens that step', async () => {
  const page = await openReference();
  const flow = protocol.flows.find((f) => f.id === 'kantoor');
  const step = deepestStep(flow);
  assert.ok(flow.nodes.indexOf(step) > 1, 'the step is not near the top');
  const word = step.text.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a));
  await page.getByLabel('Zoeken in het protocol').fill(word);
  const hit = page.locator(`.results a[href="#${anchor(flow, step)}"]`).first();
  await hit.waitFor();
  await hit.click();
  await page.waitForFunction((id) => document.querySelector(':target')?.id === id, anchor(flow, step));
  const { top, bottom, height } = await page.locator(`#${anchor(flow, step)}`).evaluate((el) => ({
    ...el.getBoundingClientRect().toJSON(),
    height: window.innerHeight,
  }));
  assert.ok(top >= 0 && bottom <= height, `the step is at ${top}..${bottom} in a ${height}px window`);
  assert.equal(plain(await page.locator(':target > strong').textContent()), plain(step.text));
  await page.close();
});
