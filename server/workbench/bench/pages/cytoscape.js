import cytoscape from 'cytoscape';
import { LABEL_MIN_PIXELS, bounds, install, labelPixels, pixelUnit } from './harness.js';

// One page serves both of cytoscape's renderers: the canvas one and, with
// ?webgl, the WebGL preview added in 3.31.
const webgl = new URLSearchParams(location.search).has('webgl');

let cy;
let frame;

const elements = ({ nodes, edges }) => [
  ...nodes.map((n) => ({
    group: 'nodes',
    data: { id: n.id, label: n.label, color: n.color, diameter: 2 * n.size * frame.unit, fontSize: labelPixels(n) * frame.unit },
    position: { x: n.x, y: n.y },
  })),
  ...edges.map((e) => ({ group: 'edges', data: { id: e.id, source: e.source, target: e.target } })),
];

install({
  name: webgl ? 'cytoscape-webgl' : 'cytoscape',
  async mount(container, data) {
    frame = bounds(data.nodes);
    frame.unit = pixelUnit(frame);
    cy = cytoscape({
      container,
      elements: elements(data),
      layout: { name: 'preset', fit: true, padding: 30 },
      pixelRatio: 1,
      webgl,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(color)',
            width: 'data(diameter)',
            height: 'data(diameter)',
            label: 'data(label)',
            'font-size': 'data(fontSize)',
            'min-zoomed-font-size': LABEL_MIN_PIXELS,
          },
        },
        { selector: 'edge', style: { 'curve-style': 'haystack', width: frame.unit, 'line-color': '#bbbbbb' } },
      ],
    });
    Object.assign(frame, { zoom: cy.zoom(), width: cy.width(), height: cy.height() });
  },
  setCamera(u, v, ratio) {
    const zoom = frame.zoom / ratio;
    const x = frame.cx + u * frame.side;
    const y = frame.cy + v * frame.side;
    cy.viewport({ zoom, pan: { x: frame.width / 2 - zoom * x, y: frame.height / 2 - zoom * y } });
  },
  async add(data) {
    cy.add(elements(data));
  },
});
