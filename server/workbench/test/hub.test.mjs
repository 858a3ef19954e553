import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

test("expanding a hub draws a page of its relations and says that more were left out", async (t) => {
  const { node } = await query(`{ node(id: "hub") { ... on Entity { relations { totalCount } } } }`);
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Hub alliance", "Hub alliance");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  const { edges, nodes } = await drawn(page);
  const limit = 150;
  assert.ok(node.relations.totalCount > limit, `the hub has ${node.relations.totalCount} relations`);
  assert.equal(edges.length, limit);
  assert.equal(nodes.length, limit + 1);
  await page.getByText(`More than ${limit} relations: only the first ${limit} are drawn.`).waitFor();
  await wb.checkView("hub");
  wb.assertClean();
});
