// Deterministic test graphs shaped like eventgraph's data: a few hubs
// (actors, places, topics that many events mention) with many neighbours,
// and mostly low-degree nodes. Positions are computed here, once, so every
// renderer draws the same picture and first-frame times measure drawing,
// not layout.

// Hubs are drawn this big (radius in pixels); other nodes 3 to 5.
export const HUB_SIZE = 12;

export const KIND_COLOURS = {
  actor: '#1f77b4',
  place: '#2ca02c',
  event: '#d62728',
  topic: '#9467bd',
};

// Share of nodes per kind, in the order the generator assigns them.
const KIND_SHARES = [
  ['event', 0.45],
  ['actor', 0.3],
  ['place', 0.15],
  ['topic', 0.1],
];

// Elements are nodes plus edges; eventgraph's graphs carry about 1.5 edges
// per node, so a graph of E elements has E / 2.5 nodes.
const EDGES_PER_NODE = 1.5;

// mulberry32: small, fast, and the same sequence on every run.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function kindFor(r) {
  let acc = 0;
  for (const [kind, share] of KIND_SHARES) {
    acc += share;
    if (r < acc) return kind;
  }
  return 'event';
}

function makeNode(index, kind, x, y, size) {
  return {
    id: `n${index}`,
    kind,
    label: `${kind} ${index}`,
    x: Math.round(x * 100) / 100,
    y: Math.round(y * 100) / 100,
    size,
    color: KIND_COLOURS[kind],
  };
}

// generateGraph returns { nodes, edges } with nodes.length + edges.length
// equal to elements. Node i's index in nodes is i; edges name nodes by id.
export function generateGraph(elements, seed = 42) {
  const rand = prng(seed ^ elements);
  const nodeCount = Math.round(elements / (1 + EDGES_PER_NODE));
  const edgeCount = elements - nodeCount;
  const hubCount = Math.max(3, Math.round(nodeCount * 0.01));
  const hubKinds = ['actor', 'place', 'topic'];
  const spread = 100 * Math.sqrt(nodeCount);

  const nodes = [];
  const clusterOf = [];
  const members = Array.from({ length: hubCount }, () => []);
  for (let h = 0; h < hubCount; h++) {
    const angle = (2 * Math.PI * h) / hubCount;
    const radius = spread * (0.35 + 0.3 * rand());
    nodes.push(makeNode(h, hubKinds[h % hubKinds.length], radius * Math.cos(angle), radius * Math.sin(angle), HUB_SIZE));
    clusterOf.push(h);
    members[h].push(h);
  }
  // Other nodes gather round one hub, big hubs first: cluster sizes fall
  // off like a power law, as mentions of actors and places do.
  for (let i = hubCount; i < nodeCount; i++) {
    const h = Math.floor(hubCount * rand() ** 2);
    const hub = nodes[h];
    const angle = 2 * Math.PI * rand();
    const radius = (spread / Math.sqrt(hubCount)) * Math.sqrt(rand()) * 1.2;
    nodes.push(makeNode(i, kindFor(rand()), hub.x + radius * Math.cos(angle), hub.y + radius * Math.sin(angle), 3 + Math.round(2 * rand())));
    clusterOf.push(h);
    members[h].push(i);
  }

  const edges = [];
  const seen = new Set();
  const addEdge = (a, b) => {
    if (a === b) return false;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) return false;
    seen.add(key);
    edges.push({ id: `e${edges.length}`, source: `n${a}`, target: `n${b}` });
    return true;
  };
  // Every node links to its hub; the rest link within the cluster, and one
  // in ten across clusters.
  for (let i = hubCount; i < nodeCount && edges.length < edgeCount; i++) addEdge(i, clusterOf[i]);
  for (let h = 1; h < hubCount && edges.length < edgeCount; h++) addEdge(h - 1, h);
  while (edges.length < edgeCount) {
    const a = Math.floor(rand() * nodeCount);
    let b;
    if (rand() < 0.1) {
      b = Math.floor(rand() * nodeCount);
    } else {
      const cluster = members[clusterOf[a]];
      b = cluster[Math.floor(rand() * cluster.length)];
    }
    addEdge(a, b);
  }
  return { nodes, edges };
}

// expansion returns the elements that "expanding a hub" adds to base: new
// nodes ringed round the base graph's first hub, each linked to it, half
// nodes and half edges, elements in all.
export function expansion(base, elements, seed = 7) {
  const rand = prng(seed ^ elements);
  const hub = base.nodes[0];
  const first = base.nodes.length;
  const count = Math.floor(elements / 2);
  const nodes = [];
  const edges = [];
  for (let k = 0; k < count; k++) {
    const angle = 2 * Math.PI * rand();
    const radius = 150 + 250 * Math.sqrt(rand());
    const node = makeNode(first + k, kindFor(rand()), hub.x + radius * Math.cos(angle), hub.y + radius * Math.sin(angle), 3);
    nodes.push(node);
    edges.push({ id: `x${k}`, source: hub.id, target: node.id });
  }
  return { nodes, edges };
}
