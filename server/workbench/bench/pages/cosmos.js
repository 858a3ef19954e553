import { Graph } from '@cosmos.gl/graph';
import { bounds, install, nextFrame } from './harness.js';

// cosmos.gl draws points in a square space of SPACE units; positions are
// mapped into its middle 80% here, so the camera can be placed without
// reading positions back from the GPU.
const SPACE = 4096;

let graph;
let frame;
let ids;
let positions = [];
let colors = [];
let sizes = [];
let links = [];

const rgba = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).concat(1);
const toSpace = (x, y) => [SPACE * (0.1 + (0.8 * (x - frame.minX)) / frame.side), SPACE * (0.1 + (0.8 * (y - frame.minY)) / frame.side)];

function append({ nodes, edges }) {
  for (const n of nodes) {
    ids.set(n.id, ids.size);
    positions.push(...toSpace(n.x, n.y));
    colors.push(...rgba(n.color));
    sizes.push(2 * n.size);
  }
  for (const e of edges) links.push(ids.get(e.source), ids.get(e.target));
  graph.setPointPositions(new Float32Array(positions));
  graph.setPointColors(new Float32Array(colors));
  graph.setPointSizes(new Float32Array(sizes));
  graph.setLinks(new Float32Array(links));
  graph.render();
}

install({
  name: 'cosmos',
  async mount(container, data) {
    frame = bounds(data.nodes);
    ids = new Map();
    graph = new Graph(container, {
      spaceSize: SPACE,
      enableSimulation: false,
      rescalePositions: false,
      fitViewOnInit: false,
      transitionDuration: 0,
      pixelRatio: 1,
      backgroundColor: '#ffffff',
      linkDefaultColor: '#bbbbbb',
      linkDefaultWidth: 1,
    });
    append(data);
    await graph.ready;
    // fitView runs as a d3 transition even at duration 0: it lands on the
    // next frame.
    graph.fitView(0, 0.1, false);
    await nextFrame();
    frame.zoom = graph.getZoomLevel();
  },
  setCamera(u, v, ratio) {
    const point = toSpace(frame.cx + u * frame.side, frame.cy + v * frame.side);
    graph.setZoomTransformByPointPositions(new Float32Array(point), 0, frame.zoom / ratio, 0, false);
  },
  async add(data) {
    append(data);
  },
});
