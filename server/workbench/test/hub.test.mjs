import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

/** The hub's first n relations as the API pages them, and their total. */
async function hubRelations(n) {
  const { node } = await query(
    `query($n: Int) { node(id: "hub") { ... on Entity { relations(first: $n) { totalCount nodes { id from { id } to { id } } } } } }`,
    { n },
  );
  return node.relations;
}

test("a hub's relations come a page at a time, the rest counted by type", async (t) => {
  const limit = 150;
  const first = await hubRelations(limit);
  const total = first.totalCount;
  assert.ok(total > 2 * limit, `the hub has ${total} relations`);
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Hub alliance", "Hub alliance");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  let got = await drawn(page);
  assert.deepEqual(got.edges.toSorted(), first.nodes.map((r) => r.id).toSorted(), "the first page is the API's first page");
  assert.equal(got.nodes.length, limit + 1);
  await page.getByText(`${limit} of ${total} relations shown.`, { exact: true }).waitFor();
  const { node: counts } = await query(`{ node(id: "hub") { ... on Entity { relations(types: [ALLIED_WITH]) { totalCount } } } }`);
  const rest = counts.relations.totalCount - limit;
  await page.getByRole("list", { name: "Not drawn, by type" }).getByText(`ALLIED_WITH: ${rest} more`).waitFor();
  await wb.checkView("hub");

  await page.getByRole("button", { name: `Show next ${limit}` }).click();
  await settled(page);
  const two = await hubRelations(2 * limit);
  got = await drawn(page);
  assert.deepEqual(got.edges.toSorted(), two.nodes.map((r) => r.id).toSorted(), "two pages are the API's first 300");
  const ends = new Set(two.nodes.flatMap((r) => [r.from.id, r.to.id]));
  assert.deepEqual(got.nodes.toSorted(), [...ends].toSorted());
  await page.getByText(`${2 * limit} of ${total} relations shown.`, { exact: true }).waitFor();
  await page.getByRole("list", { name: "Not drawn, by type" }).getByText(`ALLIED_WITH: ${rest - limit} more`).waitFor();
  wb.assertClean();
});

test("with 2,000 relations per expansion, one expansion draws the whole hub from one page of the API", async (t) => {
  const { node } = await query(`{ node(id: "hub") { ... on Entity { relations(first: 2000) { totalCount nodes { id } pageInfo { hasNextPage } } } } }`);
  const all = node.relations;
  assert.ok(all.totalCount > 500 && !all.pageInfo.hasNextPage, `the hub has ${all.totalCount} relations, more than the API's usual page`);
  const ids = all.nodes.map((r) => r.id);
  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByText("Change the filters").click();
  await page.getByLabel("Relations per expansion").selectOption("2000");
  await page.getByText("Next expansions fetch every relation, 2,000 at a time.").waitFor();
  await searchAndPick(page, "Hub alliance", "Hub alliance");
  const pages = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/graphql") && r.postData()?.includes("query Relations(")) pages.push(r.postDataJSON().variables);
  });
  // How the canvas draws: flat, never instanced, which software WebGL pays for per instance (src/programs.ts).
  await page.evaluate(() => {
    window.__draws = { flat: 0, instanced: 0 };
    for (const gl of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
      const { drawArrays, drawArraysInstanced } = gl;
      gl.drawArrays = function (...args) {
        window.__draws.flat++;
        return drawArrays.apply(this, args);
      };
      if (drawArraysInstanced)
        gl.drawArraysInstanced = function (...args) {
          window.__draws.instanced++;
          return drawArraysInstanced.apply(this, args);
        };
    }
  });
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await page.getByRole("button", { name: "Expand again with the filters" }).waitFor();
  await settled(page);
  assert.deepEqual(pages.map((v) => [v.first, v.after]), [[2000, null]], "the expansion asks for one page of 2,000");
  const draws = await page.evaluate(() => window.__draws);
  assert.ok(draws.flat > 0 && draws.instanced === 0, `the canvas draws without instancing: ${JSON.stringify(draws)}`);
  const got = await drawn(page);
  assert.equal(got.edges.length, all.totalCount);
  assert.deepEqual(got.edges.toSorted(), ids.toSorted(), "every relation of the hub is drawn");
  assert.equal(got.nodes.length, all.totalCount + 1);
  assert.equal(await page.getByText(/relations shown\.$/).count(), 0, "nothing is left to page through");
  wb.assertClean();
});
