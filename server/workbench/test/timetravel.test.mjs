import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, resultsOf, searchAndPick, settled, typeSearch } from "./workbench.mjs";

/** Sets the moment picker to text and waits until the canvas is drawn at that moment. */
async function goTo(page, text) {
  await page.getByLabel("As of").fill(text);
  await page.getByRole("button", { name: "Go" }).click();
  await page.getByText(`Showing the graph as known at ${text}`).waitFor();
  await settled(page);
}

test("a moment before the seed shows an empty graph; back to now shows it again", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  assert.ok((await drawn(page)).edges.length > 0);

  const before = "2000-01-01";
  const { search } = await query(`query($asOf: Time) { search(text: "Araghchi", asOf: $asOf) { totalCount } }`, { asOf: before });
  assert.equal(search.totalCount, 0, "the API knew nothing of Araghchi then");
  await goTo(page, before);
  assert.deepEqual(await drawn(page), { nodes: [], edges: [] }, "the canvas is emptied");
  assert.equal(await page.evaluate(() => window.__eventgraph.moment()), before);
  await typeSearch(page, "Araghchi");
  await page.getByText("Nothing matches “Araghchi”.").waitFor();
  await wb.checkView("timetravel-before-seed");

  await page.getByRole("button", { name: "Now" }).click();
  await page.getByText(/^Showing now/).waitFor();
  assert.equal(await page.evaluate(() => window.__eventgraph.moment()), null);
  await typeSearch(page, "Araghchi");
  await page.getByRole("option", { name: /^Abbas Araghchi/ }).waitFor();
  wb.assertClean();
});

test("a moment in the past redraws the canvas as known then: a relation added since is not drawn", async (t) => {
  const between = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const { addRelation } = await query(`mutation {
    upsertSource(input: { id: "timetravel-note", title: "A note on Araghchi and Oman", text: "Araghchi is allied with Oman in these talks, the note says." }) { id }
    addRelation(input: { type: ALLIED_WITH, from: "araghchi", to: "oman", evidence: [{ source: "timetravel-note", quote: "Araghchi is allied with Oman", confidence: 0.6 }] }) { id }
  }`);
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  assert.ok((await drawn(page)).edges.includes(addRelation.id));

  await goTo(page, between);
  const { neighbourhood } = await query(`query($asOf: Time) { neighbourhood(id: "araghchi", limit: 150, asOf: $asOf) { relations { id } } }`, { asOf: between });
  assert.deepEqual((await drawn(page)).edges.toSorted(), neighbourhood.relations.map((r) => r.id).toSorted());
  assert.ok(!(await drawn(page)).edges.includes(addRelation.id));
  wb.assertClean();
});

test("changed since a moment: the relation written after it is highlighted and listed with its author", async (t) => {
  const since = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const { addRelation } = await query(`mutation {
    upsertSource(input: { id: "changes-note", title: "A note on Araghchi and Iran", text: "Araghchi stands allied with Iran's negotiators, the note says." }) { id }
    addRelation(input: { type: ALLIED_WITH, from: "araghchi", to: "iran", evidence: [{ source: "changes-note", quote: "Araghchi stands allied with Iran's negotiators", confidence: 0.6 }] }) { id }
  }`);
  const { changes } = await query(`query($since: Time!) { changes(since: $since, first: 50) { nodes { version author relationIds nodeIds } } }`, { since });
  const written = changes.nodes.find((c) => c.relationIds.includes(addRelation.id));
  assert.ok(written, "the API lists the relation among the changes");

  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.getByLabel("Changed since (date or time)").fill(since);
  await page.getByRole("button", { name: "Show changes" }).click();
  const listed = page.locator(".change-list > li");
  await listed.first().waitFor();

  assert.deepEqual(await listed.evaluateAll((items) => items.map((li) => li.dataset.version)), changes.nodes.map((c) => c.version), "the commits listed are the API's");
  const item = page.locator(`.change-list > li[data-version="${written.version}"]`);
  assert.equal(await item.locator(".change-author").innerText(), written.author);
  assert.match(await item.locator(`[data-changed-relation="${addRelation.id}"]`).innerText(), /Abbas Araghchi allied with Iran/);
  const highlighted = await page.evaluate(() => window.__eventgraph.changedRelations());
  const onCanvas = (await drawn(page)).edges;
  const changedIds = new Set(changes.nodes.flatMap((c) => c.relationIds));
  assert.deepEqual(highlighted.toSorted(), onCanvas.filter((id) => changedIds.has(id)).toSorted(), "exactly the changed relations drawn are highlighted");
  assert.ok(highlighted.includes(addRelation.id));
  await page.getByText("changed since the moment asked about").waitFor();
  await wb.checkView("timetravel-changes");

  await page.getByRole("button", { name: "Clear" }).click();
  assert.deepEqual(await page.evaluate(() => window.__eventgraph.changedRelations()), []);
  wb.assertClean();
});

test("a moment after the last write redraws a hub's canvas unchanged", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Hub alliance", "Hub alliance");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  const before = await drawn(page);
  assert.ok(before.edges.length > 100);

  const start = Date.now();
  await goTo(page, new Date().toISOString());
  console.log(`redrawing ${before.nodes.length} entities and ${before.edges.length} relations at a moment took ${Date.now() - start} ms`);
  const after = await drawn(page);
  assert.deepEqual(after.nodes.toSorted(), before.nodes.toSorted());
  assert.deepEqual(after.edges.toSorted(), before.edges.toSorted());
  wb.assertClean();
});
