// The protocol as the organisation means it: the silent alarm, the home visit's closing
// actions ticked one by one, the police's non-emergency number, the guidance carried into the
// report, the phone flow's warning for colleagues, and one extreme checklist per incident,
// registered into a report. Each check reads what is stored in IndexedDB, not only the screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, idbValues, launch, startServer } from './helpers.mjs';

const protocol = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8'));
const flow = (id) => protocol.flows.find((f) => f.id === id);
const node = (flowId, id) => flow(flowId).nodes.find((n) => n.id === id);

let server;
let context;
let page;
before(async () => {
  server = await startServer();
  ({ context } = await launch());
  page = await context.newPage();
  page.on('dialog', (d) => d.accept());
});
after(async () => {
  await context?.close();
  await server?.stop();
});

async function walk(flowId, answers) {
  await page.goto(new URL(`/protocol/${flowId}`, server.url).href);
  await page.getByRole('heading', { level: 1, name: flow(flowId).title }).waitFor();
  let at = flow(flowId).start;
  for (const id of answers) {
    const step = node(flowId, at);
    await page.getByRole('heading', { level: 2, name: step.text, exact: true }).waitFor();
    const answer = step.answers.find((a) => a.id === id);
    await page.getByRole('button', { name: answer.label, exact: true }).click();
    at = answer.next;
  }
  return node(flowId, at);
}

/** The stored run of a flow that is still open or ended last. */
async function latestRun(flowId) {
  const runs = (await idbValues(page, 'runs')).map((e) => e.data).filter((r) => r.flow === flowId);
  return runs.sort((a, b) => a.started_at.localeCompare(b.started_at)).at(-1);
}

/** Registers the incident from the end screen; returns the stored draft. */
async function register() {
  await page.getByRole('button', { name: 'Registreer dit incident' }).click();
  return registered();
}

/** The draft the page just opened, as stored. */
async function registered() {
  await page.waitForURL(/\/registraties\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').at(-1);
  const [stored] = await idbValues(page, 'reports', id);
  return stored.data;
}

/** Starts the flow on the page again and waits until the fresh run is stored and shown. */
async function restart(flowId) {
  await page.getByRole('button', { name: 'Opnieuw beginnen' }).click();
  await page.getByRole('heading', { level: 2, name: node(flowId, flow(flowId).start).text, exact: true }).waitFor();
}

test('office: the silent alarm pressed at the desk leads to its police box and is recorded with its time', async () => {
  const end = await walk('kantoor', ['agressief', 'agressief', 'blijft', 'stil_alarm']);
  assert.equal(end.text, 'Politie wordt ingeschakeld door stil alarm of door leidinggevende');
  await page.locator('h2.end-text', { hasText: end.text }).waitFor();
  await page.getByText('Politie ingeschakeld').waitFor();
  const run = await latestRun('kantoor');
  const alarm = run.events.find((e) => e.answer === 'stil_alarm');
  assert.ok(alarm && !Number.isNaN(Date.parse(alarm.at)), JSON.stringify(run.events));
  const report = await register();
  assert.equal(report.values.politie, 'gebeld');
  assert.equal(report.flow_run.id, run.id);
});

test("office: fetching the manager, then the manager's police box", async () => {
  const end = await walk('kantoor', ['agressief', 'agressief', 'blijft', 'geen_gehoor', 'geen_gehoor']);
  await page.locator('h2.end-text', { hasText: end.text }).waitFor();
  for (const then of end.end.then) await page.locator('.end li', { hasText: then }).first().waitFor();
  await page.getByText('Ieder voorval registreren').waitFor();
});

test('a calm end offers to register but leaves the decision to the manager', async () => {
  const end = await walk('telefoon', ['rustiger']);
  await page.locator('h2.end-text', { hasText: end.text }).waitFor();
  await page.getByRole('button', { name: 'Registreer dit incident' }).waitFor();
  await page.getByText('samen met je leidinggevende').waitFor();
  assert.equal(await page.getByText('Ieder voorval registreren').count(), 0);
});

test('home visit: the closing actions are ticked one by one with their times; the police has its non-emergency number beside 112', async () => {
  const step = await walk('woning', ['agressief', 'agressief']);
  await page.getByRole('heading', { level: 2, name: step.text }).waitFor();
  const police = page.locator('.action', { hasText: 'Bel indien nodig de politie' });
  assert.equal(await police.locator('a[href="tel:112"]').count(), 1);
  assert.equal(await police.locator('a[href="tel:09008844"]').count(), 1);
  await police.getByText('Geen spoed?').waitFor();
  const left = step.actions.find((a) => a.tick === 'verlaten');
  const colleague = step.actions.find((a) => a.tick === 'collega');
  await page.getByRole('checkbox', { name: left.text }).check();
  await page.getByRole('checkbox', { name: colleague.text }).check();
  await page.locator('.action-tick', { hasText: colleague.text }).locator('.done-at').waitFor();
  const ticks = (await latestRun('woning')).events.filter((e) => e.event === 'ticked').map((e) => e.action);
  assert.deepEqual(ticks, ['verlaten', 'collega'], 'two ticks stored, each on its own; the police call not ticked');
  await page.reload();
  assert.equal(await page.getByRole('checkbox', { name: left.text }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: step.actions.find((a) => a.tick === 'politie').text }).isChecked(), false);
  await page.locator('details.runlog summary').click();
  const log = await page.locator('details.runlog li').allTextContents();
  assert.equal(log.filter((l) => l.includes('✓')).length, 2, log.join(' | '));
  await restart('woning');
});

test('the guidance chosen during a flow becomes the nature of the aggression in the report', async () => {
  await walk('woning', ['agressief']);
  await page.getByRole('button', { name: /instrumenteel/i }).click();
  await page.getByRole('heading', { name: protocol.kinds.find((k) => k.id === 'instrumenteel').title }).waitFor();
  await page.getByRole('button', { name: 'Persoon past gedrag aan', exact: true }).click();
  await page.locator('h2.end-text').waitFor();
  const report = await register();
  assert.equal(report.values.aard, 'instrumenteel');
  assert.equal(report.values.situatie, 'huisbezoek');
});

test('phone: the end says the report is a warning for colleagues, and the report made from it is one', async () => {
  const end = await walk('telefoon', ['agressief', 'agressief', 'opgehangen', 'gemeld']);
  await page.locator('h2.end-text', { hasText: end.text }).waitFor();
  await page.getByText('Waarschuwing voor collega’s’ al aan').waitFor();
  const report = await register();
  assert.equal(report.values.waarschuwing, 'ja');
});

test('extreme: a checklist belongs to one incident and is registered into a report with its ticks', async () => {
  await page.goto(new URL('/extreem', server.url).href);
  await page.getByRole('heading', { level: 1, name: protocol.extreme.title }).waitFor();
  await page.getByRole('button', { name: 'Gijzeling' }).click();
  await page.getByRole('button', { name: 'Gijzeling', pressed: true }).waitFor();
  await page.getByRole('checkbox', { name: '112 gebeld' }).check();
  await page.getByRole('checkbox', { name: protocol.extreme.during[2] }).check();
  await page.locator('.check', { hasText: protocol.extreme.during[2] }).locator('.done-at').waitFor();
  const report = await register();
  assert.deepEqual(report.values.extreem, ['gijzeling']);
  assert.equal(report.values.politie, 'gebeld');
  const ticked = report.checklist.events.filter((e) => e.done).map((e) => e.item);
  assert.deepEqual(ticked, ['politie.112', 'during.2']);
  // The report shows the ticks with their times.
  const steps = await page.locator('.steps-taken li').allTextContents();
  assert.ok(steps.some((s) => s.includes(protocol.extreme.during[2])), steps.join(' | '));

  // Back on the page: a fresh checklist; the registered incident stays in the list.
  await page.goto(new URL('/extreem', server.url).href);
  await page.getByRole('heading', { level: 2, name: 'Eerdere incidenten op dit apparaat' }).waitFor();
  assert.equal(await page.getByRole('checkbox', { name: '112 gebeld' }).isChecked(), false);
  assert.equal(await page.getByRole('button', { name: 'Gijzeling', pressed: true }).count(), 0);
  await page.locator('.earlier li', { hasText: '2 punten afgevinkt' }).getByRole('link').waitFor();
  const stored = (await idbValues(page, 'checklists')).map((e) => e.data);
  assert.equal(stored.filter((c) => c.report === report.id).length, 1);

  // A second incident left behind by "Nieuw incident" is not opened again as if it were going
  // on: it waits in the list, where it can still be registered.
  await page.getByRole('checkbox', { name: protocol.extreme.during[0] }).check();
  await page.locator('.check', { hasText: protocol.extreme.during[0] }).locator('.done-at').waitFor();
  await page.getByRole('button', { name: 'Nieuw incident' }).click();
  await page.locator('.earlier li', { hasText: '1 punt afgevinkt' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Eerdere incidenten op dit apparaat' }).waitFor();
  assert.equal(await page.getByRole('checkbox', { name: protocol.extreme.during[0] }).isChecked(), false);
  await page.locator('.earlier li', { hasText: '1 punt afgevinkt' }).getByRole('button', { name: 'Registreer dit incident' }).click();
  const second = await registered();
  assert.deepEqual(second.checklist.events.filter((e) => e.done).map((e) => e.item), ['during.0']);
});
