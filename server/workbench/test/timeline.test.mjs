import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, settled } from "./workbench.mjs";

const day = 24 * 60 * 60 * 1000;

/** The period a time of a precision stands for, [from, to) in milliseconds, as the API reads it. */
function period(time, precision) {
  const t = new Date(time);
  const [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
  if (precision === "YEAR") return { from: Date.UTC(y, 0, 1), to: Date.UTC(y + 1, 0, 1) };
  if (precision === "MONTH") return { from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1) };
  return { from: Date.UTC(y, m, d), to: Date.UTC(y, m, d + 1) };
}

const overlaps = (a, b) => a.from < b.to && b.from < a.to;

/**
 * What the canvas should grey for a window, from the API's answers: a relation by its
 * valid time, else by the spans of its dated event ends, else kept; an event dated
 * outside the window.
 */
async function expectedOutside(page, events, window) {
  const spans = new Map(
    events.filter((e) => e.start).map((e) => [e.id, { from: period(e.start, e.precision).from, to: period(e.end ?? e.start, e.precision).to }]),
  );
  const { nodes, edges } = await drawn(page);
  const entities = nodes.filter((id) => spans.has(id) && !overlaps(spans.get(id), window));
  const relations = [];
  for (const id of edges) {
    const { relation } = await query(`query($id: ID!) { relation(id: $id) { validFrom validTo from { id } to { id } } }`, { id });
    const ends = [spans.get(relation.from.id), spans.get(relation.to.id)].filter(Boolean);
    const inside =
      relation.validFrom || relation.validTo
        ? overlaps({ from: relation.validFrom ? Date.parse(relation.validFrom) : -Infinity, to: relation.validTo ? Date.parse(relation.validTo) : Infinity }, window)
        : ends.length === 0 || ends.some((s) => overlaps(s, window));
    if (!inside) relations.push(id);
  }
  return { entities: entities.toSorted(), relations: relations.toSorted() };
}

/** The event the focus is on, by its data-event; null when it is on something else. */
const focusedEvent = (page) => page.evaluate(() => document.activeElement?.closest("[data-event]")?.getAttribute("data-event") ?? null);

/** The events the focus goes through from the one it is on, pressing Down n - 1 times. */
async function arrowThrough(page, n) {
  const ids = [await focusedEvent(page)];
  for (let i = 1; i < n; i++) {
    await page.keyboard.press("ArrowDown");
    ids.push(await focusedEvent(page));
  }
  return ids;
}

/** Moves the focus within a group of events from its first to the index-th. */
async function arrowTo(page, index) {
  await page.keyboard.press("Home");
  for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
}

/** Waits until an event is selected and asserts that it is on the canvas: what picking an event does. */
async function assertPicked(page, id) {
  await page.waitForFunction((id) => window.__eventgraph.selection().entity === id, id);
  assert.ok((await drawn(page)).nodes.includes(id), `${id} is on the canvas`);
}

async function outside(page) {
  const o = await page.evaluate(() => window.__eventgraph.outsideWindow());
  return { entities: o.entities.toSorted(), relations: o.relations.toSorted() };
}

/** The window the date inputs show, as the API would read those days. */
async function shownWindow(view) {
  await view.getByText(/^From \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d:/).waitFor();
  const first = await view.getByLabel("Window from").inputValue();
  const last = await view.getByLabel("to (inclusive)").inputValue();
  return { first, last, window: { from: Date.parse(first), to: Date.parse(last) + day } };
}

test("the timeline orders events as the API does, lists undated ones apart, and brushing a window greys the canvas", async (t) => {
  // Events of a year and of a span of days around the seed's June war (known to the
  // month), and a relation of the war whose valid time is later in June than the days
  // the second window covers.
  const quote = "The BBC reported on the war in the second half of June";
  await query(
    `mutation($text: String!, $quote: String!) {
      year: upsertEvent(input: { id: "timeline-test-year", name: "Timeline test: a year's sanctions", kind: OTHER, start: "2024" }) { id }
      days: upsertEvent(input: { id: "timeline-test-days", name: "Timeline test: twelve days of strikes", kind: MILITARY_STRIKE, start: "2025-06-13", end: "2025-06-24" }) { id }
      upsertSource(input: { id: "timeline-test-source", title: "A timeline test report", text: $text }) { id }
      addRelation(input: { type: REPORTED_BY, from: "june-war", to: "bbc", validFrom: "2025-06-20", validTo: "2025-07-01",
        evidence: [{ source: "timeline-test-source", quote: $quote, confidence: 0.8 }] }) { id }
    }`,
    { text: `${quote}, a report says.`, quote },
  );
  const { timeline } = await query(`{ timeline(first: 500) { totalCount nodes { id name start end precision when } } }`);
  const events = timeline.nodes;
  assert.equal(timeline.totalCount, events.length, "one page holds every event");
  const dated = events.filter((e) => e.start);
  const undated = events.filter((e) => !e.start);
  const index = (id) => events.findIndex((e) => e.id === id);
  assert.ok(index("june-war") >= 0 && index("june-war") < index("muscat-talks"), "the API puts the June war before the Muscat talks");
  assert.ok(undated.length > 0, "the seed has undated events");

  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByRole("button", { name: "Timeline" }).click();
  const view = page.getByRole("region", { name: "Timeline" });
  await view.getByRole("heading", { name: `Undated (${undated.length})` }).waitFor();

  // The lists: the dated in the API's order, each with its date to its precision; the undated apart, in the API's order.
  const datedList = view.getByRole("list", { name: `In time order (${dated.length})` });
  const undatedList = view.getByRole("list", { name: `Undated (${undated.length})` });
  const ids = (list) => list.locator("button[data-event]").evaluateAll((bs) => bs.map((b) => b.dataset.event));
  assert.deepEqual(await ids(datedList), dated.map((e) => e.id));
  assert.deepEqual(await ids(undatedList), undated.map((e) => e.id));
  for (const e of dated) {
    const text = await datedList.locator(`button[data-event="${e.id}"]`).innerText();
    assert.ok(text.startsWith(`${e.when}`) && text.includes(`(${e.precision.toLowerCase()})`), `${e.id} shows its date to its precision: ${text}`);
  }
  for (const e of undated) assert.equal(await view.locator(`.timeline-svg [data-event="${e.id}"]`).count(), 0, `${e.id} is not placed on the chart`);

  // Positions: the June war is above the Muscat talks, and the chart's bars run in time.
  const box = (locator) => locator.boundingBox();
  const war = await box(datedList.locator('button[data-event="june-war"]'));
  const muscat = await box(undatedList.locator('button[data-event="muscat-talks"]'));
  assert.ok(war.y < muscat.y, "the June war shows before the Muscat talks");
  const bar = (id) => box(view.locator(`.timeline-svg [data-event="${id}"] rect`));
  let [year, month, days] = [await bar("timeline-test-year"), await bar("june-war"), await bar("timeline-test-days")];
  assert.ok(year.x + year.width <= month.x && month.x < days.x && days.x + days.width <= month.x + month.width + 1, "bars stand where their periods are");
  assert.ok(year.width > month.width && month.width > days.width, "a year's bar is longer than a month's, a month's than twelve days'");

  // Picking on the chart puts the event on the canvas and selects it.
  await page.mouse.click(month.x + month.width / 2, month.y + month.height / 2);
  await page.getByRole("heading", { name: "June War (2025)", level: 2 }).waitFor();
  await assertPicked(page, "june-war");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);

  // The keyboard: Tab enters the chart once, at the bar last clicked; Home goes to the
  // first, labelled with the event's name, date and precision; Down goes through the bars
  // in the API's order, and Tab leaves for the window's first day.
  await view.getByRole("button", { name: "Close the timeline (Escape)" }).focus();
  await page.keyboard.press("Tab");
  assert.equal(await focusedEvent(page), "june-war", "Tab reaches the chart at the bar clicked");
  await page.keyboard.press("Home");
  const first = dated[0];
  assert.equal(await focusedEvent(page), first.id, "Home goes to the first bar");
  const firstBar = view.locator(".timeline-svg").getByRole("button", { name: `${first.when} (${first.precision.toLowerCase()}) ${first.name}`, exact: true });
  assert.equal(await firstBar.evaluate((bar) => bar === document.activeElement), true, "the bar is named by its event's date, precision and name");
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement.querySelector("rect")).stroke), "rgb(0, 95, 204)", "the focused bar is outlined");
  assert.deepEqual(await arrowThrough(page, dated.length), dated.map((e) => e.id), "Down goes through the bars in the API's order");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focusedEvent(page), dated.at(-1).id, "the last bar is the last");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "timeline-first", "the chart is one stop of Tab");
  // Enter on a bar does what a click does; coming back, Tab finds the bar left.
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focusedEvent(page), dated.at(-1).id, "Tab comes back to the bar last focused");
  const strikes = dated.findIndex((e) => e.id === "timeline-test-days");
  await arrowTo(page, strikes);
  assert.equal(await focusedEvent(page), "timeline-test-days");
  await page.keyboard.press("Enter");
  await assertPicked(page, "timeline-test-days");
  assert.equal(await view.locator('.timeline-svg [data-event="timeline-test-days"]').getAttribute("aria-current"), "true");

  // The lists are one stop of Tab too, after the window's days: Down goes through every
  // event, the undated after the dated, in the API's order.
  await view.getByLabel("to (inclusive)").focus();
  for (let i = 0; i < 10 && !(await focusedEvent(page)); i++) await page.keyboard.press("Tab");
  assert.equal(await focusedEvent(page), events[0].id, "Tab reaches the lists' first event");
  assert.equal(await page.evaluate(() => document.activeElement.closest(".timeline-lists") !== null), true);
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "solid", "the focused event is outlined");
  assert.deepEqual(await arrowThrough(page, events.length), events.map((e) => e.id), "Down goes through the lists in the API's order");
  await page.keyboard.press("Tab");
  assert.equal(await focusedEvent(page), null, "the lists are one stop of Tab");
  await page.keyboard.press("Shift+Tab");
  await arrowTo(page, index("muscat-talks"));
  assert.equal(await focusedEvent(page), "muscat-talks");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "US-Iran talks in Muscat", level: 2 }).waitFor();
  await assertPicked(page, "muscat-talks");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  assert.deepEqual(await outside(page), { entities: [], relations: [] }, "nothing is greyed before a window is brushed");

  // Dragging across the year's bar: the June war and what goes by it are greyed. Picking
  // from the undated list scrolled the view: the bar is measured again.
  await view.locator(".timeline-svg").scrollIntoViewIfNeeded();
  year = await bar("timeline-test-year");
  await page.mouse.move(year.x + 2, year.y + year.height / 2);
  await page.mouse.down();
  await page.mouse.move(year.x + year.width / 2, year.y + year.height / 2, { steps: 4 });
  await page.mouse.move(year.x + year.width - 2, year.y + year.height / 2, { steps: 4 });
  await page.mouse.up();
  const dragged = await shownWindow(view);
  assert.match(dragged.first, /^2024-/);
  assert.match(dragged.last, /^2024-/);
  let expected = await expectedOutside(page, events, dragged.window);
  assert.ok(expected.entities.includes("june-war") && expected.relations.length > 0, "the window leaves the June war out");
  assert.ok(expected.relations.length < (await drawn(page)).edges.length, "relations without a time stay");
  assert.deepEqual(await outside(page), expected);
  await view.getByText(`From ${dragged.first} to ${dragged.last}:`).waitFor();
  await wb.checkView("timeline");

  // The same window given as its days greys the same.
  await view.getByRole("button", { name: "Clear window" }).click();
  await view.getByLabel("Window from").fill(dragged.first);
  await view.getByLabel("to (inclusive)").fill(dragged.last);
  assert.deepEqual((await shownWindow(view)).window, dragged.window);
  assert.deepEqual(await outside(page), expected, "the days typed grey what the drag did");

  // The keyboard's way: a window in June before the report's valid time. The relation
  // goes by its valid time, not by the war it touches.
  await view.getByLabel("Window from").fill("2025-06-01");
  await view.getByLabel("to (inclusive)").fill("2025-06-10");
  const typed = await shownWindow(view);
  assert.deepEqual([typed.first, typed.last], ["2025-06-01", "2025-06-10"]);
  expected = await expectedOutside(page, events, typed.window);
  const { relation: reported } = await query(`{ node(id: "june-war") { ... on Event { relations(types: [REPORTED_BY]) { nodes { id validFrom } } } } }`).then((d) => ({
    relation: d.node.relations.nodes.find((r) => r.validFrom),
  }));
  assert.ok(expected.relations.includes(reported.id) && !expected.entities.includes("june-war"), "the report is out, the war in");
  assert.deepEqual(await outside(page), expected);

  await view.getByRole("button", { name: "Clear window" }).click();
  assert.deepEqual(await outside(page), { entities: [], relations: [] }, "clearing the window greys nothing");

  await view.getByLabel("Window from").focus();
  await page.keyboard.press("Escape");
  await view.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.id), "view-button-timeline", "the focus goes back to the view's button");
  wb.assertClean();
});
