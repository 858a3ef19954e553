import Graph from 'graphology';
import Sigma from 'sigma';
import { install } from './harness.js';

let graph;
let renderer;

function addAll(target, { nodes, edges }) {
  for (const n of nodes) target.addNode(n.id, { x: n.x, y: n.y, size: n.size, color: n.color, label: n.label });
  for (const e of edges) target.addEdgeWithKey(e.id, e.source, e.target, { size: 1, color: '#bbbbbb' });
}

install({
  name: 'sigma',
  async mount(container, data) {
    graph = new Graph();
    addAll(graph, data);
    renderer = new Sigma(graph, container);
  },
  // sigma's camera works in the graph's normalised frame: the bounding box's
  // larger side spans 1 and its centre is (0.5, 0.5).
  setCamera(u, v, ratio) {
    renderer.getCamera().setState({ x: 0.5 + u, y: 0.5 + v, ratio });
  },
  async add(data) {
    addAll(graph, data);
  },
});
