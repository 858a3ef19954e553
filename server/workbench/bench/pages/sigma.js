import Graph from 'graphology';
import Sigma from 'sigma';
import { install } from './harness.js';

let graph;
let renderer;
// ?quick: sigma as the workbench runs it on a large canvas, relations and labels left
// out while the camera moves.
const quick = new URLSearchParams(location.search).has('quick');

function addAll(target, { nodes, edges }) {
  for (const n of nodes) target.addNode(n.id, { x: n.x, y: n.y, size: n.size, color: n.color, label: n.label });
  for (const e of edges) target.addEdgeWithKey(e.id, e.source, e.target, { size: 1, color: '#bbbbbb' });
}

install({
  name: 'sigma',
  async mount(container, data) {
    graph = new Graph();
    addAll(graph, data);
    renderer = new Sigma(graph, container, quick ? { hideEdgesOnMove: true, hideLabelsOnMove: true } : {});
  },
  // sigma's camera works in the graph's normalised frame: the bounding box's
  // larger side spans 1 and its centre is (0.5, 0.5).
  // A move from code is not a move to sigma: only a drag, a wheel turn or a camera
  // animation is. With ?quick the mouse captor is told it is moving, as each mouse
  // move of a drag tells it, so the frames are those of an analyst's drag.
  setCamera(u, v, ratio) {
    if (quick) renderer.getMouseCaptor().isMoving = true;
    renderer.getCamera().setState({ x: 0.5 + u, y: 0.5 + v, ratio });
  },
  async add(data) {
    addAll(graph, data);
  },
});
