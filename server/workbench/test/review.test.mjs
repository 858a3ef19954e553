import assert from "node:assert/strict";
import { test } from "node:test";
import { editorToken, openWorkbench, query, readerToken, searchReady, tokensURL } from "./workbench.mjs";

// On the server with tokens, whose store the other tests' expectations do not share.
const asEditor = { url: tokensURL, token: editorToken };

const text =
  "ROME (Tiber Wire) — Italian Foreign Minister Antonio Tajani met Abbas Araghchi in Rome on Saturday. Italy will host the next round.\n\n" +
  "Abbas Araghchi attended the US-Iran talks in Muscat, which Oman mediated. US President Donald Trumpp welcomed the meeting.\n\n" +
  "Iran has ruled out any limits on its ballistic missile programme.";

/** Opens the workbench on the server that needs tokens and signs in with token. */
async function signIn(t, token) {
  const wb = await openWorkbench(t, { url: tokensURL, signingIn: true });
  const { page } = wb;
  await page.getByLabel("Bearer token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await searchReady(page);
  return wb;
}

/** The queue's current row. */
function currentRow(page) {
  return page.locator(".review-row[aria-current='true']");
}

/** Presses key until the current row reads like pattern (at most 16 times), then the other way. */
async function moveTo(page, key, pattern) {
  for (const k of [key, key === "j" ? "k" : "j"]) {
    for (let i = 0; i < 16; i++) {
      if (pattern.test(await currentRow(page).innerText())) return;
      await page.keyboard.press(k);
    }
  }
  assert.fail(`no row of the queue reads like ${pattern}`);
}

/**
 * Selects, with the mouse, length characters of the article's text from index at (UTF-16,
 * as the test's text holds no character outside the Basic Multilingual Plane): pressed
 * on the first character's left edge, released on the last one's right. The article is
 * scrolled into view first: a long queue beside it may have scrolled it away.
 */
async function selectWords(page, at, length) {
  await page.locator(".review-text").scrollIntoViewIfNeeded();
  const box = await page.evaluate(
    ([at, length]) => {
      const root = document.querySelector(".review-text");
      const place = (index) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
          if (index < node.data.length) return [node, index];
          index -= node.data.length;
        }
        throw new Error("past the text");
      };
      const rect = (index) => {
        const r = document.createRange();
        const [node, offset] = place(index);
        r.setStart(node, offset);
        r.setEnd(node, offset + 1);
        return r.getBoundingClientRect();
      };
      const [first, last] = [rect(at), rect(at + length - 1)];
      return { x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right, y1: last.top + last.height / 2 };
    },
    [at, length],
  );
  await page.mouse.move(box.x0, box.y0);
  await page.mouse.down();
  await page.mouse.move(box.x1, box.y1, { steps: 8 });
  await page.mouse.up();
}

async function status(kind, id) {
  const field = kind === "candidate" ? "candidates" : "proposals";
  const statuses = kind === "candidate" ? ["PENDING", "ACCEPTED", "REJECTED"] : ["PENDING", "ACCEPTED", "MERGED", "REJECTED"];
  for (const s of statuses) {
    const data = await query(`query($s: ${kind === "candidate" ? "CandidateStatus" : "ProposalStatus"}) { ${field}(status: $s, first: 500) { nodes { id } } }`, { s }, asEditor);
    if (data[field].nodes.some((n) => n.id === id)) return s;
  }
  return null;
}

test("an editor works through an article's queue by keyboard and mouse", async (t) => {
  const { ingest } = await query(
    `mutation($a: ArticleInput!) { ingest(article: $a) {
      source { id }
      mentions { start end quote subject { id ... on Entity { name } } }
      candidates { id quote start end suggestedType confidence from { id } to { id } fromProposal { name } toProposal { name } }
      proposals { id name sameAs { id } }
    } }`,
    { a: { title: "Tajani meets Araghchi in Rome", url: "https://tiber.example/tajani-araghchi", text } },
    asEditor,
  );
  const source = ingest.source.id;
  const proposal = (name) => ingest.proposals.find((p) => p.name === name);
  assert.ok(proposal("Antonio Tajani") && proposal("Italy") && proposal("Donald Trumpp"), "ingestion proposes the new names");
  assert.deepEqual(proposal("Donald Trumpp").sameAs, [{ id: "trump" }], "the misspelt name is named alike to Donald Trump");
  const represents = ingest.candidates.find((c) => c.toProposal?.name === "Italy");
  const attended = ingest.candidates.find((c) => c.from?.id === "araghchi" && c.to?.id === "muscat-talks");
  const mediated = ingest.candidates.find((c) => c.from?.id === "oman" && c.to?.id === "muscat-talks");
  assert.ok(represents && attended && mediated, "ingestion proposes the title's and the participations' relations");

  const wb = await signIn(t, editorToken);
  const { page } = wb;
  await page.getByRole("button", { name: "Review" }).click();
  const desk = page.locator("#view-review");
  await desk.getByLabel("Article").selectOption(source);
  await desk.locator(".review-text").waitFor();

  // Every mention the API records is highlighted with its entity; nested ones ("US" in
  // the talks' name) by the innermost name.
  const mentions = ingest.mentions.filter((m) => !ingest.mentions.some((o) => o !== m && m.start <= o.start && o.end <= m.end));
  for (const m of mentions) {
    const mark = desk.locator(`.review-text mark.mention[data-start="${m.start}"]`);
    assert.equal(await mark.getAttribute("data-entity"), m.subject.name);
    assert.equal(await mark.innerText(), m.quote);
  }
  const proposed = await desk.locator(".review-text mark.proposed").allInnerTexts();
  for (const name of ["ROME", "Antonio Tajani", "Rome", "Italy", "Donald Trumpp"]) assert.ok(proposed.includes(name), `${name} is highlighted as proposed`);
  // The legend's button of an entity, focused, outlines exactly its mentions.
  await desk.getByRole("button", { name: "Abbas Araghchi ×2" }).focus();
  const lit = await desk.locator(".review-text mark.lit").evaluateAll((ms) => ms.map((m) => Number(m.dataset.start)));
  assert.deepEqual(lit, mentions.filter((m) => m.subject.id === "araghchi").map((m) => m.start));

  // The first candidate is current; its sentence is highlighted, and its proposed ends are said.
  assert.match(await currentRow(page).innerText(), /represents Antonio Tajani \(proposed\) → Italy \(proposed\)/);
  assert.ok(represents.confidence > 0 && represents.confidence <= 1, `the candidate's confidence ${represents.confidence} is in (0, 1]`);
  assert.match(await currentRow(page).innerText(), new RegExp(`· ${Math.round(represents.confidence * 100)}% likely`), "the row says how likely the candidate is");
  assert.equal((await desk.locator(".review-text .in-sentence").allInnerTexts()).join(""), represents.quote);
  await desk.getByText("Antonio Tajani is a proposed entity, not in the graph yet").waitFor();
  await wb.checkView("review");

  // Accepting with its proposed ends pending is refused beside it.
  await currentRow(page).focus();
  await page.keyboard.press("a");
  await desk.getByRole("alert").filter({ hasText: "Accept or merge the proposed Antonio Tajani and Italy first." }).waitFor();

  // The proposals first: Tajani with the mouse, as proposed; Italy by key, from its row.
  await desk.getByRole("button", { name: "Accept Antonio Tajani as proposed" }).click();
  await page.locator(".notice").filter({ hasText: "Accepted Antonio Tajani as a new actor." }).waitFor();
  await desk.getByRole("button", { name: "Review Italy" }).click();
  assert.match(await currentRow(page).innerText(), /proposed state Italy/);
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-current") === "true");
  await page.keyboard.press("a");
  await page.locator(".notice").filter({ hasText: "Accepted Italy as a new actor." }).waitFor();
  assert.equal(await status("proposal", proposal("Antonio Tajani").id), "ACCEPTED");
  assert.equal(await status("proposal", proposal("Italy").id), "ACCEPTED");

  // The candidate's ends are entities now. Swapped, the server refuses the direction,
  // and says so beside the candidate, which stays pending.
  await moveTo(page, "k", /represents Antonio Tajani → Italy/);
  await page.keyboard.press("s");
  assert.match(await currentRow(page).innerText(), /represents Italy → Antonio Tajani/);
  await page.keyboard.press("a");
  const refused = desk.locator(".review-queue li.current [role='alert']");
  await refused.filter({ hasText: /^Refused \((from|to)\)/ }).waitFor();
  assert.equal(await status("candidate", represents.id), "PENDING");
  await wb.checkView("review-refused");
  // The swap button, with the mouse, puts it back; accepted, it is a relation.
  await desk.getByRole("button", { name: "Swap direction (s)" }).click();
  await currentRow(page).focus();
  await page.keyboard.press("a");
  await page.locator(".notice").filter({ hasText: "Accepted: Antonio Tajani represents Italy." }).waitFor();
  const { candidates: acceptedOnes } = await query(`{ candidates(status: ACCEPTED, first: 500) { nodes { id relation { id type from { name } to { name } } } } }`, {}, asEditor);
  const accepted = acceptedOnes.nodes.find((c) => c.id === represents.id);
  assert.deepEqual(
    { type: accepted.relation.type, from: accepted.relation.from.name, to: accepted.relation.to.name },
    { type: "REPRESENTS", from: "Antonio Tajani", to: "Italy" },
  );

  // Araghchi's participation: Enter edits it (the type first), Escape goes back to its row, a accepts.
  await moveTo(page, "j", /participated in Abbas Araghchi → US-Iran talks in Muscat/);
  assert.equal((await desk.locator(".review-text .in-sentence").allInnerTexts()).join(""), attended.quote, "the current candidate's sentence is highlighted");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.tagName === "SELECT" && document.activeElement.closest(".review-editor"));
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.activeElement?.classList.contains("review-row"));
  assert.ok(await page.locator("#view-review").isVisible(), "Escape inside the editor does not close the desk");
  // Its quote narrowed to the words selected in the article.
  const clause = "Abbas Araghchi attended the US-Iran talks in Muscat";
  await selectWords(page, text.indexOf(clause), clause.length);
  await desk.getByRole("button", { name: "Use the selected text as the quote" }).click();
  assert.equal(await desk.locator(".review-queue li.current").getByLabel("Quote from code point").inputValue(), String(text.indexOf(clause)));
  assert.equal((await desk.locator(".review-text .in-sentence").allInnerTexts()).join(""), clause, "the sentence highlighted follows the quote");
  await currentRow(page).focus();
  await page.keyboard.press("a");
  await page.locator(".notice").filter({ hasText: "Accepted: Abbas Araghchi participated in US-Iran talks in Muscat." }).waitFor();
  assert.equal(await status("candidate", attended.id), "ACCEPTED");
  const { node: talks } = await query(
    `{ node(id: "araghchi") { ... on Entity { relations(types: [PARTICIPATED_IN], direction: OUT) { nodes { to { id } evidence { quote source { id } } } } } } }`,
    {},
    asEditor,
  );
  const participation = talks.relations.nodes.find((r) => r.to.id === "muscat-talks");
  assert.ok(participation.evidence.some((e) => e.source.id === source && e.quote === clause), "the relation's evidence is the words selected");

  // Oman's mediation: r asks a reason, Enter rejects.
  await moveTo(page, "j", /Oman → US-Iran talks in Muscat as mediator/);
  await page.keyboard.press("r");
  await page.getByLabel("Why reject this candidate?").waitFor();
  await page.keyboard.type("recorded from another source already");
  await page.keyboard.press("Enter");
  await page.locator(".notice").filter({ hasText: /^Rejected the candidate/ }).waitFor();
  const { candidates: rejectedOnes } = await query(`{ candidates(status: REJECTED, first: 500) { nodes { id reason } } }`, {}, asEditor);
  assert.equal(rejectedOnes.nodes.find((c) => c.id === mediated.id)?.reason, "recorded from another source already");

  // The misspelt Trump: the entity named alike is offered first, search finds others; merged.
  await moveTo(page, "j", /proposed person Donald Trumpp/);
  const trumpp = desk.locator(".review-queue li.current");
  await trumpp.getByLabel("Find an entity to merge into").fill("Trump");
  await trumpp.locator("ul[data-searched='Trump']").waitFor();
  assert.equal(await trumpp.getByRole("button", { name: /^Merge into/ }).first().innerText(), "Merge into Donald Trump (named alike)");
  await trumpp.getByRole("button", { name: "Merge into Donald Trump (named alike)" }).click();
  await page.locator(".notice").filter({ hasText: "Merged Donald Trumpp into Donald Trump." }).waitFor();
  assert.equal(await status("proposal", proposal("Donald Trumpp").id), "MERGED");
  const { node: trump } = await query(`{ node(id: "trump") { ... on Actor { aliases } } }`, {}, asEditor);
  assert.ok(trump.aliases.includes("Donald Trumpp"), "the merged spelling is an alias of Donald Trump");

  // Evidence by selecting words of the article with the mouse.
  const words = "Italy will host the next round.";
  await selectWords(page, text.indexOf(words), words.length);
  await desk.getByText(`Words: “${words}”`).waitFor();
  await desk.getByLabel("Evidence of").selectOption({ label: "Antonio Tajani represents Italy" });
  await desk.getByRole("button", { name: "Save as evidence" }).click();
  await page.locator(".notice").filter({ hasText: `Saved “${words}” as evidence.` }).waitFor();
  const { relation } = await query(`query($id: ID!) { relation(id: $id) { evidence { quote start end source { id } } } }`, { id: accepted.relation.id }, asEditor);
  const start = Array.from(text).join("").indexOf(words);
  const added = relation.evidence.find((e) => e.quote === words);
  assert.ok(added, "the relation has the words as evidence");
  assert.deepEqual({ source: added.source.id, start: added.start, end: added.end }, { source, start, end: start + Array.from(words).length });
  await wb.checkView("review-evidence");

  // Iran's stance, the article's last pending item: a position's candidate, accepted as a
  // position by a.
  await currentRow(page).focus();
  await moveTo(page, "j", /position: rules out Iran → /);
  const ruling = desk.locator(".review-queue li.current");
  assert.ok(await ruling.isVisible());
  await currentRow(page).focus();
  await page.keyboard.press("a");
  await page.locator(".notice").filter({ hasText: /^Accepted: Iran rules out / }).waitFor();
  const { candidates: positions } = await query(`{ candidates(status: ACCEPTED, first: 500) { nodes { suggestedStance position { holder { id } topic { id } stance } } } }`, {}, asEditor);
  assert.ok(
    positions.nodes.some((c) => c.position?.holder.id === "iran" && c.position.topic.id === "ballistic-missiles" && c.position.stance === "RULES_OUT"),
    "the candidate became Iran's position on its missiles",
  );

  wb.assertClean();
});

test("a reader sees the review queue read only", async (t) => {
  const wb = await signIn(t, readerToken);
  const { page } = wb;
  await page.getByRole("button", { name: "Review" }).click();
  await page.getByText("Read only: your token may not edit.").waitFor();
  await page.locator(".review-row").first().waitFor();
  assert.equal(await page.locator("#view-review").getByRole("button", { name: /^(Accept|Reject|Merge)/ }).count(), 0, "a reader is offered no review action");
  await page.locator(".review-row").first().click();
  await page.keyboard.press("a");
  assert.equal(await page.locator("#view-review [role='alert']").count(), 0);
  await wb.checkView("review-reader");
  wb.assertClean();
});
