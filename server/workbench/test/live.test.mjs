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
