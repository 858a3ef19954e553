// What every browser test needs: the workbench open in headless Chromium against the
// server at EVENTGRAPH_URL, with every console error, page error and request to an
// address other than loopback recorded, views checked with axe-core, and screenshots kept
// in EVENTGRAPH_SCREENSHOTS.
// browser_test.go starts the server and runs these tests.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { chromiumFlags, chromiumPath } from "../bench/chromium.mjs";

export const baseURL = process.env.EVENTGRAPH_URL;
if (!baseURL) throw new Error("EVENTGRAPH_URL is not set: run these tests through go test ./server/workbench");

const screenshots = process.env.EVENTGRAPH_SCREENSHOTS || join(tmpdir(), "eventgraph-workbench-screenshots");

function loopback(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/** The server where reads need a token, and a reader's and an editor's token there. */
export const tokensURL = process.env.EVENTGRAPH_TOKENS_URL;
export const readerToken = process.env.EVENTGRAPH_READER_TOKEN;
export const editorToken = process.env.EVENTGRAPH_EDITOR_TOKEN;

/** What Chromium logs as a console error for an answer 401, which a sign-in test expects. */
const unauthorized = /the server responded with a status of 401/;

/**
 * Opens the workbench in a new browser profile, closed when the test ends. The returned
 * problems list every console error, uncaught page error and non-loopback request;
 * assertClean fails the test on any. url names another server than EVENTGRAPH_URL;
 * signingIn does not wait for the search box (a sign-in form comes first), and
 * tolerates the console errors of 401 answers. webSockets, when given, is called with
 * each WebSocket the page opens (a playwright WebSocketRoute), passed on to the server.
 * path is what the page's address holds after the server's ("/#v=1&…": a shared view).
 */
export async function openWorkbench(t, { url = baseURL, path = "/", signingIn = false, webSockets } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "eventgraph-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1400, height: 900 },
  });
  t.after(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  const problems = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (loopback(url)) return route.continue();
    problems.push(`request to ${url}`);
    return route.abort();
  });
  if (webSockets) {
    await context.routeWebSocket(/./, (ws) => {
      ws.connectToServer();
      webSockets(ws);
    });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => {
    if (msg.type() === "error" && !(signingIn && unauthorized.test(msg.text()))) problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("websocket", (ws) => {
    if (!loopback(ws.url())) problems.push(`WebSocket to ${ws.url()}`);
  });
  await page.goto(`${url}${path}`);
  if (!signingIn) await searchReady(page);
  return {
    page,
    problems,
    assertClean() {
      assert.deepEqual(problems, [], "the page reported errors or reached beyond loopback");
    },
    /** Checks the view as it stands with axe-core and keeps a screenshot of it. */
    async checkView(name) {
      await assertAccessible(page);
      await mkdir(screenshots, { recursive: true });
      const path = join(screenshots, `${name}.png`);
      await page.screenshot({ path });
      console.log(`screenshot: ${path}`);
    },
  };
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core's rules on the page as it stands and fails on any serious or critical
 * violation. axe is evaluated through the DevTools protocol, which the page's CSP does
 * not govern: the page itself still loads nothing but its own files.
 */
async function assertAccessible(page) {
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
  assert.deepEqual(violations, [], "axe-core finds serious or critical violations");
}

/**
 * Asks the API directly, as any client would: the answers the views are checked against.
 * url and token ask another server, with a bearer token.
 */
export async function query(text, variables = {}, { url = baseURL, token } = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token && { Authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/**
 * Waits until the search box is shown and its effects have run, so that "/" reaches it:
 * Preact runs effects after the next paint (a frame, then a task).
 */
export async function searchReady(page) {
  await page.getByRole("combobox", { name: "Search" }).waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
}

/**
 * Types text into the search box as an analyst would and waits for the results of the
 * whole text (those of its first letters may show before).
 */
export async function typeSearch(page, text) {
  await page.keyboard.press("/");
  await page.keyboard.type(text, { delay: 30 });
  await resultsOf(page, text);
}

/** Waits until the search results are those of text. */
export async function resultsOf(page, text) {
  await page.locator(`#search-results[data-searched="${text}"]`).waitFor({ state: "attached" });
}

/** Searches for text and clicks the result called name. */
export async function searchAndPick(page, text, name) {
  await typeSearch(page, text);
  await page.getByRole("option", { name: new RegExp(`^${name}`) }).click();
}

/** Waits until the canvas has no request in flight and sigma has drawn a frame since. */
export async function settled(page) {
  await page.waitForFunction(() => window.__eventgraph?.pending() === 0);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** What the canvas draws, from the test hook: entity ids and relation ids. */
export async function drawn(page) {
  return page.evaluate(() => ({ nodes: window.__eventgraph.nodes(), edges: window.__eventgraph.edges() }));
}
