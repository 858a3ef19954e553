// The page side of the benchmark. Each candidate page installs an adapter
// that maps four operations onto its library; run.mjs drives window.bench
// through Playwright and reads the figures back.
//
// Adapter: { mount(container, graph) → Promise (render called, view fitted),
//            setCamera(u, v, ratio) — centre the view at the graph's centre
//            plus (u, v) × its larger side, zoomed to 1/ratio of the fitted
//            view, add({ nodes, edges }) → Promise }.

import { HUB_SIZE } from '../graphgen.mjs';

export const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

// Two frames after the render call: the first rAF runs after the library's
// own frame callback, the second only once that frame has been produced.
const presented = async () => {
  await nextFrame();
  await nextFrame();
};

async function fetchJSON(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// Camera path: one turn round the centre at a fifth of the graph's size,
// zooming in to 4× and back out twice on the way.
export function cameraStep(i, frames) {
  const t = i / frames;
  return [0.2 * Math.cos(2 * Math.PI * t) - 0.2, 0.2 * Math.sin(2 * Math.PI * t), 0.25 + 0.75 * (0.5 + 0.5 * Math.cos(4 * Math.PI * t))];
}

export function bounds(nodes) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of nodes) {
    minX = Math.min(minX, n.x);
    minY = Math.min(minY, n.y);
    maxX = Math.max(maxX, n.x);
    maxY = Math.max(maxY, n.y);
  }
  return { minX, minY, maxX, maxY, cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, side: Math.max(maxX - minX, maxY - minY) };
}

// Fitted, the graph's larger side spans about FIT_PIXELS of the 800-pixel
// high view. Renderers whose sizes are in graph units (cytoscape,
// vis-network) scale sizes by pixelUnit so that, fitted, every candidate
// draws nodes, edges and labels at the same size in pixels.
const FIT_PIXELS = 740;
export const pixelUnit = (frame) => frame.side / FIT_PIXELS;

// Labels: hubs' labels show in the fitted view, the others' once zoomed
// in; sigma does this by itself (labels only on nodes drawn 6 px or more).
export const labelPixels = (node) => (node.size >= HUB_SIZE ? 12 : 6);
export const LABEL_MIN_PIXELS = 8;

export function install(adapter) {
  const container = document.getElementById('graph');
  let graph;
  let extra;
  window.bench = {
    name: adapter.name,
    async load(elements, expandBy) {
      graph = await fetchJSON(`/data/graph-${elements}.json`);
      extra = expandBy ? await fetchJSON(`/data/expand-${elements}-${expandBy}.json`) : undefined;
      return graph.nodes.length + graph.edges.length;
    },
    async firstFrame() {
      const t0 = performance.now();
      await adapter.mount(container, graph);
      await presented();
      return performance.now() - t0;
    },
    // panZoom moves the camera once a frame and returns the intervals
    // between frames in ms; it stops early after capMs.
    panZoom(frames, capMs) {
      return new Promise((resolve) => {
        const stamps = [];
        const start = performance.now();
        let i = 0;
        const step = () => {
          const now = performance.now();
          stamps.push(now);
          if (i === frames || now - start > capMs) {
            resolve(stamps.slice(1).map((s, k) => s - stamps[k]));
            return;
          }
          adapter.setCamera(...cameraStep(i, frames));
          i++;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
    async expand() {
      const t0 = performance.now();
      await adapter.add(extra);
      await presented();
      return performance.now() - t0;
    },
  };
}
