// Drafts are never lost: not on reload, not when the browser process is killed, not with the
// same draft open in two tabs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, enrollPage, fillComplete, launch, newDraft, spawnChromium, startServer, tempDir, waitSaved } from './helpers.mjs';

// Dutch diacritics, typographic quotes, an emoji, HTML that must stay text, a line break.
const TYPED = 'Hij riep: “ik kom terug” — geïrriteerd, café 😡 <b>niet vet</b> & <script>x</script>\nTweede regel.';

let server;
before(async () => {
  server = await startServer();
});
after(async () => server?.stop());

test('every character survives a reload, and choices too', async () => {
  const { context } = await launch();
  try {
    const page = await context.newPage();
    const url = await newDraft(page, server.url);
    await page.getByLabel('Omschrijving').pressSequentially(TYPED, { delay: 5 });
    await page.getByLabel('Naam melder').pressSequentially('Ans de Vries');
    await page.getByRole('radio', { name: 'Huisbezoek' }).check();
    await page.getByRole('checkbox', { name: 'Bedreiging' }).check();
    // The weapon question appears for threats.
    await page.getByRole('radio', { name: 'Getoond' }).check();
    await waitSaved(page);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
    assert.equal(page.url(), url);
    assert.equal(await page.getByLabel('Omschrijving').inputValue(), TYPED);
    assert.equal(await page.getByLabel('Naam melder').inputValue(), 'Ans de Vries');
    assert.equal(await page.getByRole('radio', { name: 'Huisbezoek' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Bedreiging' }).isChecked(), true);
    assert.equal(await page.getByRole('radio', { name: 'Getoond' }).isChecked(), true);
  } finally {
    await context.close();
  }
});

test('every character survives a SIGKILL of the browser process right after it says saved', async () => {
  const profile = tempDir('kill-profile');
  try {
    let chrome = await spawnChromium({ profileDir: profile.dir });
    let page = await chrome.context.newPage();
    const url = await newDraft(page, server.url);
    await page.getByLabel('Omschrijving').pressSequentially(TYPED, { delay: 5 });
    await waitSaved(page);
    // No wait at all between "saved" and the kill.
    await chrome.kill();

    chrome = await spawnChromium({ profileDir: profile.dir });
    page = await chrome.context.newPage();
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
    assert.equal(await page.getByLabel('Omschrijving').inputValue(), TYPED);
    await chrome.kill();
  } finally {
    profile.remove();
  }
});

test('two tabs on one draft lose nothing', async () => {
  const { context } = await launch();
  try {
    const a = await context.newPage();
    const url = await newDraft(a, server.url);
    const b = await context.newPage();
    await b.goto(url);
    await b.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();

    await a.locator('#f-plaats').pressSequentially('Dorpsstraat 1');
    await waitSaved(a);
    await b.locator('#f-omschrijving').pressSequentially('Getypt in tab B');
    await waitSaved(b);
    // Interleaved edits on different fields.
    await a.locator('#f-melder_naam').pressSequentially('Ans');
    await b.locator('#f-melder_functie').pressSequentially('Woonconsulent');
    await waitSaved(a);
    await waitSaved(b);

    // Each tab has taken in the other's text, live.
    await a.waitForFunction(() => document.querySelector('#f-omschrijving').value === 'Getypt in tab B');
    await b.waitForFunction(() => document.querySelector('#f-plaats').value === 'Dorpsstraat 1');

    for (const page of [a, b]) {
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
      assert.equal(await page.locator('#f-plaats').inputValue(), 'Dorpsstraat 1');
      assert.equal(await page.locator('#f-omschrijving').inputValue(), 'Getypt in tab B');
      assert.equal(await page.locator('#f-melder_naam').inputValue(), 'Ans');
      assert.equal(await page.locator('#f-melder_functie').inputValue(), 'Woonconsulent');
    }
  } finally {
    await context.close();
  }
});

test('several drafts are listed, resumed, deleted with confirmation and restored with undo', async () => {
  const { context } = await launch();
  try {
    const page = await context.newPage();
    page.on('dialog', (d) => d.accept());
    for (const text of ['Eerste concept over een huurder', 'Tweede concept aan de balie']) {
      await newDraft(page, server.url);
      await page.getByLabel('Omschrijving').pressSequentially(text);
      await waitSaved(page);
    }
    await page.goto(new URL('/registraties', server.url).href);
    const rows = page.locator('.report-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).textContent(), /Tweede concept aan de balie/);

    await rows.nth(1).getByRole('button', { name: 'Verwijderen' }).click();
    await page.getByText('Concept verwijderd.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.report-row').length === 1);
    await page.getByRole('button', { name: 'Ongedaan maken' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.report-row').length === 2);

    await rows.filter({ hasText: 'Eerste concept' }).getByRole('link', { name: 'Verder' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
    assert.equal(await page.getByLabel('Omschrijving').inputValue(), 'Eerste concept over een huurder');
  } finally {
    await context.close();
  }
});

test('finalize: errors in Dutch with a linked summary, then read-only and finalized', async () => {
  const { context } = await launch({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    page.on('dialog', (d) => d.accept());
    await newDraft(page, server.url);
    await enrollPage(page, server); // it is sent once finalized
    await page.getByRole('button', { name: 'Afronden' }).click();
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    assert.match(await summary.locator('h2').textContent(), /Nog \d+ punten in te vullen/);
    await summary.getByRole('link', { name: /Naam melder: Vul dit in\./ }).click();
    assert.equal(new URL(page.url()).hash, '#f-melder_naam');

    await fillComplete(page);
    // A hospital admission makes the report one the labour inspectorate must hear of.
    await page.getByRole('radio', { name: 'Ziekenhuisopname' }).check();
    await page.getByText('Meldplicht: P&O meldt dit incident direct bij de Nederlandse Arbeidsinspectie.').waitFor();
    // The confirmation covered the content before this change: it is withdrawn, and given again.
    const confirm = page.getByRole('checkbox', { name: 'Ik bevestig dat deze registratie klopt' });
    assert.equal(await confirm.isChecked(), false, 'an edit after confirming withdraws the confirmation');
    await confirm.check();
    await waitSaved(page);
    await page.getByRole('button', { name: 'Afronden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
    // Leave at once, even mid-send: the reloaded app picks the sending up again.
    await page.goto(new URL('/registraties', server.url).href);
    const ready = page.locator('.report-row', { hasText: 'Ontvangen door de organisatie' });
    await ready.waitFor();
    await ready.getByRole('link').click();
    await page.getByText('Deze registratie is afgerond en kan niet meer worden gewijzigd.').waitFor();
    assert.equal(await page.locator('textarea, input[type=text]').count(), 0, 'read-only');
  } finally {
    await context.close();
  }
});

test('a report started from a flow carries its setting, time and steps', async () => {
  const { context } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(new URL('/protocol/telefoon', server.url).href);
    // A tap moves the screen once it is stored: each tap waits for the step it is meant for
    // (two steps share the label "Persoon blijft agressief").
    const phone = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8')).flows.find((f) => f.id === 'telefoon');
    let at = phone.start;
    for (const id of ['agressief', 'agressief', 'opgehangen', 'gemeld']) {
      const step = phone.nodes.find((n) => n.id === at);
      await page.getByRole('heading', { level: 2, name: step.text, exact: true }).waitFor();
      const answer = step.answers.find((a) => a.id === id);
      await page.getByRole('button', { name: answer.label, exact: true }).click();
      at = answer.next;
    }
    await page.getByRole('button', { name: 'Registreer dit incident' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
    assert.equal(await page.getByRole('radio', { name: 'Telefoon' }).isChecked(), true);
    assert.match(await page.getByLabel('Datum en tijd').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    const steps = await page.locator('.steps-taken li').allTextContents();
    assert.equal(steps.length, 5);
    assert.match(steps[0], /Telefonische agressie/);
    assert.match(steps[4], /Verder$/);
  } finally {
    await context.close();
  }
});

test('the answers given in a flow survive a SIGKILL of the browser process half a second later', async () => {
  const protocol = JSON.parse(readFileSync(join(ROOT, 'core/content/protocol.nl.json'), 'utf8'));
  const office = protocol.flows.find((f) => f.id === 'kantoor');
  const start = office.nodes.find((n) => n.id === office.start);
  const answer = start.answers.find((a) => !office.nodes.find((n) => n.id === a.next).end);
  const next = office.nodes.find((n) => n.id === answer.next);
  const profile = tempDir('kill-flow-profile');
  try {
    let chrome = await spawnChromium({ profileDir: profile.dir });
    let page = await chrome.context.newPage();
    await page.goto(new URL('/protocol/kantoor', server.url).href);
    await page.getByRole('button', { name: answer.label }).click();
    await page.getByText(next.text, { exact: true }).waitFor();
    // Well inside the seconds in which a killed Chromium loses localStorage writes.
    await page.waitForTimeout(500);
    await chrome.kill();

    chrome = await spawnChromium({ profileDir: profile.dir });
    page = await chrome.context.newPage();
    await page.goto(new URL('/protocol/kantoor', server.url).href);
    await page.getByText(next.text, { exact: true }).waitFor({ timeout: 10000 });
    await page.locator('details.runlog summary').click();
    const log = await page.locator('details.runlog li').allTextContents();
    assert.ok(log.some((line) => line.includes(answer.label)), log.join(' | '));
    await chrome.kill();
  } finally {
    profile.remove();
  }
});
