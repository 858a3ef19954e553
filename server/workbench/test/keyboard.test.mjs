import assert from "node:assert/strict";
import { test } from "node:test";
import { openWorkbench, settled, typeSearch } from "./workbench.mjs";

/** The focused element's text, label and relation, for assertions. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      text: el?.textContent?.trim(),
      label: el?.getAttribute("aria-label"),
      relation: el?.getAttribute("data-relation"),
    };
  });
}

test("the keyboard alone searches, expands, opens evidence and closes it", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await typeSearch(page, "Araghchy");
  assert.equal(await page.locator("#search-hit-0 .hit-name").innerText(), "Abbas Araghchi");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Abbas Araghchi" }).waitFor();

  // Tab leaves the search box for the header's controls and links, the canvas's export
  // buttons, then the side panel's button.
  let at;
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    at = await focused(page);
    if (at.text === "Expand neighbourhood") break;
  }
  assert.equal(at.text, "Expand neighbourhood", "Tab reaches the expand button");
  await page.keyboard.press("Enter");
  await settled(page);
  await page.getByRole("list", { name: /^Relations on the canvas/ }).getByRole("button").first().waitFor();

  // Past the path ends and what can be done to the entity (pin, collapse, hide, remove).
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    at = await focused(page);
    if (at.relation) break;
  }
  assert.ok(at.relation, "Tab reaches the first relation");
  const relation = at.relation;
  await page.keyboard.press("Enter");
  const close = page.getByRole("button", { name: "Close the evidence panel (Escape)" });
  await close.waitFor();
  assert.equal((await focused(page)).label, "Close the evidence panel (Escape)", "the panel takes the focus");
  await page.keyboard.press("Escape");
  await close.waitFor({ state: "detached" });
  assert.equal((await focused(page)).relation, relation, "closing gives the focus back to the relation");
  wb.assertClean();
});
