import assert from "node:assert/strict";
import { test } from "node:test";
import { drawn, editorToken, openWorkbench, query, readerToken, searchAndPick, searchReady, settled, tokensURL } from "./workbench.mjs";

const asReader = { url: tokensURL, token: readerToken };
const asEditor = { url: tokensURL, token: editorToken };

/** Opens the workbench on the server that needs tokens and signs in with token. */
async function signIn(t, token) {
  const wb = await openWorkbench(t, { url: tokensURL, signingIn: true });
  const { page } = wb;
  await page.getByLabel("Bearer token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await searchReady(page);
  return wb;
}

test("without a token the workbench asks for one, and refuses a wrong one clearly", async (t) => {
  const wb = await openWorkbench(t, { url: tokensURL, signingIn: true });
  const { page } = wb;
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  const field = page.getByLabel("Bearer token");
  await field.waitFor();
  assert.equal(await page.getByRole("combobox", { name: "Search" }).count(), 0, "no search before signing in");
  await wb.checkView("signin");

  await field.fill("not-a-token-of-this-server");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /does not know that token/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("eventgraph.token")), null, "a refused token is not kept");
  await page.getByLabel("Bearer token").waitFor();
  wb.assertClean();
});

test("a reader sees the graph and no editing action", async (t) => {
  const wb = await signIn(t, readerToken);
  const { page } = wb;
  await page.getByText("Signed in as Rita Reader (reader, read only)").waitFor();
  const { viewer } = await query(`{ viewer { name role canWrite } }`, {}, asReader);
  assert.deepEqual(viewer, { name: "Rita Reader", role: "READER", canWrite: false });

  // The subscription's WebSocket, which cannot carry headers, signs in with the token too.
  await page.waitForFunction(() => window.__eventgraph?.live() === "live");
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  const { neighbourhood } = await query(`{ neighbourhood(id: "araghchi", limit: 150) { relations { id } } }`, {}, asReader);
  assert.deepEqual((await drawn(page)).edges.toSorted(), neighbourhood.relations.map((r) => r.id).toSorted());

  // The token goes with every request, and stays for the tab: a reload keeps the session,
  // and the view, which the address holds.
  await page.reload();
  await page.getByText("Signed in as Rita Reader (reader, read only)").waitFor();
  await searchReady(page);
  await page.locator(".notice").filter({ hasText: /^Opened the link's view/ }).waitFor();
  await settled(page);
  assert.deepEqual((await drawn(page)).edges.toSorted(), neighbourhood.relations.map((r) => r.id).toSorted());
  await page.locator(`button[data-relation="${neighbourhood.relations[0].id}"]`).click();
  await page.locator(".evidence blockquote mark").first().waitFor();
  assert.equal(await page.getByRole("button", { name: /retract/i }).count(), 0, "a reader is offered no retraction");
  await wb.checkView("signin-reader");

  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Bearer token").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("eventgraph.token")), null);
  wb.assertClean();
});

test("an editor retracts a relation with a reason: it leaves the canvas and the API's answers", async (t) => {
  const wb = await signIn(t, editorToken);
  const { page } = wb;
  await page.getByText("Signed in as Ed Editor (editor, may edit)").waitFor();
  await searchAndPick(page, "Araghchi", "Abbas Araghchi");
  await page.getByRole("button", { name: "Expand neighbourhood" }).click();
  await settled(page);
  const before = await query(`{ neighbourhood(id: "araghchi", limit: 150) { relations { id } } }`, {}, asEditor);
  const target = before.neighbourhood.relations[0].id;
  assert.ok((await drawn(page)).edges.includes(target));

  await page.locator(`button[data-relation="${target}"]`).click();
  await page.getByRole("button", { name: "Retract this relation" }).click();
  await page.getByLabel(/^Why retract/).fill("misread the source");
  await wb.checkView("signin-editor-retract");
  await page.getByRole("button", { name: "Retract", exact: true }).click();
  await page.locator(".evidence").waitFor({ state: "detached" });
  await page.waitForFunction((id) => !window.__eventgraph.edges().includes(id), target);

  const after = await query(
    `query($id: ID!) { neighbourhood(id: "araghchi", limit: 150) { relations { id } } relation(id: $id) { retracted { reason author } } }`,
    { id: target },
    asEditor,
  );
  assert.ok(!after.neighbourhood.relations.some((r) => r.id === target), "the API no longer answers the retracted relation");
  assert.deepEqual(after.relation.retracted, { reason: "misread the source", author: "Ed Editor" });
  assert.deepEqual((await drawn(page)).edges.toSorted(), after.neighbourhood.relations.map((r) => r.id).toSorted());
  wb.assertClean();
});
