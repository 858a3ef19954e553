import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

test("a relation added by another client at an expanded entity appears without reload; retracted, it goes", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.waitForFunction(() => window.__eventgraph.live() === "live");
  await page.getByText("Showing now, live").waitFor();
  const before = (await drawn(page)).edges;
  // Nothing tells when the canvas has loaded: a reload would lose the expansion, so its
  // absence shows as the canvas still holding what it drew.
  await page.evaluate(() => (window.__notReloaded = true));

  const { addRelation } = await query(`mutation {
    upsertSource(input: { id: "live-note", title: "A live note", text: "Araghchi is allied with Steve Witkoff, the note says." }) { id }
    addRelation(input: { type: ALLIED_WITH, from: "araghchi", to: "witkoff", evidence: [{ source: "live-note", quote: "Araghchi is allied with Steve Witkoff", confidence: 0.5 }] }) { id to { name } }
  }`);
  const start = Date.now();
  await page.waitForFunction((id) => window.__eventgraph.edges().includes(id), addRelation.id, { timeout: 5000 });
  console.log(`the new relation was drawn ${Date.now() - start} ms after the mutation answered`);
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
  const { neighbourhood } = await query(`{ neighbourhood(id: "araghchi", limit: 150) { relations { id } nodes { id } } }`);
  assert.deepEqual((await drawn(page)).edges.toSorted(), neighbourhood.relations.map((r) => r.id).toSorted(), "the canvas holds his neighbourhood as the API answers it now");
  assert.deepEqual((await drawn(page)).edges.toSorted(), [...before, addRelation.id].toSorted());
  await page.locator(`button[data-relation="${addRelation.id}"]`).waitFor();
  await wb.checkView("live");

  await query(`mutation($id: ID!) { retract(id: $id, reason: "a test of the live canvas") { id } }`, { id: addRelation.id });
  await page.waitForFunction((id) => !window.__eventgraph.edges().includes(id), addRelation.id, { timeout: 5000 });
  assert.deepEqual((await drawn(page)).edges.toSorted(), before.toSorted());
  wb.assertClean();
});

test("when the socket drops the workbench reconnects, and draws what was added meanwhile", async (t) => {
  const sockets = [];
  const wb = await openWorkbench(t, { webSockets: (ws) => sockets.push(ws) });
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.waitForFunction(() => window.__eventgraph.live() === "live");
  assert.equal(sockets.length, 1);

  await sockets[0].close();
  const dropped = Date.now();
  await page.waitForFunction(() => window.__eventgraph.live() === "reconnecting");
  await page.getByText("Showing now, reconnecting…").waitFor();
  // Added while no socket is open: no change message can bring it.
  const { addRelation } = await query(`mutation {
    upsertSource(input: { id: "live-missed-note", title: "A note written while the socket was down", text: "Araghchi is allied with Jared Kushner, the note says." }) { id }
    addRelation(input: { type: ALLIED_WITH, from: "araghchi", to: "kushner", evidence: [{ source: "live-missed-note", quote: "Araghchi is allied with Jared Kushner", confidence: 0.5 }] }) { id }
  }`);
  await page.waitForFunction(() => window.__eventgraph.live() === "live", null, { timeout: 10000 });
  console.log(`reconnected ${Date.now() - dropped} ms after the socket dropped`);
  assert.equal(sockets.length, 2, "a new socket was opened");
  await page.waitForFunction((id) => window.__eventgraph.edges().includes(id), addRelation.id, { timeout: 5000 });
  await settled(page);
  const { neighbourhood } = await query(`{ neighbourhood(id: "araghchi", limit: 150) { relations { id } } }`);
  assert.deepEqual((await drawn(page)).edges.toSorted(), neighbourhood.relations.map((r) => r.id).toSorted());
  await query(`mutation($id: ID!) { retract(id: $id, reason: "a test of the live canvas") { id } }`, { id: addRelation.id });
  await page.waitForFunction((id) => !window.__eventgraph.edges().includes(id), addRelation.id, { timeout: 5000 });
  wb.assertClean();
});

/** Counts the page's requests asking the API's operation named operation, from now on. */
function countRequests(page, operation) {
  const counted = { n: 0 };
  page.on("request", (r) => {
    if (r.url().endsWith("/graphql") && r.postData()?.includes(`query ${operation}(`)) counted.n++;
  });
  return counted;
}

/** Records, from now on, whether the open view ever shows "Loading…" (it must keep what it shows while asking again). */
async function watchForLoading(page) {
  await page.evaluate(() => {
    window.__loadingShown = false;
    new MutationObserver(() => {
      if (document.querySelector("section.view")?.textContent.includes("Loading…")) window.__loadingShown = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

test("the open timeline follows events added by another client, once for a burst, and not while closed", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByRole("button", { name: "Timeline" }).click();
  await page.locator(".timeline-events").first().waitFor();
  await page.waitForFunction(() => window.__eventgraph.live() === "live");
  await page.getByLabel("Window from").fill("2025-06-01");
  await page.getByLabel("to (inclusive)").fill("2025-06-30");
  const window0 = (await page.evaluate(() => window.__eventgraph.openView())).window;
  assert.deepEqual(window0, { first: "2025-06-01", last: "2025-06-30" });
  const first = page.locator("#view-timeline .timeline-events button[data-event]").first();
  await first.focus();
  const focused = await first.getAttribute("data-event");
  await page.evaluate(() => (window.__notReloaded = true));
  await watchForLoading(page);
  const timelines = countRequests(page, "Timeline");

  // Three writes at once, as a script or an import would send them: one request.
  const added = [
    { id: "live-talks-day", name: "Live talks on a day", start: "2025-06-10" },
    { id: "live-talks-month", name: "Live talks in a month", start: "2025-03" },
    { id: "live-talks-undated", name: "Live talks undated", start: null },
  ];
  await Promise.all(
    added.map((e) => query(`mutation($e: EventInput!) { upsertEvent(input: $e) { id } }`, { e: { id: e.id, name: e.name, kind: "NEGOTIATION", start: e.start } })),
  );
  const start = Date.now();
  for (const e of added) await page.locator(`#view-timeline button[data-event="${e.id}"]`).waitFor({ timeout: 5000 });
  console.log(`the timeline showed the new events ${Date.now() - start} ms after the mutations answered`);
  await page.waitForTimeout(800);
  assert.equal(timelines.n, 1, "a burst of changes is one request");
  const { timeline } = await query(`{ timeline(first: 500) { nodes { id start } } }`);
  const shown = (which) => page.locator(`#view-timeline ol[aria-labelledby="timeline-${which}-heading"] button[data-event]`).evaluateAll((bs) => bs.map((b) => b.dataset.event));
  assert.deepEqual(await shown("dated"), timeline.nodes.filter((e) => e.start).map((e) => e.id), "the dated events in the API's order");
  assert.deepEqual(await shown("undated"), timeline.nodes.filter((e) => !e.start).map((e) => e.id));
  assert.ok((await page.locator(`#view-timeline svg [data-event="live-talks-day"]`).count()) === 1, "the dated one is drawn on the chart");
  assert.deepEqual((await page.evaluate(() => window.__eventgraph.openView())).window, window0, "the window brushed is kept");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.event), focused, "the focus is kept");
  assert.equal(await page.evaluate(() => window.__loadingShown), false, "the timeline never showed Loading… meanwhile");
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
  await wb.checkView("live-timeline");

  // Closed, it asks nothing; opened again, it shows what was added meanwhile.
  await page.getByRole("button", { name: "Close the timeline (Escape)" }).click();
  const closed = timelines.n;
  await query(`mutation { upsertEvent(input: { id: "live-talks-closed", name: "Live talks while closed", kind: NEGOTIATION, start: "2025-06-11" }) { id } }`);
  await page.waitForTimeout(800);
  assert.equal(timelines.n, closed, "no request while the timeline is closed");
  await page.getByRole("button", { name: "Timeline" }).click();
  await page.locator(`#view-timeline button[data-event="live-talks-closed"]`).waitFor();
  wb.assertClean();
});

test("the open stance matrix follows positions added and retracted by another client, the open cell staying open", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByRole("button", { name: "Stance matrix" }).click();
  const table = page.locator("#view-stance-matrix table");
  await table.waitFor();
  await page.waitForFunction(() => window.__eventgraph.live() === "live");
  const topic = "iran-nuclear-programme";
  const row = table.locator(`tr[data-topic="${topic}"]`);
  await row.locator(`td[data-actor="united-states"] button`).click();
  const detail = page.getByRole("region", { name: /^United States on / });
  await detail.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Close the cell's evidence (Escape)");
  await page.evaluate(() => (window.__notReloaded = true));
  await watchForLoading(page);

  // An envoy new to the graph rejects what the United States demands: a conflict.
  await query(`mutation {
    upsertActor(input: { id: "live-envoy", name: "A live envoy", kind: PERSON }) { id }
    upsertSource(input: { id: "live-stance-note", title: "A live note on the programme", text: "The envoy said Iran rejects any freeze of its nuclear programme." }) { id }
    upsertPosition(input: { id: "live-envoy-rejects-freeze", holder: "live-envoy", topic: "${topic}", stance: REJECTS, statement: "No freeze.",
      evidence: [{ source: "live-stance-note", quote: "Iran rejects any freeze of its nuclear programme", confidence: 0.6 }] }) { id }
  }`);
  const cell = row.locator(`td[data-actor="live-envoy"]`);
  await cell.locator("button").waitFor({ timeout: 5000 });
  const { stances } = await query(`{ stances(topics: ["${topic}"]) { rows { cells { actor { id } positions { id stance } } conflicts { a { id } b { id } } } } }`);
  const [apiRow] = stances.rows;
  const his = apiRow.cells.find((c) => c.actor.id === "live-envoy").positions;
  assert.deepEqual(his.map((p) => p.id), ["live-envoy-rejects-freeze"]);
  assert.equal(await cell.locator(".stance").innerText(), his.map((p) => p.stance.toLowerCase().replaceAll("_", " ")).join(", "));
  assert.ok(apiRow.conflicts.some(({ a, b }) => [a.id, b.id].includes("live-envoy-rejects-freeze")), "the API marks it as conflicting");
  assert.equal(await cell.evaluate((td) => td.classList.contains("conflict")), true, "his cell is highlighted as a conflict");
  await cell.getByText("conflict", { exact: true }).waitFor();
  // The open cell stays open, with the focus where it was, and says what it now conflicts with.
  await detail.getByText(/A live envoy rejects/).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Close the cell's evidence (Escape)", "the focus is kept");
  assert.equal(await page.evaluate(() => window.__loadingShown), false, "the matrix never showed Loading… meanwhile");
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
  await wb.checkView("live-stance-matrix");

  await query(`mutation { retract(id: "live-envoy-rejects-freeze", reason: "a test of the live matrix") { id } }`);
  await cell.locator("button").waitFor({ state: "detached", timeout: 5000 });
  await detail.getByText(/A live envoy rejects/).waitFor({ state: "detached" });
  const after = await query(`{ stances(topics: ["${topic}"]) { rows { cells { actor { id } } } } }`);
  assert.equal(after.stances.rows[0].cells.some((c) => c.actor.id === "live-envoy"), false, "the API no longer gives his position");
  assert.equal(await table.locator("thead th").getByText("A live envoy").count(), 0, "holding no position, he has no column");
  assert.equal(await detail.isVisible(), true, "the open cell is still open");
  wb.assertClean();
});

test("the open map follows places and events added, located and unlocated by another client", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByRole("button", { name: "Map", exact: true }).click();
  await page.getByRole("group", { name: /^Map of/ }).waitFor();
  await page.waitForFunction(() => window.__eventgraph.live() === "live");
  await page.locator(`svg.map .marker[data-entity="muscat"]`).click();
  await page.evaluate(() => (window.__notReloaded = true));
  await watchForLoading(page);

  await query(`mutation { upsertPlace(input: { id: "live-salalah", name: "Salalah", kind: CITY, point: { lat: 17.02, lon: 54.09 } }) { id } }`);
  const marker = page.locator(`svg.map .marker[data-entity="live-salalah"]`);
  await marker.waitFor({ timeout: 5000 });
  assert.equal(await marker.getAttribute("aria-label"), "Salalah");
  // North is up: Salalah (17°N) is drawn below Muscat (23.6°N).
  const y = (id) => page.locator(`svg.map .marker[data-entity="${id}"] circle`).evaluate((c) => c.getBoundingClientRect().top);
  assert.ok((await y("live-salalah")) > (await y("muscat")), "Salalah lies south of Muscat");

  const { addRelation } = await query(`mutation {
    upsertSource(input: { id: "live-map-note", title: "A live note from Salalah", text: "The live talks were held in Salalah." }) { id }
    upsertEvent(input: { id: "live-salalah-talks", name: "Live talks in Salalah", kind: NEGOTIATION, start: "2025-07-01" }) { id }
    addRelation(input: { type: LOCATED_IN, from: "live-salalah-talks", to: "live-salalah", evidence: [{ source: "live-map-note", quote: "The live talks were held in Salalah", confidence: 0.7 }] }) { id }
  }`);
  await page.locator(`svg.map .marker[data-entity="live-salalah"][aria-label="Salalah: 1 event"]`).waitFor({ timeout: 5000 });
  const { events } = await query(`{ events(first: 500) { nodes { id place { id } } } }`);
  assert.equal(events.nodes.find((e) => e.id === "live-salalah-talks").place.id, "live-salalah", "the API places the event there");
  assert.equal(await page.locator(`svg.map .marker[data-entity="muscat"]`).getAttribute("aria-pressed"), "true", "the marker picked stays picked");
  await page.getByRole("region", { name: "Muscat on the map" }).waitFor();
  assert.equal(await page.evaluate(() => window.__loadingShown), false, "the map never showed Loading… meanwhile");
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
  await wb.checkView("live-map");

  // Its place retracted, the event leaves the marker and is listed apart.
  await query(`mutation($id: ID!) { retract(id: $id, reason: "a test of the live map") { id } }`, { id: addRelation.id });
  await page.locator(`svg.map .marker[data-entity="live-salalah"][aria-label="Salalah"]`).waitFor({ timeout: 5000 });
  const again = await query(`{ events(first: 500) { nodes { id place { id } } } }`);
  assert.equal(again.events.nodes.find((e) => e.id === "live-salalah-talks").place, null);
  await page.locator(`#view-map details [data-entity="live-salalah-talks"]`).waitFor({ state: "attached" });
  wb.assertClean();
});
