// The workbench's own canvas (src/canvas.tsx) holding a generated graph, for pan.mjs.
// `workbench-src` is resolved by pan.mjs to the sources being measured, so the same page
// measures this checkout and an earlier revision.
import { render } from 'preact';
import { Canvas } from 'workbench-src/canvas';
import { graph, graphVersion } from 'workbench-src/state';
import { relationColors } from 'workbench-src/style';

const ENTITY_TYPES = { actor: 'Actor', place: 'Place', event: 'Event', topic: 'Topic' };
const RELATION_TYPES = Object.keys(relationColors);

window.bench = {
  async load(elements) {
    const response = await fetch(`/data/graph-${elements}.json`);
    const { nodes, edges } = await response.json();
    for (const n of nodes) {
      graph.addNode(n.id, {
        label: n.label,
        entityType: ENTITY_TYPES[n.kind],
        x: n.x,
        y: n.y,
        size: n.size,
        color: n.color,
        expanded: true,
        pinned: false,
        hidden: false,
        includedRetracted: false,
        total: 0,
        fetched: 0,
        nextPage: null,
        totalsByType: null,
      });
    }
    edges.forEach((e, i) => {
      const relationType = RELATION_TYPES[i % RELATION_TYPES.length];
      graph.addEdgeWithKey(e.id, e.source, e.target, {
        relationType,
        role: null,
        contested: false,
        validFrom: null,
        validTo: null,
        retracted: false,
        hidden: false,
        size: 1,
        color: relationColors[relationType],
      });
    });
    render(<Canvas />, document.getElementById('graph'));
    graphVersion.value++;
    // Two frames: the canvas has drawn the graph.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return graph.order + graph.size;
  },
  // A point of the stage at least `clear` pixels from every entity's centre, near the
  // middle of the canvas, where a drag pans rather than moves an entity.
  stagePoint(clear) {
    const hook = window.__eventgraph;
    const points = hook.nodes().map((id) => hook.position(id));
    const box = document.querySelector('.sigma').getBoundingClientRect();
    const cx = box.left + box.width / 2;
    const cy = box.top + box.height / 2;
    let best = null;
    for (let dy = -200; dy <= 200; dy += 4) {
      for (let dx = -300; dx <= 300; dx += 4) {
        const x = cx + dx;
        const y = cy + dy;
        if (points.every((p) => Math.hypot(p.x - x, p.y - y) >= clear) && (!best || Math.hypot(dx, dy) < best.d)) best = { x, y, d: Math.hypot(dx, dy) };
      }
    }
    if (!best) throw new Error('no empty stage point');
    return { x: best.x, y: best.y };
  },
  // Counts the animation frames in which the picture changed: an entity drawn elsewhere
  // (the camera moved and sigma drew it) or the canvas layers moved by a transform, as
  // the frame shows it (a transition's current value).
  startCounting(reference) {
    const hook = window.__eventgraph;
    const layers = [...document.querySelectorAll('.sigma canvas')];
    const picture = () => {
      const p = hook.position(reference);
      return `${p.x},${p.y};${layers.map((c) => getComputedStyle(c).transform).join(';')}`;
    };
    const changes = [];
    let last = picture();
    let counting = true;
    const frame = (now) => {
      if (!counting) return;
      const current = picture();
      if (current !== last) changes.push(now);
      last = current;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    window.bench.stopCounting = () => {
      counting = false;
      return changes;
    };
  },
};
