// The protocol with the network off: every flow walked to every end state, the count of
// requests to leave, the run log across a reload, search, the general points.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch, startServer, tempDir, waitForServiceWorker } from './helpers.mjs';

const protocol = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8'));

/** Shortest path (list of answers) from the start to every end node of a flow. */
function pathsToEnds(flow) {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const paths = new Map([[flow.start, []]]);
  const queue = [flow.start];
  while (queue.length) {
    const id = queue.shift();
    for (const answer of byId.get(id).answers ?? []) {
      if (!paths.has(answer.next)) {
        paths.set(answer.next, [...paths.get(id), { node: byId.get(id), answer }]);
        queue.push(answer.next);
      }
    }
  }
  return flow.nodes.filter((n) => n.end).map((end) => ({ end, steps: paths.get(end.id) }));
}

let server;
let profile;
let context;
let page;
before(async () => {
  server = await startServer();
  profile = tempDir('protocol-profile');
  ({ context } = await launch({ profileDir: profile.dir }));
  page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await context.setOffline(true);
});
after(async () => {
  await context?.close();
  await server?.stop();
  profile?.remove();
});

const flowButton = { kantoor: 'Op kantoor', woning: 'Huisbezoek', telefoon: 'Telefoon' };

async function openFlowFromHome(flowId) {
  await page.goto(server.url);
  await page.getByRole('link', { name: flowButton[flowId], exact: true }).click();
  const flow = protocol.flows.find((f) => f.id === flowId);
  await page.getByRole('heading', { level: 1, name: flow.title }).waitFor();
}

for (const flow of protocol.flows) {
  for (const { end, steps } of pathsToEnds(flow)) {
    test(`${flow.id}: walked offline to "${end.text}"`, async () => {
      assert.ok(steps, `end ${end.id} is reachable`);
      await openFlowFromHome(flow.id);
      for (const { node, answer } of steps) {
        await page.getByRole('heading', { level: 2, name: node.text, exact: true }).waitFor();
        // No tally is made on the way: no step waits for the counter.
        await page.getByRole('button', { name: answer.label, exact: true }).click();
      }
      await page.locator('h2.end-text', { hasText: end.text }).waitFor();
      if (end.end.police) await page.getByText('Politie ingeschakeld').waitFor();
      // The log records every answer given, in order.
      await page.locator('details.runlog summary').click();
      const log = await page.locator('details.runlog li').allTextContents();
      const answered = log.slice(1).map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''));
      assert.deepEqual(answered, steps.map(({ answer }) => answer.label));
    });
  }
}

test('kantoor: the requests to leave count to three with their times, gate nothing, and after the third say the police may be called', async () => {
  await openFlowFromHome('kantoor');
  for (const label of ['Persoon blijft agressief of het wordt erger', 'Persoon blijft agressief', 'Persoon gaat niet weg en blijft agressief']) {
    await page.getByRole('button', { name: label, exact: true }).click();
  }
  await page.getByRole('heading', { name: 'Persoon wordt verzocht pand te verlaten (zo nodig 3x)' }).waitFor();
  const onward = page.getByRole('button', { name: 'Persoon geeft geen gehoor, gaat niet weg' });
  const count = page.locator('button.btn-count');
  const reached = page.locator('.counter-reached');
  const office = protocol.flows.find((f) => f.id === 'kantoor');
  const reachedText = office.nodes.find((n) => n.counter).counter.reached;
  for (let n = 1; n <= 3; n++) {
    assert.equal(await onward.isDisabled(), false, `fetching the manager is open before request ${n}`);
    assert.equal(await reached.count(), 0, 'nothing said about the police before the third request');
    await count.click();
    await page.locator('.counter-status', { hasText: n === 1 ? '1 verzoek gedaan' : `${n} verzoeken gedaan` }).waitFor();
  }
  const times = await page.locator('.counter-times li').allTextContents();
  assert.equal(times.length, 3);
  times.forEach((t, i) => assert.match(t, new RegExp(`^${i + 1}e verzoek · \\d\\d:\\d\\d:\\d\\d$`)));
  assert.equal(await count.isDisabled(), true, 'no fourth request');
  assert.equal((await reached.textContent()).trim(), reachedText);

  // Back takes the third request away again; a reload at once keeps what the screen showed
  // (the screen shows a tap only once it is stored).
  await page.getByRole('button', { name: 'Terug' }).click();
  await page.locator('.counter-status', { hasText: '2 verzoeken gedaan' }).waitFor();
  await page.reload();
  await page.locator('.counter-status', { hasText: '2 verzoeken gedaan' }).waitFor();
  assert.equal(await reached.count(), 0);
  await page.locator('details.runlog summary').click();
  const log = await page.locator('details.runlog li').allTextContents();
  assert.equal(log.filter((l) => l.includes('Verzoek om het pand te verlaten')).length, 3);
  assert.equal(log.filter((l) => l.includes('Terug naar de vorige stap')).length, 1);

  // Start again, so later tests begin fresh.
  await page.getByRole('button', { name: 'Opnieuw beginnen' }).click();
  await page.getByRole('heading', { level: 2, name: 'Probeer de persoon rustig te krijgen m.b.t. vaardigheden' }).waitFor();
});

test('the seven general points are one tap away during a flow', async () => {
  await openFlowFromHome('telefoon');
  await page.getByRole('button', { name: 'Algemene aandachtspunten' }).click();
  const items = await page.locator('#general-points li').allTextContents();
  assert.deepEqual(items, protocol.general_points.items);
});

test('the matching guidance is at hand at a step', async () => {
  await openFlowFromHome('woning');
  await page.getByRole('button', { name: /instrumenteel/i }).click();
  const kind = protocol.kinds.find((k) => k.id === 'instrumenteel');
  await page.getByRole('heading', { name: kind.title }).waitFor();
  const items = await page.locator('.guidance li').allTextContents();
  assert.deepEqual(items, kind.responses);
});

test('search works offline and ignores case and diacritics', async () => {
  await page.goto(new URL('/naslag', server.url).href);
  await page.getByLabel('Zoeken in het protocol').fill('beeindig');
  await page.getByText(/\d+ resultaten/).waitFor();
  const hits = await page.locator('.results li p').allTextContents();
  assert.ok(hits.includes('Beëindig het gesprek'), hits.join(' | '));
  assert.ok(hits.every((h) => /beëindig/i.test(h)), hits.join(' | '));
  await page.getByLabel('Zoeken in het protocol').fill('zebrapad');
  await page.getByText('Niets gevonden.').waitFor();
});

test('English is a switch away and the protocol says it is a translation', async () => {
  await page.goto(new URL('/naslag', server.url).href);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reference' }).waitFor();
  await page.getByText(/English translation of the Dutch aggression protocol/).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Reference' }).waitFor();
  // The translation is fetched on demand (not in the first load) and, offline, comes from the
  // service worker's cache: a flow in English after a reload without network.
  const english = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.en.json'), 'utf8'));
  const office = english.flows.find((f) => f.id === 'kantoor');
  await page.goto(new URL('/protocol/kantoor', server.url).href);
  await page.getByText(office.nodes.find((n) => n.id === office.start).text, { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Naar Nederlands' }).click();
  const kantoor = protocol.flows.find((f) => f.id === 'kantoor');
  await page.getByText(kantoor.nodes.find((n) => n.id === kantoor.start).text, { exact: true }).waitFor();
});

test('when the English text cannot be loaded, the protocol stays in Dutch and says so; a later try loads it', async () => {
  // No service worker: it would answer from its cache, past the failing route.
  const { context: own } = await launch({ serviceWorkers: 'block' });
  try {
    const tab = await own.newPage();
    await tab.route('**/protocol.en.json', (route) => route.fulfill({ status: 500, body: 'kapot' }));
    const office = (json) => json.flows.find((f) => f.id === 'kantoor');
    const startText = (json) => office(json).nodes.find((n) => n.id === office(json).start).text;
    const english = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.en.json'), 'utf8'));
    await tab.goto(new URL('/protocol/kantoor', server.url).href);
    await tab.getByRole('button', { name: 'Switch to English' }).click();
    await tab.getByText('The English translation of the protocol could not be loaded.', { exact: false }).waitFor();
    await tab.getByText(startText(protocol), { exact: true }).waitFor();

    await tab.unroute('**/protocol.en.json');
    await tab.getByRole('button', { name: 'Naar Nederlands' }).click();
    await tab.getByRole('button', { name: 'Switch to English' }).click();
    await tab.getByText(startText(english), { exact: true }).waitFor();
  } finally {
    await own.close();
  }
});
