import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, readerToken, searchAndPick, settled, tokensURL } from "./workbench.mjs";

/** Everything a shared view should bring back, from the test hook and the page. */
async function viewOf(page) {
  await settled(page);
  const state = await page.evaluate(() => {
    const eg = window.__eventgraph;
    const all = [...eg.nodes(), ...eg.marks().hidden];
    return {
      nodes: eg.nodes().toSorted(),
      edges: eg.edges().toSorted(),
      marks: Object.fromEntries(Object.entries(eg.marks()).map(([k, v]) => [k, v.toSorted()])),
      selection: eg.selection(),
      openView: eg.openView(),
      moment: eg.moment(),
      coordinates: Object.fromEntries(all.map((n) => [n, eg.coordinates(n)])),
      paths: eg.pathRelations().toSorted(),
    };
  });
  state.filter = await page.locator(".filters [role=status]").innerText();
  state.evidence = await page.locator("#evidence-heading").innerText();
  return state;
}

/** Waits for the notice that a link's view is open (or could not be), and returns it. */
async function opened(page, pattern) {
  const notice = page.locator(".notice");
  await notice.filter({ hasText: pattern }).waitFor();
  await settled(page);
  return notice.innerText();
}

test("a link holds the view: opened in a new browser it shows the same view", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.getByText(/^On the canvas/).click();
  await page.locator(".entities").getByRole("button", { name: "Iran", exact: true }).click();
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.getByRole("button", { name: "Path to here" }).click();
  await page.getByRole("checkbox", { name: "Select Abbas Araghchi" }).check();
  await page.getByRole("heading", { name: "Abbas Araghchi", level: 2 }).waitFor();
  await page.getByRole("button", { name: "Path from here" }).click();

  // A moment after the seed: the canvas is drawn again as known then.
  const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await page.getByLabel("As of").fill(at);
  await page.getByRole("button", { name: "Go" }).click();
  await page.getByText(`Showing the graph as known at ${at}`).waitFor();
  await settled(page);
  await page.getByRole("button", { name: "Find paths" }).click();
  await page.getByRole("heading", { name: /shortest paths? from Abbas Araghchi to Iran/ }).waitFor();

  // Pinned, a relation hidden, another's evidence open, a filter, the timeline with a window.
  const details = page.getByRole("region", { name: "Abbas Araghchi" });
  await details.getByRole("button", { name: "Pin" }).click();
  await details.getByRole("button", { name: "Pin", pressed: true }).waitFor();
  const relationButtons = page.locator(".relations button[data-relation]");
  const hiddenRelation = await relationButtons.nth(1).getAttribute("data-relation");
  await page.locator(".relations li").nth(1).getByRole("button", { name: /^Hide:/ }).click();
  await page.getByText("Change the filters").click();
  await page.getByRole("checkbox", { name: "allied with" }).check();
  await page.getByRole("radio", { name: "outgoing" }).check();
  await page.getByLabel("Relations per expansion").selectOption("500");
  await page.getByText("Next expansions: only allied with; outgoing, 500 at a time.").waitFor();
  await page.getByRole("button", { name: "Timeline" }).click();
  await page.locator("#timeline-first").fill("2025-06-01");
  await page.locator("#timeline-last").fill("2025-06-30");
  await page.getByText(/^From 2025-06-01 to 2025-06-30/).waitFor();
  // Last: the evidence panel covers the side panel.
  const opened1 = await relationButtons.first().getAttribute("data-relation");
  await relationButtons.first().click();
  await page.locator("#evidence-heading").filter({ hasNotText: /^Evidence$/ }).waitFor();

  // The address holds it all, written within a frame.
  await page.waitForFunction(() => location.hash.includes("window=") && location.hash.includes("evidence="));
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy link" }).click();
  await page.locator(".notice").filter({ hasText: "The link to this view is copied." }).waitFor();
  const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(link.href, page.url(), "the link copied is the page's address");
  const before = await viewOf(page);
  assert.equal(before.moment, at);
  assert.ok(before.paths.length > 0, "paths are highlighted");
  assert.deepEqual(before.selection.entities, ["araghchi", "iran"]);
  assert.deepEqual(before.marks.expanded, ["araghchi", "iran"]);
  assert.equal(before.selection.relation, opened1);
  assert.deepEqual(before.marks.hiddenRelations, [hiddenRelation]);
  assert.deepEqual(before.marks.pinned, ["araghchi"]);
  assert.deepEqual(before.openView, { view: "timeline", window: { first: "2025-06-01", last: "2025-06-30" } });
  assert.ok(before.nodes.length > 3 && before.edges.length > 2, `${before.nodes.length} entities and ${before.edges.length} relations drawn`);
  console.log(`the link of ${before.nodes.length} entities and ${before.edges.length + before.marks.hiddenRelations.length} relations is ${link.href.length} characters long`);

  const wb2 = await openWorkbench(t, { path: `${link.pathname}${link.hash}` });
  const page2 = wb2.page;
  const said = await opened(page2, /^Opened the link's view/);
  await page2.getByRole("region", { name: "Timeline" }).getByText(/^From 2025-06-01 to 2025-06-30/).waitFor();
  await page2.locator("#evidence-heading").filter({ hasText: before.evidence }).waitFor();
  const after = await viewOf(page2);
  assert.equal(await page2.getByLabel("As of").inputValue(), at, "the moment picker shows the moment");
  assert.match(said, new RegExp(`${after.nodes.length + after.marks.hidden.length} entities`));
  for (const key of ["nodes", "edges", "marks", "selection", "openView", "moment", "filter", "evidence", "paths"]) {
    assert.deepEqual(after[key], before[key], `the shared view has the same ${key}`);
  }
  assert.deepEqual(Object.keys(after.coordinates).toSorted(), Object.keys(before.coordinates).toSorted());
  for (const [id, p] of Object.entries(before.coordinates)) {
    const q = after.coordinates[id];
    assert.ok(Math.abs(p.x - q.x) <= 0.005 + 1e-9 && Math.abs(p.y - q.y) <= 0.005 + 1e-9, `${id} stands where it stood: ${JSON.stringify(p)} and ${JSON.stringify(q)}`);
  }

  // The same relations, not more: the API knows relations among these entities that the
  // expansion did not draw, and the shared view does not draw them either.
  const { between } = await query(`query($ids: [ID!]!, $asOf: Time) { between(ids: $ids, asOf: $asOf, limit: 2000) { relations { id } } }`, {
    ids: before.nodes,
    asOf: at,
  });
  const among = between.relations.map((r) => r.id);
  assert.ok(after.edges.every((e) => among.includes(e)), "every relation drawn is one the API gives among them");
  const onCanvas = before.edges.length + before.marks.hiddenRelations.length;
  assert.ok(among.length > onCanvas, `the API gives more relations among them (${among.length}) than the view drew (${onCanvas})`);
  // Where the clipboard is not allowed, the link is shown selected in a field.
  await page2.evaluate(() => Object.defineProperty(navigator, "clipboard", { value: undefined }));
  await page2.getByRole("button", { name: "Copy link" }).click();
  const field = page2.getByLabel("Link to this view");
  await field.waitFor();
  assert.equal(await field.inputValue(), page2.url());
  assert.equal(await field.evaluate((f) => document.activeElement === f && f.selectionStart === 0 && f.selectionEnd === f.value.length), true, "the link is selected");
  assert.equal(new URL(page2.url()).hash, link.hash, "the reopened view writes the same address");
  await wb2.checkView("shared-view");
  wb.assertClean();
  wb2.assertClean();
});

test("a malformed or hostile link opens an empty canvas with a notice, and unknown ids are left out", async (t) => {
  const wb = await openWorkbench(t, { path: "/#garbage%00<script>alert(1)</script>" });
  const { page } = wb;
  await opened(page, /^This link's view could not be read/);
  assert.deepEqual(await drawn(page), { nodes: [], edges: [] });

  const paste = async (fragment, pattern) => {
    await page.evaluate((f) => (location.hash = f), fragment);
    return opened(page, pattern);
  };
  const many = Array.from({ length: 10_000 }, (_, i) => `nobody-${i}`).join(",");
  const said = await paste(`v=1&ids=${many}`, /^Opened the link's view/);
  assert.match(said, /9,?500 entities beyond the 500/);
  assert.match(said, /500 entities not known now left out/);
  assert.deepEqual(await drawn(page), { nodes: [], edges: [] });

  for (const bad of [`v=1&ids=${"a".repeat(200_001)}`, "v=1&ids=Araghchi;drop", "v=1&ids=araghchi&xy=1,NaN", "v=1&ids=araghchi&pinned=7", "v=1&view=../../etc", "v=1&asOf=yesterday", "v=1&size=7", "v=3&ids=araghchi", "v=2&ids=araghchi&expanded=0", "v=2&ids=araghchi&expanded=0&filters=NOT_A_TYPE~~~~&expansions=0~1~0", "v=2&ids=araghchi&expanded=0&filters=~~~~&expansions=1~1~0", "v=2&ids=araghchi&expanded=0&filters=~~noon~~&expansions=0~1~0"]) {
    await paste(bad, /^This link's view could not be read/);
    assert.deepEqual(await drawn(page), { nodes: [], edges: [] }, `${bad.slice(0, 40)} draws nothing`);
  }

  const mixed = await paste("v=1&ids=araghchi,nobody-at-all&rels=rel:0123456789abcdef0123&entity=araghchi", /^Opened the link's view/);
  assert.match(mixed, /1 entity not known now left out/);
  assert.match(mixed, /1 relation not found among them left out/);
  assert.deepEqual(await drawn(page), { nodes: ["araghchi"], edges: [] });
  assert.equal((await page.evaluate(() => window.__eventgraph.selection())).entity, "araghchi");
  await paste("v=1&ids=araghchi&rels=rel:not-hex", /^This link's view could not be read/);
  assert.deepEqual(await drawn(page), { nodes: [], edges: [] }, "a malformed link empties the canvas drawn before");
  wb.assertClean();
});

test("where reads need a token, a link's view opens once signed in", async (t) => {
  const { between } = await query(`{ between(ids: ["araghchi", "iran"]) { relations { id } } }`, {}, { url: tokensURL, token: readerToken });
  const ids = between.relations.map((r) => r.id);
  assert.ok(ids.length > 0);
  const wb = await openWorkbench(t, { url: tokensURL, signingIn: true, path: `/#v=1&ids=araghchi,iran&rels=${ids.join(",")}&entity=araghchi` });
  const { page } = wb;
  await page.getByLabel("Bearer token").fill(readerToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await opened(page, /^Opened the link's view: 2 entities/);
  assert.deepEqual(await drawn(page), { nodes: ["araghchi", "iran"], edges: ids });
  assert.equal((await page.evaluate(() => window.__eventgraph.selection())).entity, "araghchi");
  wb.assertClean();
});

/** The hub's relations under a filter as the API pages them: n after cursor, their ids, where they end and the total. */
async function hubPage(filter, n, after = null) {
  const { node } = await query(
    `query($types: [RelationType!], $direction: Direction, $n: Int, $after: String) {
      node(id: "hub") { ... on Entity { relations(types: $types, direction: $direction, first: $n, after: $after) { totalCount pageInfo { endCursor } nodes { id } } } }
    }`,
    { ...filter, n, after },
  );
  const r = node.relations;
  return { ids: r.nodes.map((x) => x.id), end: r.pageInfo.endCursor, total: r.totalCount };
}

/** What the side panel says of the selected entity's paging: "N of M relations shown", "Show next K" and what is not drawn, by type. */
function paging(page) {
  return page.locator(".more").innerText();
}

test("a link holds each expansion's filter and how far it was paged: opened anew, Show next goes on where it stopped", async (t) => {
  const size = 150;
  const filter = { types: ["ALLIED_WITH"], direction: "OUT" };
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.getByText("Change the filters").click();
  await page.getByRole("checkbox", { name: "allied with" }).check();
  await page.getByRole("radio", { name: "outgoing" }).check();
  // "/" goes to the search box from anywhere but a form field.
  await page.evaluate(() => document.activeElement.blur());
  await searchAndPick(page, "Hub alliance", "Hub alliance");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.getByRole("button", { name: `Show next ${size}` }).click();
  await settled(page);
  // The next expansions fetch everything again: the hub keeps the filter it was expanded with.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByText("Next expansions fetch every relation, 150 at a time.").waitFor();

  const first = await hubPage(filter, 2 * size);
  assert.ok(first.total > 3 * size, `the hub has ${first.total} outgoing alliances`);
  await page.getByText(`${2 * size} of ${first.total} relations shown.`, { exact: true }).waitFor();
  await page.getByRole("list", { name: "Not drawn, by type" }).getByText(`ALLIED_WITH: ${first.total - 2 * size} more`).waitFor();
  const expansions = (p) => p.evaluate(() => ({ hub: window.__eventgraph.expansion("hub"), araghchi: window.__eventgraph.expansion("araghchi") }));
  const before = { ...(await drawn(page)), expansions: await expansions(page), paging: await paging(page) };
  assert.deepEqual(before.expansions.hub, { filter: { ...filter, from: "", to: "" }, includedRetracted: false, fetched: 2 * size, total: first.total, more: true });
  assert.deepEqual(before.expansions.araghchi.filter, { types: [], direction: "BOTH", from: "", to: "" });
  assert.equal(before.expansions.araghchi.more, false);
  assert.ok(first.ids.every((id) => before.edges.includes(id)), "the hub's first two pages are drawn");

  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy link" }).click();
  await page.locator(".notice").filter({ hasText: "The link to this view is copied." }).waitFor();
  const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  assert.match(link.hash, /^#v=2&/);
  console.log(`the link of ${before.nodes.length} entities, two expanded, and ${before.edges.length} relations is ${link.href.length} characters long`);

  const wb2 = await openWorkbench(t, { path: `${link.pathname}${link.hash}` });
  const page2 = wb2.page;
  await opened(page2, /^Opened the link's view/);
  await page2.getByRole("list", { name: "Not drawn, by type" }).waitFor();
  const after = { ...(await drawn(page2)), expansions: await expansions(page2), paging: await paging(page2) };
  assert.deepEqual(after.nodes.toSorted(), before.nodes.toSorted(), "the same entities");
  assert.deepEqual(after.edges.toSorted(), before.edges.toSorted(), "the same relations");
  assert.deepEqual(after.expansions, before.expansions, "each entity expanded as it was, filter and paging");
  assert.equal(after.paging, before.paging, "the side panel says the same of the hub's paging");
  await page2.getByText(`${2 * size} of ${first.total} relations shown.`, { exact: true }).waitFor();
  await page2.getByText("Next expansions fetch every relation, 150 at a time.").waitFor();

  // Show next: the API's next page under the hub's filter, after the two drawn.
  const next = await hubPage(filter, size, first.end);
  assert.equal(next.ids.length, size);
  await page2.getByRole("button", { name: `Show next ${size}` }).click();
  await settled(page2);
  const more = await drawn(page2);
  assert.deepEqual(more.edges.filter((e) => !before.edges.includes(e)).toSorted(), next.ids.toSorted(), "Show next draws the API's next page under the hub's filter");
  assert.equal(more.edges.length, before.edges.length + size);
  await page2.getByText(`${3 * size} of ${first.total} relations shown.`, { exact: true }).waitFor();
  await page2.getByRole("list", { name: "Not drawn, by type" }).getByText(`ALLIED_WITH: ${first.total - 3 * size} more`).waitFor();
  wb.assertClean();
  wb2.assertClean();
});

test("a link made before links held expansions still opens: its expanded entities count the relations drawn at them", async (t) => {
  const { between } = await query(`{ between(ids: ["araghchi", "iran"]) { relations { id } } }`);
  const ids = between.relations.map((r) => r.id);
  assert.ok(ids.length > 0);
  const wb = await openWorkbench(t, { path: `/#v=1&ids=araghchi,iran&expanded=0&rels=${ids.join(",")}&entity=araghchi&types=ALLIED_WITH&direction=OUT` });
  const { page } = wb;
  await opened(page, /^Opened the link's view: 2 entities/);
  assert.deepEqual(await drawn(page), { nodes: ["araghchi", "iran"], edges: ids });
  assert.deepEqual(await page.evaluate(() => [window.__eventgraph.expansion("araghchi"), window.__eventgraph.expansion("iran")]), [
    { filter: { types: ["ALLIED_WITH"], direction: "OUT", from: "", to: "" }, includedRetracted: false, fetched: ids.length, total: ids.length, more: false },
    null,
  ]);
  assert.equal(await page.locator(".more").count(), 0, "no next page");
  await page.waitForFunction(() => location.hash.startsWith("#v=2&"));
  assert.match(page.url(), /&expansions=0~\d+~0(&|$)/, "the view is written in the form of today");
  wb.assertClean();
});
