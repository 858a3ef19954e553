// The workbench's performance as an analyst meets it, measured in headless Chromium
// against a running eventgraph server (run by hand; docs/workbench.md, "Performance"):
//
//   load    navigation until the search box is usable and the canvas drawn, from a new
//           profile each time (nothing cached)
//   search  search as you type: each keystroke of an entity's name, from the input event
//           to the results of exactly that text shown, the next key pressed once they are
//   expand  an entity picked from search and expanded: from the click on "Expand
//           neighbourhood" until its relations are on the canvas and a frame is painted
//           since (drawn), and until no request is in flight either (settled: the side
//           panel's counts of what is left), with --size relations per expansion (150,
//           500, 2000)
//
// Entities are drawn at random from every kind in proportion to their numbers, and the
// most connected ones (central) are always among them: an analyst's first click is a hub.
//
//   npm ci --prefix server/workbench
//   node server/workbench/perf/perf.mjs --url http://127.0.0.1:8080 [--entities 40]
//        [--hubs 8] [--loads 15] [--seed 1] [--size 150] [--only load,search,expand] [--out FILE]
//
// Prints medians, p95 and maxima in milliseconds; --out writes every sample as JSON.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { chromiumFlags, chromiumPath } from "../bench/chromium.mjs";
import { prng } from "../bench/graphgen.mjs";

const { values: opts } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8080" },
    entities: { type: "string", default: "40" },
    hubs: { type: "string", default: "8" },
    loads: { type: "string", default: "15" },
    seed: { type: "string", default: "1" },
    size: { type: "string", default: "150" },
    only: { type: "string", default: "load,search,expand" },
    out: { type: "string" },
    chromium: { type: "string", default: chromiumPath },
  },
});
const base = opts.url.replace(/\/$/, "");
const only = new Set(opts.only.split(","));

async function query(text, variables = {}) {
  const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: text, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/**
 * The hubs and n entities drawn at random across kinds, in proportion to each kind's
 * count. The generated graph (eventgraph generate) numbers each kind's ids densely
 * (actor-0 … actor-79999), so an id is drawn uniformly; on another store, where such an
 * id names nothing, an entity of the kind's first page is drawn instead.
 */
async function pickEntities(n, hubs, rand) {
  const kinds = { actors: "actor", places: "place", events: "event", topics: "topic" };
  const totals = await query(`{ ${Object.keys(kinds).map((k) => `${k}(first: 1) { totalCount }`).join(" ")} }`);
  const all = Object.keys(kinds).reduce((s, k) => s + totals[k].totalCount, 0);
  const picked = [];
  if (hubs > 0) {
    const central = await query(`query($n: Int!) { central(first: $n) { entity { id name } degree } }`, { n: hubs });
    for (const c of central.central) picked.push({ ...c.entity, hub: true });
  }
  while (picked.length < hubs + n) {
    let at = Math.floor(rand() * all);
    const kind = Object.keys(kinds).find((k) => (at < totals[k].totalCount ? true : ((at -= totals[k].totalCount), false)));
    const { node } = await query(`query($id: ID!) { node(id: $id) { id ... on Entity { name } } }`, { id: `${kinds[kind]}-${at}` });
    let e = node;
    if (!e) {
      const page = await query(`{ ${kind}(first: 500) { nodes { id name } } }`);
      e = page[kind].nodes[at % page[kind].nodes.length];
    }
    if (!picked.some((p) => p.id === e.id)) picked.push({ ...e, hub: false });
  }
  return picked;
}

function stats(samples) {
  const s = samples.toSorted((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

function line(name, st) {
  const f = (x) => x.toFixed(0);
  return `| ${name} | ${st.n} | ${f(st.median)} | ${f(st.p95)} | ${f(st.max)} |`;
}

const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: chromiumFlags });
const results = {};

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

if (only.has("load")) {
  const samples = [];
  for (let i = 0; i < Number(opts.loads); i++) {
    const { context, page } = await freshPage();
    await page.goto(`${base}/`, { waitUntil: "commit" });
    // Milliseconds since navigation began, when both are there: an enabled search box
    // and the canvas's renderer (the test hook is installed once sigma has drawn).
    samples.push(await page.evaluate(() => new Promise((resolve) => {
      const check = () => {
        const input = document.getElementById("search-input");
        if (input && !input.disabled && window.__eventgraph && document.querySelector(".sigma canvas")) resolve(performance.now());
        else requestAnimationFrame(check);
      };
      check();
    })));
    await context.close();
  }
  results.load = samples;
}

const entities = only.has("search") || only.has("expand") ? await pickEntities(Number(opts.entities), Number(opts.hubs), prng(Number(opts.seed))) : [];

/** Installs the in-page clock of search: input events, and when results show for each text. */
async function clockSearch(page) {
  await page.evaluate(() => {
    const typed = new Map();
    window.__searchTimes = [];
    const input = document.getElementById("search-input");
    input.addEventListener("input", () => typed.set(input.value, performance.now()), true);
    new MutationObserver(() => {
      const text = document.getElementById("search-results").dataset.searched;
      if (typed.has(text)) {
        window.__searchTimes.push({ text, ms: performance.now() - typed.get(text) });
        typed.delete(text);
      }
    }).observe(document.getElementById("search-results"), { attributes: true, attributeFilter: ["data-searched"] });
  });
}

if (only.has("search")) {
  const { context, page } = await freshPage();
  await page.goto(`${base}/`);
  await page.locator("#search-input").waitFor();
  await clockSearch(page);
  for (const e of entities) {
    await page.locator("#search-input").fill("");
    await page.locator("#search-input").focus();
    for (const ch of e.name.slice(0, 12)) {
      const before = await page.evaluate(() => window.__searchTimes.length);
      await page.keyboard.type(ch);
      const typedText = await page.locator("#search-input").inputValue();
      if (typedText.trim() === "") continue;
      await page.waitForFunction((n) => window.__searchTimes.length > n, before, { timeout: 10_000 });
    }
  }
  results.search = (await page.evaluate(() => window.__searchTimes)).map((t) => t.ms);
  await context.close();
}

if (only.has("expand")) {
  const samples = [];
  for (const e of entities) {
    console.error(`expand ${samples.length + 1}/${entities.length}: ${e.id} ${JSON.stringify(e.name)}`);
    const { context, page } = await freshPage();
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.__eventgraph?.pending() === 0);
    if (opts.size !== "150") {
      await page.getByText("Change the filters").click();
      await page.getByLabel("Relations per expansion").selectOption(opts.size);
    }
    await page.locator("#search-input").fill(e.name);
    // By id: the generated store repeats names, and a same-named entity has other relations.
    await page.locator(`#search-results li[data-entity="${e.id}"]`).click();
    const button = page.getByRole("button", { name: "Expand neighbourhood" });
    await button.waitFor();
    await page.evaluate(() => {
      document.querySelector(".side").addEventListener("click", () => (window.__expandClicked = performance.now()), { capture: true, once: true });
    });
    const { node } = await query(`query($id: ID!) { node(id: $id) { ... on Entity { relations(first: 1) { totalCount } } } }`, { id: e.id });
    const expected = (await page.evaluate(() => window.__eventgraph.edges().length)) + Math.min(Number(opts.size), node.relations.totalCount);
    await button.click();
    // drawn: the canvas holds the expansion's relations and the frame drawing them is
    // committed: a task queued from that frame's animation callbacks runs once the frame's
    // rendering (sigma's WebGL read back included) is done, ahead of later work;
    // settled: nothing is in flight either, and the side panel shows the change.
    const { ms, settledMs } = await page.evaluate((expected) => new Promise((resolve) => {
      let seen = false;
      let ms = null;
      const check = () => {
        if (!seen && window.__eventgraph.edges().length >= expected) {
          seen = true;
          setTimeout(() => (ms = performance.now() - window.__expandClicked));
        }
        if (ms !== null && window.__eventgraph.pending() === 0) requestAnimationFrame(() => resolve({ ms, settledMs: performance.now() - window.__expandClicked }));
        else requestAnimationFrame(check);
      };
      check();
    }), expected);
    const drawn = await page.evaluate(() => window.__eventgraph.edges().length);
    samples.push({ id: e.id, hub: e.hub, ms, settledMs, drawn });
    console.error(`  ${e.hub ? "hub" : "entity"} ${e.id}: ${drawn} drawn in ${ms.toFixed(0)} ms, settled in ${settledMs.toFixed(0)} ms`);
    await context.close();
  }
  results.expand = samples;
}
await browser.close();

console.log(`| what | n | median ms | p95 ms | max ms |\n|---|---|---|---|---|`);
if (results.load) console.log(line("load: search usable and canvas drawn, from navigation", stats(results.load)));
if (results.search) console.log(line("search: keystroke to its results shown", stats(results.search)));
if (results.expand) {
  const drawnRange = (samples) => `${Math.min(...samples.map((s) => s.drawn))}–${Math.max(...samples.map((s) => s.drawn))} drawn`;
  const all = results.expand;
  const hubs = all.filter((s) => s.hub);
  if (all.length) console.log(line(`expand (${opts.size} per expansion): click to relations drawn, all (${drawnRange(all)})`, stats(all.map((s) => s.ms))));
  if (hubs.length) console.log(line(`expand (${opts.size} per expansion): hubs only (${drawnRange(hubs)})`, stats(hubs.map((s) => s.ms))));
  if (all.length) console.log(line(`expand (${opts.size} per expansion): click to settled, all`, stats(all.map((s) => s.settledMs))));
  if (hubs.length) console.log(line(`expand (${opts.size} per expansion): click to settled, hubs only`, stats(hubs.map((s) => s.settledMs))));
}
if (opts.out) await writeFile(opts.out, JSON.stringify({ url: base, opts, entities, results }, null, 1));
