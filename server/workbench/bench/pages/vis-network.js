import { DataSet, Network } from 'vis-network/standalone';
import { LABEL_MIN_PIXELS, bounds, install, labelPixels, pixelUnit } from './harness.js';

let nodes;
let edges;
let network;
let frame;

const visNodes = (list) =>
  list.map((n) => ({ id: n.id, label: n.label, x: n.x, y: n.y, size: n.size * frame.unit, color: n.color, font: { size: labelPixels(n) * frame.unit } }));
const visEdges = (list) => list.map((e) => ({ id: e.id, from: e.source, to: e.target }));

install({
  name: 'vis-network',
  async mount(container, data) {
    frame = bounds(data.nodes);
    frame.unit = pixelUnit(frame);
    nodes = new DataSet(visNodes(data.nodes));
    edges = new DataSet(visEdges(data.edges));
    // Physics off and straight edges: positions are given, and the other
    // candidates draw straight lines too.
    network = new Network(
      container,
      { nodes, edges },
      {
        physics: false,
        layout: { improvedLayout: false },
        nodes: { shape: 'dot', scaling: { label: { drawThreshold: LABEL_MIN_PIXELS } } },
        edges: { color: '#bbbbbb', width: frame.unit, smooth: false },
      },
    );
    network.fit({ animation: false });
    frame.scale = network.getScale();
  },
  setCamera(u, v, ratio) {
    network.moveTo({ position: { x: frame.cx + u * frame.side, y: frame.cy + v * frame.side }, scale: frame.scale / ratio, animation: false });
  },
  async add(data) {
    nodes.add(visNodes(data.nodes));
    edges.add(visEdges(data.edges));
  },
});
