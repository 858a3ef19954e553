import assert from "node:assert/strict";
import { test } from "node:test";
import { openWorkbench, query } from "./workbench.mjs";

const stanceLabel = (s) => s.toLowerCase().replaceAll("_", " ");

test("the stance matrix shows the API's stances by topic and actor, marks conflicts, and a cell opens its evidence", async (t) => {
  const { stances } = await query(`{ stances { rows {
    topic { id name }
    cells { actor { id name } positions { id stance evidence { id quote source { title } } } }
    conflicts { a { id } b { id } } } } }`);
  const rows = stances.rows;
  const missiles = rows.find((r) => /missile/i.test(r.topic.name));
  assert.ok(missiles, "the seed has a topic about missiles");
  assert.ok(missiles.conflicts.length > 0, "the API marks a conflict on the missiles");
  const actors = [...new Map(rows.flatMap((r) => r.cells.map((c) => [c.actor.id, c.actor.name]))).entries()].toSorted(([a], [b]) => (a < b ? -1 : 1));

  const wb = await openWorkbench(t);
  const { page } = wb;
  await page.getByRole("button", { name: "Stance matrix" }).click();
  const view = page.getByRole("region", { name: "Stance matrix" });
  const table = view.getByRole("table");
  await table.waitFor();

  // The columns are every actor with a position; every cell is the API's.
  const headers = await table.locator("thead th").allInnerTexts();
  assert.deepEqual(headers, ["Topic", ...actors.map(([, name]) => name)]);
  assert.deepEqual(await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.topic)), rows.map((r) => r.topic.id));
  for (const row of rows) {
    const inConflict = new Set(row.conflicts.flatMap(({ a, b }) => [a.id, b.id]));
    for (const [actor] of actors) {
      const cell = table.locator(`tr[data-topic="${row.topic.id}"] td[data-actor="${actor}"]`);
      const positions = row.cells.find((c) => c.actor.id === actor)?.positions ?? [];
      const want = positions.length ? positions.map((p) => stanceLabel(p.stance)).join(", ") : "no position";
      const shown = positions.length ? await cell.locator(".stance").innerText() : await cell.innerText();
      assert.equal(shown, want, `${row.topic.id} × ${actor}`);
      const conflicted = positions.some((p) => inConflict.has(p.id));
      assert.equal(await cell.evaluate((td) => td.classList.contains("conflict")), conflicted, `${row.topic.id} × ${actor} is highlighted exactly when in conflict`);
      assert.equal(await cell.getByText("conflict", { exact: true }).count(), conflicted ? 1 : 0, `${row.topic.id} × ${actor} says "conflict" in words exactly when in conflict`);
    }
  }

  // The missiles: both sides of the conflict highlighted, and the row says so.
  const missilesRow = table.locator(`tr[data-topic="${missiles.topic.id}"]`);
  await missilesRow.getByRole("rowheader").getByText(/^\d+ conflicts?$/).waitFor();
  const sides = missiles.cells.filter((c) => c.positions.some((p) => missiles.conflicts.some(({ a, b }) => a.id === p.id || b.id === p.id)));
  assert.ok(sides.length >= 2, "two actors are opposed on the missiles");
  for (const side of sides) {
    const cell = missilesRow.locator(`td[data-actor="${side.actor.id}"]`);
    assert.equal(await cell.evaluate((td) => getComputedStyle(td).outlineStyle), "dashed", `${side.actor.name}'s cell is drawn highlighted`);
  }
  await wb.checkView("stance-matrix");

  // Opening a side's cell shows its positions' evidence quotes and sources.
  const [side] = sides;
  const button = missilesRow.locator(`td[data-actor="${side.actor.id}"] button`);
  await button.click();
  const detail = view.getByRole("region", { name: `${side.actor.name} on ${missiles.topic.name}` });
  await detail.waitFor();
  const other = sides.find((s) => s !== side);
  await detail.getByText(new RegExp(`${other.actor.name} ${stanceLabel(other.positions[0].stance)}`)).first().waitFor();
  await page.waitForFunction(() => !document.querySelector(".stance-detail")?.textContent?.includes("Loading"));
  for (const p of side.positions) {
    assert.ok(p.evidence.length > 0, `position ${p.id} has evidence`);
    const position = detail.locator(`article[data-position="${p.id}"]`);
    for (const e of p.evidence) {
      const record = position.locator(`li[data-evidence="${e.id}"]`);
      assert.equal(await record.locator("blockquote mark").innerText(), e.quote, `evidence ${e.id} shows its quote`);
      await record.getByText(e.source.title, { exact: true }).waitFor();
    }
  }
  await wb.checkView("stance-matrix-evidence");

  // Escape closes the cell's evidence and hands the focus back to the cell, then the view.
  await page.keyboard.press("Escape");
  await detail.waitFor({ state: "detached" });
  assert.equal(await button.evaluate((b) => b === document.activeElement), true, "the focus is back on the cell");
  await page.keyboard.press("Escape");
  await view.waitFor({ state: "detached" });
  wb.assertClean();
});
