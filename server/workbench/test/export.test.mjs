import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { drawn, openWorkbench, searchAndPick, settled } from "./workbench.mjs";

/** Clicks a button of the export group and returns the downloaded file's name and bytes. */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("group", { name: "Export the view" }).getByRole("button", { name }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test("the view exports as SVG and PNG pictures and, through /export, as GraphML of what is drawn", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await page.getByRole("button", { name: "Expand again with the filters" }).waitFor();
  await settled(page);
  const { nodes, edges } = await drawn(page);
  assert.ok(edges.length >= 2, `relations drawn: ${edges}`);

  const svg = await download(page, /as an SVG picture/);
  assert.equal(svg.name, "eventgraph-view.svg");
  const text = svg.bytes.toString("utf8");
  const ids = (attr) => [...text.matchAll(new RegExp(`data-${attr}="([^"]+)"`, "g"))].map((m) => m[1].replaceAll("&#58;", ":")).toSorted();
  assert.deepEqual(ids("entity"), nodes.toSorted(), "every entity drawn is in the SVG");
  assert.deepEqual(ids("relation"), edges.toSorted(), "every relation drawn is in the SVG");
  assert.match(text, />Abbas Araghchi</);
  // The picture is where sigma draws: Araghchi's circle is at his position on the canvas.
  const at = await page.evaluate(() => {
    const p = window.__eventgraph.position("araghchi");
    const box = document.querySelector(".sigma").getBoundingClientRect();
    return { x: p.x - box.left, y: p.y - box.top };
  });
  const circle = /data-entity="araghchi"><circle cx="([\d.]+)" cy="([\d.]+)"/.exec(text);
  assert.ok(Math.abs(circle[1] - at.x) < 1 && Math.abs(circle[2] - at.y) < 1, `circle at ${circle[1]},${circle[2]}, drawn at ${at.x},${at.y}`);

  const png = await download(page, /as a PNG picture/);
  assert.equal(png.name, "eventgraph-view.png");
  assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from("PNG")]);
  const size = await page.locator(".sigma").evaluate((e) => [e.clientWidth, e.clientHeight]);
  assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], size.map((n) => n * 2), "the PNG is the canvas at twice its size");

  const graphml = await download(page, /as GraphML/);
  assert.equal(graphml.name, "eventgraph-araghchi-and-" + (nodes.length - 1) + ".graphml");
  const xml = graphml.bytes.toString("utf8");
  const exported = [...xml.matchAll(/<node id="([^"]+)"/g)].map((m) => m[1]).toSorted();
  assert.deepEqual(exported, nodes.toSorted(), "the export holds exactly the entities on the canvas");
  for (const e of edges) assert.ok(xml.includes(`id="${e}"`), `relation ${e} drawn is exported`);
  await wb.checkView("export");
  wb.assertClean();
});
