import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

/** An entity's neighbourhood one hop deep as the API gives it, filtered by relation types. */
async function neighbourhood(id, types = null) {
  const { neighbourhood } = await query(
    `query($id: ID!, $types: [RelationType!]) { neighbourhood(id: $id, depth: 1, types: $types, limit: 150) {
      truncated nodes { id } relations { id type from { id } to { id } } } }`,
    { id, types },
  );
  assert.equal(neighbourhood.truncated, false);
  return neighbourhood;
}

function sorted(state) {
  return { nodes: state.nodes.toSorted(), edges: state.edges.toSorted() };
}

async function now(page) {
  await settled(page);
  return sorted(await drawn(page));
}

test("filtered expansion, collapse, pin, hide, multi-select and undo act on the canvas as the API answers", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  const talks = "muscat-talks";
  await searchAndPick(page, "Muscat", "US-Iran talks in Muscat");
  const placed = await now(page);
  assert.deepEqual(placed, { nodes: [talks], edges: [] });

  // Expanding with a type filter draws exactly the API's neighbourhood with that filter.
  await page.getByText("Change the filters").click();
  await page.getByRole("checkbox", { name: "about topic" }).check();
  await page.getByText("Next expansions: only about topic, 150 at a time.").waitFor();
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  const filtered = await now(page);
  const aboutTopic = await neighbourhood(talks, ["ABOUT_TOPIC"]);
  assert.ok(aboutTopic.relations.length > 0 && aboutTopic.relations.length < (await neighbourhood(talks)).relations.length);
  assert.deepEqual(filtered, sorted({ nodes: aboutTopic.nodes.map((n) => n.id), edges: aboutTopic.relations.map((r) => r.id) }));

  // Ctrl+Z takes the expansion back, Ctrl+Shift+Z makes it again.
  await page.getByRole("button", { name: "Expand again with the filters" }).focus();
  await page.keyboard.press("Control+z");
  assert.deepEqual(await now(page), placed, "undo restores the canvas before the expansion");
  await page.keyboard.press("Control+Shift+z");
  assert.deepEqual(await now(page), filtered, "redo draws the expansion again");

  // Without filters, then a neighbour expanded too.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByText("Next expansions fetch every relation, 150 at a time.").waitFor();
  await page.getByRole("button", { name: "Expand again with the filters" }).click();
  const all = await neighbourhood(talks);
  assert.deepEqual(await now(page), sorted({ nodes: all.nodes.map((n) => n.id), edges: all.relations.map((r) => r.id) }));
  await page.getByText(/^On the canvas/).click();
  await page.locator(".entities").getByRole("button", { name: "Iran", exact: true }).click();
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  const expanded = await now(page);
  const iran = await neighbourhood("iran");

  // Collapsing the talks removes the neighbours only they hold; Iran's stay.
  const relations = new Map([...all.relations, ...iran.relations].map((r) => [r.id, r]));
  assert.deepEqual(expanded.edges, [...relations.keys()].toSorted());
  const held = (n) => expanded.edges.some((e) => [relations.get(e).from.id, relations.get(e).to.id].includes(n) && ![relations.get(e).from.id, relations.get(e).to.id].includes(talks));
  const gone = all.nodes.map((n) => n.id).filter((n) => n !== talks && n !== "iran" && !held(n));
  assert.ok(gone.length > 0 && gone.length < all.nodes.length - 1, `collapsing removes some neighbours but not all: ${gone}`);
  await page.locator(".entities").getByRole("button", { name: "US-Iran talks in Muscat" }).click();
  await page.getByRole("button", { name: "Collapse" }).click();
  const collapsed = await now(page);
  const touches = (e, ids) => ids.includes(relations.get(e).from.id) || ids.includes(relations.get(e).to.id);
  assert.deepEqual(collapsed, {
    nodes: expanded.nodes.filter((n) => !gone.includes(n)),
    edges: expanded.edges.filter((e) => !touches(e, gone)),
  });
  await page.getByRole("button", { name: "Undo" }).click();
  assert.deepEqual(await now(page), expanded, "undo brings the collapsed neighbours back");

  // A pinned entity stays where it is through another expansion and a new layout.
  await page.locator(".entities").getByRole("button", { name: "Oman", exact: true }).click();
  await page.getByRole("button", { name: "Pin" }).click();
  await page.getByRole("button", { name: "Pin", pressed: true }).waitFor();
  const pinned = await page.evaluate(() => window.__eventgraph.nodes().find((n) => n === "oman"));
  assert.equal(pinned, "oman");
  const at = await page.evaluate(() => window.__eventgraph.coordinates("oman"));
  await page.locator(".entities").getByRole("button", { name: "United States", exact: true }).click();
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  for (const r of (await neighbourhood("united-states")).relations) relations.set(r.id, r);
  assert.deepEqual(await page.evaluate(() => window.__eventgraph.coordinates("oman")), at, "an expansion does not move a pinned entity");
  const before = await page.evaluate(() => Object.fromEntries(window.__eventgraph.nodes().map((n) => [n, window.__eventgraph.coordinates(n)])));
  await page.getByRole("button", { name: "Lay out again" }).click();
  await settled(page);
  const after = await page.evaluate(() => Object.fromEntries(window.__eventgraph.nodes().map((n) => [n, window.__eventgraph.coordinates(n)])));
  assert.deepEqual(after.oman, at, "laying out again does not move a pinned entity");
  assert.ok(Object.keys(after).some((n) => after[n].x !== before[n].x || after[n].y !== before[n].y), "laying out again moves the others");
  const laidOut = await now(page);

  // Shift-click and ctrl-click select two entities on the canvas; Hide hides both; Show all shows them.
  // Two entities not under the toolbar or the legend, where a click reaches the canvas.
  const clickable = await page.evaluate((ids) =>
    ids.filter((n) => {
      const p = window.__eventgraph.position(n);
      return document.elementFromPoint(p.x, p.y)?.closest(".sigma") != null;
    }),
    laidOut.nodes.filter((n) => !["oman", talks, "iran", "united-states"].includes(n)),
  );
  const [a, b] = clickable;
  await page.locator(".entities").getByRole("button", { name: "US-Iran talks in Muscat" }).click();
  for (const [id, key] of [
    [a, "Shift"],
    [b, "Control"],
  ]) {
    const p = await page.evaluate((n) => window.__eventgraph.position(n), id);
    await page.keyboard.down(key);
    await page.mouse.click(p.x, p.y);
    await page.keyboard.up(key);
  }
  const group = page.getByRole("group", { name: "3 entities selected" });
  await group.waitFor();
  await page.getByRole("checkbox", { name: "Select US-Iran talks in Muscat" }).uncheck();
  await page.getByRole("group", { name: "2 entities selected" }).getByRole("button", { name: "Hide" }).click();
  const hidden = await now(page);
  assert.deepEqual(hidden, { nodes: laidOut.nodes.filter((n) => n !== a && n !== b), edges: laidOut.edges.filter((e) => !touches(e, [a, b])) });
  await page.getByText("hidden: 2").waitFor();
  await wb.checkView("canvas-tools");
  await page.getByRole("button", { name: "Show all" }).click();
  assert.deepEqual(await now(page), laidOut, "show all draws the hidden entities and their relations again");
  await page.keyboard.press("Control+z");
  assert.deepEqual(await now(page), hidden, "undo hides them again");
  await page.keyboard.press("Control+z");
  assert.deepEqual(await now(page), laidOut, "and undo before that shows them");
  wb.assertClean();
});

test("retracted relations are drawn, marked, only while shown", async (t) => {
  const { a, b } = await query(
    `mutation {
      upsertSource(input: { id: "workbench-test-minutes", title: "Council minutes", text: "Ardent joined the council. Brisk joined the council." }) { id }
      council: upsertActor(input: { id: "workbench-test-council", name: "Quorate council", kind: ORGANISATION }) { id }
      ardent: upsertActor(input: { id: "workbench-test-ardent", name: "Ardent", kind: PERSON }) { id }
      brisk: upsertActor(input: { id: "workbench-test-brisk", name: "Brisk", kind: PERSON }) { id }
      a: addRelation(input: { type: MEMBER_OF, from: "workbench-test-ardent", to: "workbench-test-council", evidence: [{ source: "workbench-test-minutes", quote: "Ardent joined the council", confidence: 0.9 }] }) { id }
      b: addRelation(input: { type: MEMBER_OF, from: "workbench-test-brisk", to: "workbench-test-council", evidence: [{ source: "workbench-test-minutes", quote: "Brisk joined the council", confidence: 0.9 }] }) { id }
    }`,
  );
  await query(`mutation($id: ID!) { retract(id: $id, reason: "misread minutes") { id } }`, { id: b.id });
  const relations = async (includeRetracted) => {
    const { node } = await query(
      `query($r: Boolean) { node(id: "workbench-test-council") { ... on Entity { relations(includeRetracted: $r) { nodes { id retracted { at } } } } } }`,
      { r: includeRetracted },
    );
    return node.relations.nodes;
  };
  assert.deepEqual((await relations(false)).map((r) => r.id), [a.id]);
  const withRetracted = await relations(true);
  assert.deepEqual(withRetracted.map((r) => r.id).toSorted(), [a.id, b.id].toSorted());
  assert.ok(withRetracted.find((r) => r.id === b.id).retracted);

  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Quorate council", "Quorate council");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  assert.deepEqual((await now(page)).edges, [a.id], "by default the retracted relation is not drawn");

  await page.getByRole("checkbox", { name: "Show retracted" }).check();
  await page.getByText("1 retracted relation of the expanded entities drawn.").waitFor();
  const shown = await now(page);
  assert.deepEqual(shown.edges, [a.id, b.id].toSorted(), "shown, the API's retracted relation is drawn too");
  assert.deepEqual(shown.nodes, ["workbench-test-ardent", "workbench-test-brisk", "workbench-test-council"]);
  assert.match(await page.locator(`button[data-relation="${b.id}"]`).innerText(), /retracted/);
  await page.getByText("retracted (withdrawn)").waitFor();
  await wb.checkView("canvas-retracted");

  await page.getByRole("checkbox", { name: "Show retracted" }).uncheck();
  assert.deepEqual((await now(page)).edges, [a.id], "unticked, it is not drawn again");
  wb.assertClean();
});

test("dragging an entity moves and pins it, without expanding it; undo puts it back", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  const before = await now(page);
  const [other] = before.nodes.filter((n) => n !== "araghchi");
  const from = await page.evaluate((n) => window.__eventgraph.position(n), other);
  const was = await page.evaluate((n) => window.__eventgraph.coordinates(n), other);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 120, from.y - 80, { steps: 8 });
  const to = await page.evaluate((n) => window.__eventgraph.position(n), other);
  assert.ok(Math.hypot(to.x - from.x - 120, to.y - from.y + 80) < 3, `the entity follows the mouse: ${JSON.stringify({ from, to })}`);
  await page.mouse.up();
  await settled(page);
  assert.notDeepEqual(await page.evaluate((n) => window.__eventgraph.coordinates(n), other), was, "it stays where it was dropped");
  assert.deepEqual(await now(page), before, "a drag expands nothing");
  await page.getByText(/moved and pinned there\.$/).waitFor();
  const name = await page.evaluate((n) => window.__eventgraph.label(n), other);
  await page.getByText(/^On the canvas/).click();
  await page.locator(".entities").getByRole("button", { name, exact: true }).click();
  await page.getByRole("button", { name: "Pin", pressed: true }).waitFor();
  await page.getByRole("button", { name: "Undo" }).click();
  assert.deepEqual(await page.evaluate((n) => window.__eventgraph.coordinates(n), other), was, "undo puts it back");
  await page.getByRole("button", { name: "Pin", pressed: false }).waitFor();
  wb.assertClean();
});
