import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, openWorkbench, query, resultsOf, typeSearch } from "./workbench.mjs";

test("a misspelt name, typed after /, reaches Abbas Araghchi and Enter puts him on the canvas", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search-input", "/ focuses the search box");
  await page.keyboard.type("Araghchy", { delay: 40 });
  await resultsOf(page, "Araghchy");
  const first = page.getByRole("listbox", { name: "Search results" }).getByRole("option").first();
  assert.match(await first.innerText(), /^Abbas Araghchi/);
  assert.equal(await first.getAttribute("aria-selected"), "true");
  await wb.checkView("search");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.__eventgraph?.nodes().includes("araghchi"));
  assert.deepEqual((await drawn(page)).nodes, ["araghchi"]);
  await page.getByRole("heading", { name: "Abbas Araghchi" }).waitFor();
  assert.equal(await page.getByRole("listbox", { name: "Search results" }).getByRole("option").count(), 0, "picking closes the results");
  wb.assertClean();
});

test("full-text matches show the API's snippet with the searched words highlighted", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  const text = "enrichment";
  const { search } = await query(
    `query($t: String!) { search(text: $t, kinds: [ACTOR, PLACE, EVENT, TOPIC], first: 12) {
      edges { snippet highlights { start end } node { ... on Entity { name } } } } }`,
    { t: text },
  );
  const hit = search.edges.find((e) => e.highlights.length > 0 && e.snippet !== e.node.name);
  assert.ok(hit, `the seed has a full-text match for ${text}`);
  await typeSearch(page, text);
  const option = page.getByRole("option", { name: new RegExp(`^${hit.node.name}`) });
  await option.waitFor();
  const points = Array.from(hit.snippet);
  const want = hit.highlights.map((r) => points.slice(r.start, r.end).join(""));
  assert.deepEqual(await option.locator("mark").allInnerTexts(), want);
  await wb.checkView("search-full-text");
  wb.assertClean();
});
