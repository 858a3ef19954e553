// Panning benchmark of the workbench's own canvas: real mouse drags and wheel turns over
// src/canvas.tsx holding a generated graph, in headless Chromium with software WebGL,
// counting the animation frames in which the picture changed. It measures the sources in
// this checkout and those of a git revision (--baseline) in the same run, alternately.
//
//   npm ci --prefix server/workbench && npm ci --prefix server/workbench/bench
//   node server/workbench/bench/pan.mjs
//
// Options: --runs N (5), --elements N (5000), --baseline REF (main; "" for none),
// --out FILE (results-pan.json beside this file), --chromium PATH ($EVENTGRAPH_CHROMIUM, else /usr/bin/chromium),
// --screenshots DIR (from the unrecorded first run of each: before the drag, halfway through it,
// after it, zooming in, zoomed in and zoomed out again, to check that the picture is right).

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumFlags, chromiumPath } from './chromium.mjs';
import { generateGraph } from './graphgen.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const workbench = path.dirname(here);
const repository = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim();

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    elements: { type: 'string', default: '5000' },
    baseline: { type: 'string', default: 'main' },
    out: { type: 'string', default: path.join(here, 'results-pan.json') },
    chromium: { type: 'string', default: chromiumPath },
    screenshots: { type: 'string' },
  },
});
const runs = Number(opts.runs);
const elements = Number(opts.elements);

// The drag: from an empty point of the stage, a square of four 150 px sides, each in
// 30 mouse moves, as page.mouse.move sends them (one after another, each acknowledged).
const SIDE = 150;
const STEPS = 30;
// The zoom: four wheel notches in, then four out, at the same point.
const NOTCHES = 4;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function bundle(src) {
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'pages', 'workbench.jsx')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    logLevel: 'error',
    nodePaths: [path.join(workbench, 'node_modules')],
    plugins: [
      {
        name: 'workbench-src',
        setup(build) {
          build.onResolve({ filter: /^workbench-src\// }, async (args) =>
            build.resolve(`./${args.path.slice('workbench-src/'.length)}`, { kind: args.kind, resolveDir: src }),
          );
        },
      },
    ],
  });
  return result.outputFiles[0].contents;
}

const PAGE_HTML = (variant) => `<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;background:#fff}#graph{position:absolute;inset:0;width:1280px;height:800px}
.canvas{position:absolute;inset:0}.sigma{position:absolute;inset:0}
.canvas-tools,.legend,.export-tools,.visually-hidden{display:none}
</style></head><body><div id="graph"></div><script src="/bundle/${variant}.js"></script></body></html>`;

function serve(bundles, data) {
  const server = createServer((req, res) => {
    const [, dir, file] = new URL(req.url, 'http://127.0.0.1').pathname.split('/');
    let body;
    let type;
    if (dir === 'page' && bundles[file]) [body, type] = [PAGE_HTML(file), 'text/html'];
    else if (dir === 'bundle' && bundles[file.replace(/\.js$/, '')]) [body, type] = [bundles[file.replace(/\.js$/, '')], 'text/javascript'];
    else if (dir === 'data' && file === `graph-${elements}.json`) [body, type] = [data, 'application/json'];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// figures turns the times of the frames that changed during a gesture into frames per
// second: how many changed over the gesture's length, and 1000 / the median interval.
function figures(changes, ms) {
  const intervals = changes.slice(1).map((t, k) => t - changes[k]);
  const med = median(intervals);
  return { frames: changes.length, ms, fps: (changes.length * 1000) / ms, medianIntervalMs: med, medianFps: med ? 1000 / med : null };
}

async function measure(context, origin, variant, screenshots) {
  const shot = async (page, what) => {
    if (screenshots) await page.screenshot({ path: path.join(screenshots, `${variant}-${what}.png`) });
  };
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  try {
    await page.goto(`${origin}/page/${variant}`);
    const count = await page.evaluate((n) => window.bench.load(n), elements);
    const start = await page.evaluate(() => window.bench.stagePoint(24));
    await page.waitForTimeout(300);
    await shot(page, '1-before');

    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.evaluate(() => window.bench.startCounting('n0'));
    const t0 = Date.now();
    let { x, y } = start;
    for (const [dx, dy] of [[SIDE, 0], [0, SIDE], [-SIDE, 0], [0, -SIDE]]) {
      x += dx;
      y += dy;
      await page.mouse.move(x, y, { steps: STEPS });
      if (dx === 0 && dy > 0) await shot(page, '2-mid-drag');
    }
    await page.mouse.up();
    const dragMs = Date.now() - t0;
    await page.waitForTimeout(500);
    const drag = figures(await page.evaluate(() => window.bench.stopCounting()), dragMs);
    await shot(page, '3-after-drag');
    drag.movesPerSecond = (4 * STEPS * 1000) / dragMs;

    await page.evaluate(() => window.bench.startCounting('n0'));
    const t1 = Date.now();
    for (const [k, deltaY] of [...Array(NOTCHES).fill(-100), ...Array(NOTCHES).fill(100)].entries()) {
      await page.mouse.wheel(0, deltaY);
      await page.waitForTimeout(50);
      if (k === NOTCHES - 1 && screenshots) {
        await shot(page, '4-zooming-in');
        await page.waitForTimeout(1000);
        await shot(page, '5-zoomed-in');
      }
    }
    const wheelMs = Date.now() - t1;
    await page.waitForTimeout(800);
    const wheel = figures(await page.evaluate(() => window.bench.stopCounting()), wheelMs);
    await shot(page, '6-after-zoom');
    if (errors.length) throw new Error(errors.join('; '));
    return { elements: count, drag, wheel };
  } finally {
    await page.close();
  }
}

async function main() {
  const variants = { current: path.join(workbench, 'src') };
  let baselineDir;
  if (opts.baseline) {
    baselineDir = mkdtempSync(path.join(os.tmpdir(), 'pan-baseline-'));
    const archive = execFileSync('git', ['archive', opts.baseline, 'server/workbench/src'], { cwd: repository, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', baselineDir], { input: archive });
    variants.baseline = path.join(baselineDir, 'server/workbench/src');
  }
  const bundles = {};
  for (const [name, src] of Object.entries(variants)) bundles[name] = await bundle(src);
  const server = await serve(bundles, JSON.stringify(generateGraph(elements)));
  const origin = `http://127.0.0.1:${server.address().port}`;
  if (opts.screenshots) mkdirSync(opts.screenshots, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'pan-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
  const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
  const { product } = await cdp.send('Browser.getVersion');

  // One unrecorded run per variant, which takes the screenshots: the first pages pay for
  // starting the GPU process, and a screenshot in the middle of a drag delays it.
  for (const name of Object.keys(variants)) await measure(context, origin, name, opts.screenshots);
  const raw = [];
  for (let run = 0; run < runs; run++) {
    for (const name of Object.keys(variants)) {
      const record = { run, variant: name };
      try {
        Object.assign(record, await measure(context, origin, name));
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
  if (baselineDir) rmSync(baselineDir, { recursive: true, force: true });

  const summary = Object.keys(variants).map((name) => {
    const ok = raw.filter((r) => r.variant === name && !r.error);
    const med = (pick) => median(ok.map(pick).filter((v) => v !== null));
    return {
      variant: name,
      runs: ok.length,
      dragFps: med((r) => r.drag.fps),
      dragMedianIntervalMs: med((r) => r.drag.medianIntervalMs),
      dragMovesPerSecond: med((r) => r.drag.movesPerSecond),
      dragMs: med((r) => r.drag.ms),
      wheelMedianIntervalMs: med((r) => r.wheel.medianIntervalMs),
    };
  });
  const environment = {
    date: new Date().toISOString(),
    browser: product,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    elements,
    runs,
    baseline: opts.baseline ? execFileSync('git', ['rev-parse', opts.baseline], { cwd: repository, encoding: 'utf8' }).trim() : null,
    current: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repository, encoding: 'utf8' }).trim(),
  };
  writeFileSync(opts.out, `${JSON.stringify({ environment, summary, raw }, null, 1)}\n`);
  const fmt = (v, d = 1) => (v === null ? 'n/a' : v.toFixed(d));
  console.log('| sources | drag: frames/s | drag: median frame ms | mouse moves/s | wheel zoom: median frame ms | runs |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const s of summary) {
    console.log(`| ${s.variant} | ${fmt(s.dragFps)} | ${fmt(s.dragMedianIntervalMs)} | ${fmt(s.dragMovesPerSecond)} | ${fmt(s.wheelMedianIntervalMs)} | ${s.runs} |`);
  }
}

await main();
