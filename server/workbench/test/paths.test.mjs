import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

test("the shortest paths between two entities are drawn and listed, each hop with its quote", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Kushner", "Jared Kushner");
  await page.getByRole("button", { name: "Path from here" }).click();
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Path to here" }).click();
  const panel = page.getByRole("region", { name: "Paths" });

  // Within one hop there is none: the panel says so and nothing is highlighted.
  await panel.getByLabel("At most").selectOption("1");
  await panel.getByRole("button", { name: "Find paths" }).click();
  await settled(page);
  await panel.getByText("No path within 1 hop from Jared Kushner to Abbas Araghchi.").waitFor();
  assert.deepEqual(await page.evaluate(() => window.__eventgraph.pathRelations()), []);

  await panel.getByLabel("At most").selectOption("4");
  await panel.getByRole("button", { name: "Find paths" }).click();
  await settled(page);
  const { paths } = await query(
    `{ paths(from: "kushner", to: "araghchi", maxHops: 4, first: 5) {
      hops { relation { id evidence(stance: SUPPORTS) { quote source { title } } } } } }`,
  );
  assert.ok(paths.length > 0, "the API finds a path from Kushner to Araghchi");
  await panel.getByRole("heading", { name: new RegExp(`^${paths.length} shortest paths? from Jared Kushner to Abbas Araghchi$`) }).waitFor();

  const onPaths = new Set();
  for (const [i, path] of paths.entries()) {
    const listed = panel.locator(`li[data-path="${i}"]`);
    assert.equal(await listed.locator("li[data-hop-relation]").count(), path.hops.length, `path ${i} lists each hop`);
    for (const { relation } of path.hops) {
      onPaths.add(relation.id);
      const hop = listed.locator(`li[data-hop-relation="${relation.id}"]`);
      const [first] = relation.evidence;
      assert.ok(first, `relation ${relation.id} has supporting evidence`);
      assert.equal(await hop.locator("blockquote p").innerText(), first.quote, `the quote of ${relation.id} is the API's`);
      assert.equal(await hop.locator("cite").innerText(), first.source.title);
    }
  }
  const { edges } = await drawn(page);
  for (const id of onPaths) assert.ok(edges.includes(id), `relation ${id} of a path is drawn`);
  const highlighted = await page.evaluate(() => window.__eventgraph.pathRelations());
  assert.deepEqual(highlighted.toSorted(), [...onPaths].toSorted(), "the paths' relations are the ones highlighted");
  await wb.checkView("paths");
  wb.assertClean();
});
