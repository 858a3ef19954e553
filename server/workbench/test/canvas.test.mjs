import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

test("clicking Abbas Araghchi on the canvas draws his neighbourhood as the API gives it", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await settled(page);
  const at = await page.evaluate(() => window.__eventgraph.position("araghchi"));
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => window.__eventgraph.edges().length > 0);
  await settled(page);

  const { neighbourhood } = await query(
    `{ neighbourhood(id: "araghchi", depth: 1, limit: 150) { truncated nodes { id } relations { id } } }`,
  );
  assert.equal(neighbourhood.truncated, false);
  const got = await drawn(page);
  assert.deepEqual(got.nodes.toSorted(), neighbourhood.nodes.map((n) => n.id).toSorted());
  assert.deepEqual(got.edges.toSorted(), neighbourhood.relations.map((r) => r.id).toSorted());
  const list = page.getByRole("list", { name: /^Relations on the canvas/ }).locator("button[data-relation]");
  assert.equal(await list.count(), neighbourhood.relations.length, "the side panel lists every relation drawn");
  await page.getByText(`On the canvas (${neighbourhood.nodes.length})`).waitFor();
  await wb.checkView("canvas");

  // A neighbour, clicked where it is drawn, is selected and expanded in turn.
  const neighbour = neighbourhood.nodes.map((n) => n.id).find((id) => id !== "araghchi");
  const before = got.nodes.length;
  const p = await page.evaluate((id) => window.__eventgraph.position(id), neighbour);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction((n) => window.__eventgraph.nodes().length > n || window.__eventgraph.pending() === 0, before);
  await settled(page);
  const { neighbourhood: second } = await query(
    `query($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 150) { nodes { id } relations { id } } }`,
    { id: neighbour },
  );
  const after = await drawn(page);
  for (const r of second.relations) assert.ok(after.edges.includes(r.id), `relation ${r.id} of ${neighbour} is drawn`);
  wb.assertClean();
});
