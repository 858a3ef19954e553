import assert from "node:assert/strict";
import { test } from "node:test";
import { openWorkbench, query } from "./workbench.mjs";

test("the map draws places and events where the API locates them, and puts one on the canvas", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByRole("button", { name: "Map", exact: true }).click();
  await page.getByRole("group", { name: /^Map of/ }).waitFor();
  const { places, events } = await query(`{
    places(first: 500) { totalCount nodes { id name kind point { lat lon } } }
    events(first: 500) { totalCount nodes { id name place { id } } }
  }`);
  assert.ok(places.totalCount <= 500 && events.totalCount <= 500, "the seed fits one page");

  const outline = await page.locator("svg.map path.land").getAttribute("d");
  assert.ok(outline.length > 10000, "the bundled country outlines are drawn");
  const markers = await page.locator("svg.map .marker").evaluateAll((els) =>
    els.map((e) => {
      const box = e.querySelector("circle").getBoundingClientRect();
      return { id: e.dataset.entity, approximate: e.classList.contains("approximate"), y: box.top + box.height / 2 };
    }),
  );
  const at = (id) => markers.find((m) => m.id === id);
  const withPoint = places.nodes.filter((p) => p.point);
  assert.ok(withPoint.length >= 3);
  for (const p of withPoint) assert.equal(at(p.id)?.approximate, false, `${p.name} has a marker at its coordinates`);
  // North is up: the higher the latitude, the higher on the page.
  const byLatitude = withPoint.toSorted((a, b) => b.point.lat - a.point.lat).map((p) => p.id);
  assert.deepEqual(markers.filter((m) => !m.approximate).toSorted((a, b) => a.y - b.y).map((m) => m.id), byLatitude);
  // Iran has no coordinates of its own: the centre of its outline (about 32°N) stands for
  // it, between Tehran (35.7°N) and Muscat (23.6°N).
  const iran = at("iran-country");
  assert.equal(iran?.approximate, true, "Iran is drawn at the centre of its outline");
  assert.ok(at("tehran").y < iran.y && iran.y < at("muscat").y, "Iran's marker lies between Tehran and Muscat");

  // Events without a place are listed apart, not drawn anywhere.
  await page.getByText(/^Not on the map/).click();
  const apart = await page.locator("#view-map details [data-entity]").evaluateAll((els) => els.map((e) => e.dataset.entity));
  for (const e of events.nodes.filter((e) => !e.place)) assert.ok(apart.includes(e.id), `${e.name} is listed apart`);
  for (const m of markers) assert.ok(!apart.includes(m.id), `${m.id} is drawn, not listed apart`);

  // The keyboard picks Muscat's marker; its list holds Muscat and the events the API places there.
  await page.locator('.marker[data-entity="muscat"]').focus();
  await page.keyboard.press("Enter");
  const details = page.getByRole("region", { name: "Muscat on the map" });
  await details.waitFor();
  const listed = await details.locator("[data-entity]").evaluateAll((els) => els.map((e) => e.dataset.entity));
  const atMuscat = events.nodes.filter((e) => e.place?.id === "muscat").map((e) => e.id);
  assert.ok(atMuscat.length > 0);
  assert.deepEqual(listed, ["muscat", ...atMuscat]);
  await wb.checkView("map");

  await details.getByRole("button", { name: /^Put US-Iran talks in Muscat on the canvas/ }).click();
  await page.waitForFunction(() => window.__eventgraph.nodes().includes("muscat-talks"));
  await page.locator('.marker.on-canvas[data-entity="muscat"]').waitFor();

  await page.keyboard.press("Escape");
  await page.getByRole("group", { name: /^Map of/ }).waitFor({ state: "detached" });
  wb.assertClean();
});
