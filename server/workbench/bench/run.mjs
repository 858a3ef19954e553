// Renderer benchmark for the workbench graph canvas. Builds one page per
// candidate with esbuild, serves pages and generated graphs on 127.0.0.1,
// drives headless Chromium through playwright-core, and prints a Markdown
// table of medians; raw figures go to results.json.
//
//   npm ci --prefix server/workbench/bench && node server/workbench/bench/run.mjs
//
// Options: --runs N (5), --sizes 500,5000,20000, --candidates a,b (sigma,
// sigma-quick, cytoscape, cytoscape-webgl, vis-network, cosmos),
// --frames N (120), --out FILE (results.json beside this file),
// --screenshots DIR (one PNG per candidate and size, from the first run),
// --gpu (use the machine's GPU instead of SwiftShader's software WebGL),
// --chromium PATH ($EVENTGRAPH_CHROMIUM, else /usr/bin/chromium).

import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumFlags, chromiumPath, softwareGLFlags } from './chromium.mjs';
import { expansion, generateGraph } from './graphgen.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// Each candidate: the page entry, a query string for the page, and the
// library imports an application would bundle (for the bundle size).
const CANDIDATES = {
  sigma: { entry: 'sigma.js', imports: "import Graph from 'graphology'; import Sigma from 'sigma'; console.log(Graph, Sigma);" },
  'sigma-quick': { entry: 'sigma.js', query: '?quick', imports: "import Graph from 'graphology'; import Sigma from 'sigma'; console.log(Graph, Sigma);" },
  cytoscape: { entry: 'cytoscape.js', imports: "import cytoscape from 'cytoscape'; console.log(cytoscape);" },
  'cytoscape-webgl': { entry: 'cytoscape.js', query: '?webgl', imports: "import cytoscape from 'cytoscape'; console.log(cytoscape);" },
  'vis-network': { entry: 'vis-network.js', imports: "import { DataSet, Network } from 'vis-network/standalone'; console.log(DataSet, Network);" },
  cosmos: { entry: 'cosmos.js', imports: "import { Graph } from '@cosmos.gl/graph'; console.log(Graph);" },
};
const PACKAGES = ['sigma', 'graphology', 'cytoscape', 'vis-network', '@cosmos.gl/graph', 'playwright-core', 'esbuild'];
const EXPAND_BASE = 500;
const EXPAND_BY = 2000;
const PAN_CAP_MS = 30_000;

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '500,5000,20000' },
    candidates: { type: 'string', default: Object.keys(CANDIDATES).join(',') },
    frames: { type: 'string', default: '120' },
    out: { type: 'string', default: path.join(here, 'results.json') },
    screenshots: { type: 'string' },
    chromium: { type: 'string', default: chromiumPath },
    gpu: { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const frames = Number(opts.frames);
const sizes = opts.sizes.split(',').map(Number);
const candidates = opts.candidates.split(',');
for (const name of candidates) if (!CANDIDATES[name]) throw new Error(`unknown candidate ${name}; known: ${Object.keys(CANDIDATES).join(', ')}`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function bundle(entryPoints) {
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    absWorkingDir: here,
    logLevel: 'error',
  });
  return result.outputFiles[0].contents;
}

async function buildPages() {
  const pages = {};
  const sizesKB = {};
  for (const name of candidates) {
    const c = CANDIDATES[name];
    pages[c.entry] ??= await bundle([path.join(here, 'pages', c.entry)]);
    const lib = await esbuild.build({
      stdin: { contents: c.imports, resolveDir: here },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'error',
    });
    const bytes = lib.outputFiles[0].contents;
    sizesKB[name] = { minified: bytes.length / 1024, gzipped: gzipSync(bytes, { level: 9 }).length / 1024 };
  }
  return { pages, sizesKB };
}

function buildData() {
  const data = {};
  for (const size of new Set([...sizes, EXPAND_BASE])) data[`graph-${size}.json`] = generateGraph(size);
  data[`expand-${EXPAND_BASE}-${EXPAND_BY}.json`] = expansion(data[`graph-${EXPAND_BASE}.json`], EXPAND_BY);
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.stringify(v)]));
}

const PAGE_HTML = (script) => `<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;background:#fff}#graph{position:absolute;inset:0;width:1280px;height:800px}
</style></head><body><div id="graph"></div><script src="/bundle/${script}"></script></body></html>`;

function serve(pages, data) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const [, dir, file] = url.pathname.split('/');
    let body;
    let type;
    if (dir === 'page' && pages[file.replace(/\.html$/, '.js')]) [body, type] = [PAGE_HTML(file.replace(/\.html$/, '.js')), 'text/html'];
    else if (dir === 'bundle' && pages[file]) [body, type] = [pages[file], 'text/javascript'];
    else if (dir === 'data' && data[file]) [body, type] = [data[file], 'application/json'];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function heapUsedMB(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / (1024 * 1024);
}

// openPage loads a candidate's page and its data; errors thrown in the page
// fail the run.
async function openPage(context, origin, name, elements, expandBy) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const c = CANDIDATES[name];
  await page.goto(`${origin}/page/${c.entry.replace(/\.js$/, '.html')}${c.query ?? ''}`);
  await page.evaluate(([n, x]) => window.bench.load(n, x), [elements, expandBy]);
  return { page, errors, cdp: await context.newCDPSession(page) };
}

async function measureRender(context, origin, name, elements, screenshot) {
  const { page, errors, cdp } = await openPage(context, origin, name, elements);
  try {
    const before = await heapUsedMB(cdp);
    const firstFrameMs = await page.evaluate(() => window.bench.firstFrame());
    const heapMB = (await heapUsedMB(cdp)) - before;
    if (screenshot) await page.screenshot({ path: screenshot });
    const intervals = await page.evaluate(([f, cap]) => window.bench.panZoom(f, cap), [frames, PAN_CAP_MS]);
    if (errors.length) throw new Error(errors.join('; '));
    return { firstFrameMs, heapMB, frames: intervals.length, frameMedianMs: median(intervals), frameP95Ms: percentile(intervals, 95) };
  } finally {
    await page.close();
  }
}

async function measureExpand(context, origin, name, screenshot) {
  const { page, errors } = await openPage(context, origin, name, EXPAND_BASE, EXPAND_BY);
  try {
    await page.evaluate(() => window.bench.firstFrame());
    const expandMs = await page.evaluate(() => window.bench.expand());
    if (screenshot) await page.screenshot({ path: screenshot });
    if (errors.length) throw new Error(errors.join('; '));
    return { expandMs };
  } finally {
    await page.close();
  }
}

function packageVersions() {
  return Object.fromEntries(
    PACKAGES.map((p) => {
      const j = JSON.parse(readFileSync(path.join(here, 'node_modules', p, 'package.json'), 'utf8'));
      return [p, { version: j.version, license: j.license }];
    }),
  );
}

async function main() {
  const { pages, sizesKB } = await buildPages();
  const server = await serve(pages, buildData());
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'rbench-'));
  if (opts.screenshots) mkdirSync(opts.screenshots, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium,
    headless: true,
    args: opts.gpu ? chromiumFlags.filter((a) => !softwareGLFlags.includes(a)) : chromiumFlags,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  // Nothing but the local server: any other request is refused.
  await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));

  const probe = await context.newPage();
  const cdp = await context.newCDPSession(probe);
  const { product } = await cdp.send('Browser.getVersion');
  const webgl = await probe.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
    return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : String(gl && gl.getParameter(gl.RENDERER));
  });
  await probe.close();

  // One unrecorded run per candidate first: the first WebGL pages pay for
  // starting the GPU process and compiling shaders.
  for (const name of candidates) await measureRender(context, origin, name, sizes[0]).catch(() => {});

  const raw = [];
  const shot = (name, what) => (opts.screenshots ? path.join(opts.screenshots, `${name}-${what}.png`) : undefined);
  for (let run = 0; run < runs; run++) {
    for (const elements of sizes) {
      for (const name of candidates) {
        const record = { run, candidate: name, elements };
        try {
          Object.assign(record, await measureRender(context, origin, name, elements, run === 0 ? shot(name, elements) : undefined));
        } catch (err) {
          record.error = err.message;
        }
        raw.push(record);
        console.error(JSON.stringify(record));
      }
    }
    for (const name of candidates) {
      const record = { run, candidate: name, expand: `${EXPAND_BASE}+${EXPAND_BY}` };
      try {
        Object.assign(record, await measureExpand(context, origin, name, run === 0 ? shot(name, 'expand') : undefined));
      } catch (err) {
        record.error = err.message;
      }
      raw.push(record);
      console.error(JSON.stringify(record));
    }
  }
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });

  const summary = [];
  for (const name of candidates) {
    const expands = raw.filter((r) => r.candidate === name && r.expand && !r.error);
    for (const elements of sizes) {
      const ok = raw.filter((r) => r.candidate === name && r.elements === elements && !r.error);
      const failed = raw.filter((r) => r.candidate === name && r.elements === elements && r.error);
      const med = (key) => (ok.length ? median(ok.map((r) => r[key])) : null);
      summary.push({
        candidate: name,
        elements,
        runs: ok.length,
        failures: failed.map((r) => r.error),
        firstFrameMs: med('firstFrameMs'),
        frameMedianMs: med('frameMedianMs'),
        frameP95Ms: med('frameP95Ms'),
        fps: ok.length ? 1000 / med('frameMedianMs') : null,
        framesCompleted: med('frames'),
        heapMB: med('heapMB'),
      });
    }
    summary.push({ candidate: name, expand: `${EXPAND_BASE}+${EXPAND_BY}`, runs: expands.length, expandMs: expands.length ? median(expands.map((r) => r.expandMs)) : null });
  }
  const environment = {
    date: new Date().toISOString(),
    browser: product,
    webglRenderer: webgl,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    runs,
    frames,
    softwareGL: !opts.gpu,
    packages: packageVersions(),
    bundleKB: sizesKB,
  };
  writeFileSync(opts.out, `${JSON.stringify({ environment, summary, raw }, null, 1)}\n`);
  console.log(table(summary, sizesKB));
}

const fmt = (x, digits = 0) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));

function table(summary, sizesKB) {
  const lines = [
    '| candidate | elements | first frame ms | frame median / p95 ms | fps (median) | JS heap MB | runs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of summary.filter((r) => r.elements)) {
    const partial = s.framesCompleted !== null && s.framesCompleted < frames ? ` (${s.framesCompleted} of ${frames} frames in ${PAN_CAP_MS / 1000} s)` : '';
    lines.push(`| ${s.candidate} | ${s.elements} | ${fmt(s.firstFrameMs)} | ${fmt(s.frameMedianMs, 1)} / ${fmt(s.frameP95Ms, 1)}${partial} | ${fmt(s.fps, 1)} | ${fmt(s.heapMB, 1)} | ${s.runs}${s.failures.length ? ` (failed: ${s.failures[0]})` : ''} |`);
  }
  lines.push('', '| candidate | add 2,000 to 500, ms | bundle min KB | bundle gzip KB |', '| --- | ---: | ---: | ---: |');
  for (const s of summary.filter((r) => r.expand)) {
    lines.push(`| ${s.candidate} | ${fmt(s.expandMs)} | ${fmt(sizesKB[s.candidate].minified)} | ${fmt(sizesKB[s.candidate].gzipped, 1)} |`);
  }
  return lines.join('\n');
}

await main();
