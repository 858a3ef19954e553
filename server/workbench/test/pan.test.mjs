import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

const positions = (page, ids) => page.evaluate((list) => Object.fromEntries(list.map((id) => [id, window.__eventgraph.position(id)])), ids);

/** A point of the canvas's stage, clear of every entity and of the toolbars over the canvas. */
const stagePoint = (page) =>
  page.evaluate(() => {
    const hook = window.__eventgraph;
    const points = hook.nodes().map((id) => hook.position(id));
    const box = document.querySelector(".sigma").getBoundingClientRect();
    for (let y = box.top + box.height / 2; y < box.bottom - 40; y += 5) {
      for (let x = box.left + 40; x < box.right - 160; x += 5) {
        const under = document.elementFromPoint(x, y);
        if (under?.closest(".sigma") && points.every((p) => Math.hypot(p.x - x, p.y - y) > 30)) return { x, y };
      }
    }
    throw new Error("no empty point on the canvas");
  });

test("dragging the stage pans the canvas and the wheel zooms about the mouse; entities are clicked where they are then drawn", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  const before = await drawn(page);
  const coordinates = await page.evaluate((ids) => ids.map((id) => window.__eventgraph.coordinates(id)), before.nodes);
  const was = await positions(page, before.nodes);

  const from = await stagePoint(page);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 90, from.y + 60, { steps: 6 });
  await page.mouse.up();
  await settled(page);
  const panned = await positions(page, before.nodes);
  for (const id of before.nodes) {
    const moved = { x: panned[id].x - was[id].x, y: panned[id].y - was[id].y };
    assert.ok(Math.hypot(moved.x - 90, moved.y - 60) < 1.5, `${id} is drawn 90 px right and 60 px down: ${JSON.stringify(moved)}`);
  }
  assert.deepEqual(await drawn(page), before, "a pan adds and removes nothing");
  assert.deepEqual(
    await page.evaluate((ids) => ids.map((id) => window.__eventgraph.coordinates(id)), before.nodes),
    coordinates,
    "a pan moves the view, not the entities",
  );

  // A second drag brings Araghchi and his nearest neighbour to the middle of the canvas;
  // the wheel, turned between them, zooms in about the mouse: the point under it stays
  // there and they move away from it, 1.7 times as far (sigma's zoomingRatio per notch).
  const centre = "araghchi";
  const other = before.nodes
    .filter((id) => id !== centre)
    .toSorted((a, b) => Math.hypot(panned[a].x - panned[centre].x, panned[a].y - panned[centre].y) - Math.hypot(panned[b].x - panned[centre].x, panned[b].y - panned[centre].y))[0];
  const box = await page.locator(".sigma").boundingBox();
  const middle = (p) => ({ x: (p[centre].x + p[other].x) / 2, y: (p[centre].y + p[other].y) / 2 });
  const start = await stagePoint(page);
  const by = { x: box.x + box.width / 2 - middle(panned).x, y: box.y + box.height / 2 - middle(panned).y };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + by.x, start.y + by.y, { steps: 6 });
  await page.mouse.up();
  await settled(page);
  const centred = await positions(page, [centre, other]);
  const m = middle(centred);
  await page.mouse.move(m.x, m.y);
  await page.mouse.wheel(0, -100);
  await page.waitForFunction(
    ([id, p]) => Math.hypot(window.__eventgraph.position(id).x - p.x, window.__eventgraph.position(id).y - p.y) > 5,
    [other, centred[other]],
  );
  await page.waitForTimeout(500);
  await settled(page);
  const zoomed = await positions(page, [centre, other]);
  for (const id of [centre, other]) {
    const want = { x: m.x + 1.7 * (centred[id].x - m.x), y: m.y + 1.7 * (centred[id].y - m.y) };
    assert.ok(Math.hypot(zoomed[id].x - want.x, zoomed[id].y - want.y) < 2, `${id} is drawn 1.7 times as far from the mouse: ${JSON.stringify({ want, got: zoomed[id] })}`);
  }

  // A neighbour, clicked where it is now drawn, is selected and expanded.
  const { neighbourhood } = await query(
    `query($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 150) { relations { id } } }`,
    { id: other },
  );
  const under = await page.evaluate((p) => document.elementFromPoint(p.x, p.y)?.closest(".sigma") != null, zoomed[other]);
  assert.ok(under, `${other} is drawn in view: ${JSON.stringify(zoomed[other])}`);
  await page.mouse.click(zoomed[other].x, zoomed[other].y);
  await page.getByRole("heading", { name: await page.evaluate((id) => window.__eventgraph.label(id), other) }).waitFor();
  await settled(page);
  const after = await drawn(page);
  for (const r of neighbourhood.relations) assert.ok(after.edges.includes(r.id), `relation ${r.id} of ${other} is drawn`);
  await wb.checkView("canvas-panned");
  wb.assertClean();
});
