import assert from "node:assert/strict";
import { test } from "node:test";
import { openWorkbench, query, searchAndPick, settled } from "./workbench.mjs";

test("a relation's evidence shows each quote highlighted in its source text at its code point offsets", async (t) => {
  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  // The keyboard's way: the side panel's button rather than a click on the canvas.
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);

  // The relation of his with the most evidence.
  const { node } = await query(`{ node(id: "araghchi") { ... on Entity { relations(first: 100) { nodes { id evidence { id } } } } } }`);
  const chosen = node.relations.nodes.toSorted((a, b) => b.evidence.length - a.evidence.length)[0];
  const { relation } = await query(
    `query($id: ID!) { relation(id: $id) {
      type from { name } to { name }
      corroboration { sources publishers }
      evidence { id stance quote start end source { id title text } } } }`,
    { id: chosen.id },
  );
  assert.ok(relation.evidence.length > 1, "the chosen relation has several evidence records");

  await page.locator(`button[data-relation="${chosen.id}"]`).click();
  const title = `${relation.from.name} ${relation.type.toLowerCase().replaceAll("_", " ")} ${relation.to.name}`;
  const panel = page.getByRole("region", { name: title });
  await panel.waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".evidence blockquote.in-source mark").length > 0);
  await page.waitForFunction(() => !document.querySelector(".evidence")?.textContent?.includes("Loading"));

  const supporting = relation.evidence.filter((e) => e.stance !== "DISPUTES");
  const disputing = relation.evidence.filter((e) => e.stance === "DISPUTES");
  await panel.getByRole("heading", { name: `Supporting (${supporting.length})` }).waitFor();
  await panel.getByRole("heading", { name: `Disputing (${disputing.length})` }).waitFor();
  for (const e of relation.evidence) {
    assert.notEqual(e.start, null, `evidence ${e.id} has offsets`);
    const atOffsets = Array.from(e.source.text).slice(e.start, e.end).join("");
    assert.equal(atOffsets, e.quote, `the API's offsets of ${e.id} hold its quote`);
    const marked = await panel.locator(`li[data-evidence="${e.id}"] blockquote mark`).innerText();
    assert.equal(marked, atOffsets, `the highlighted text of ${e.id} is the source text at its offsets`);
    await panel.locator(`li[data-evidence="${e.id}"]`).getByText(e.source.title, { exact: true }).waitFor();
  }
  const plural = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  await panel.getByText(`${plural(relation.corroboration.sources, "source")}, ${plural(relation.corroboration.publishers, "publisher")}`).waitFor();
  await wb.checkView("evidence");

  await page.keyboard.press("Escape");
  await panel.waitFor({ state: "detached" });
  wb.assertClean();
});

test("disputing evidence marks the relation contested and shows beside the supporting, placed by code points", async (t) => {
  // A source whose text holds characters outside the Basic Multilingual Plane before the
  // quote, so its code point offsets differ from JavaScript's UTF-16 indexes.
  const text = "🇮🇷 A statement posted as 𝕏 thread: Araghchi does not represent Iran in these talks, the account says.";
  const quote = "Araghchi does not represent Iran in these talks";
  const { node } = await query(`{ node(id: "araghchi") { ... on Entity { relations(types: [REPRESENTS], direction: OUT) { nodes { id to { name } } } } } }`);
  const represents = node.relations.nodes[0];
  const { addEvidence } = await query(
    `mutation($text: String!, $subject: ID!, $quote: String!) {
      upsertSource(input: { id: "workbench-test-rebuttal", title: "A rebuttal in a thread", text: $text }) { id }
      addEvidence(subject: $subject, evidence: [{ source: "workbench-test-rebuttal", quote: $quote, stance: DISPUTES, confidence: 0.4, credibility: 4 }]) { id start end }
    }`,
    { text, subject: represents.id, quote },
  );
  const [disputing] = addEvidence;
  assert.notEqual(text.indexOf(quote), disputing.start, "the test text puts UTF-16 indexes and code point offsets apart");
  assert.equal(Array.from(text).slice(disputing.start, disputing.end).join(""), quote);

  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  const button = page.locator(`button[data-relation="${represents.id}"]`);
  assert.match(await button.innerText(), /contested/);
  await page.getByText("contested (some evidence disputes it)").waitFor();

  await button.click();
  const panel = page.getByRole("region", { name: `Abbas Araghchi represents ${represents.to.name}` });
  const column = panel.getByRole("region", { name: "Disputing (1)" });
  await column.waitFor();
  const mark = column.locator(`li[data-evidence="${disputing.id}"] blockquote mark`);
  await page.waitForFunction(() => !document.querySelector(".evidence")?.textContent?.includes("Loading"));
  assert.equal(await mark.innerText(), quote);
  assert.equal(await column.locator("blockquote").innerText(), text);
  await panel.getByText("yes: some evidence disputes it").waitFor();
  await wb.checkView("evidence-contested");
  await page.keyboard.press("Escape");
  await panel.waitFor({ state: "detached" });
  wb.assertClean();
});

test("the claim's history lists every version of the relation and its evidence, with authors, as the API keeps them", async (t) => {
  const { node } = await query(`{ node(id: "araghchi") { ... on Entity { relations(types: [REPRESENTS], direction: OUT) { nodes { id type to { name } evidence { id } } } } } }`);
  const represents = node.relations.nodes[0];
  const evidenceId = represents.evidence[0].id;
  // A later version of one evidence record: its credibility graded.
  await query(`mutation($s: ID!, $e: ID!) { setCredibility(subject: $s, evidence: $e, credibility: 2) { id } }`, { s: represents.id, e: evidenceId });
  const ids = [represents.id, ...represents.evidence.map((e) => e.id)];
  const expected = [];
  for (const id of ids) {
    const { history } = await query(`query($id: ID!) { history(id: $id) { at author change changed } }`, { id });
    expected.push(...history.map((v) => ({ ...v, record: id })));
  }
  expected.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const updated = expected.find((v) => v.record === evidenceId && v.change === "UPDATED");
  assert.ok(updated?.changed.includes("credibility"), "the API keeps the grading as a version of the evidence record");

  const wb = await openWorkbench(t);
  const { page } = wb;
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  await page.locator(`button[data-relation="${represents.id}"]`).first().click();
  await page.getByText("History of the claim and its evidence").click();
  const versions = page.locator(".history .versions li");
  await versions.first().waitFor();
  const shown = await versions.evaluateAll((els) => els.map((e) => ({ record: e.dataset.record, text: e.textContent })));
  assert.deepEqual(shown.map((v) => v.record), expected.map((v) => v.record), "every version of the relation and of its evidence, oldest first");
  shown.forEach((v, i) => {
    assert.ok(v.text.startsWith(`${expected[i].at} ${expected[i].author}: ${expected[i].change.toLowerCase()}`), `version ${i}: ${v.text}`);
  });
  assert.match(shown.at(-1).text, /updated evidence from .*\(.*credibility.*\)/);
  await wb.checkView("evidence-history");
  wb.assertClean();
});
