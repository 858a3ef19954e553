// The graph canvas: sigma draws state.graph with WebGL. Clicking an entity selects and
// expands it; clicking a relation opens its evidence.
import { effect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import Sigma from "sigma";
import { expand } from "./graph";
import { graph, graphVersion, selectedEntity, selectedRelation } from "./state";
import { contestedColor, entityStyles, relationColors, relationLabel } from "./style";
import { installTestHook } from "./testhook";

export function Canvas() {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const renderer = new Sigma(graph, container.current!, {
      enableEdgeEvents: true,
      defaultEdgeType: "arrow",
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 0,
      labelDensity: 1,
      // Room for the labels of the outermost entities, which sigma does not count.
      stagePadding: 120,
      nodeReducer: (node, attrs) =>
        node === selectedEntity.value ? { ...attrs, highlighted: true, size: attrs.size * 1.4 } : attrs,
      edgeReducer: (edge, attrs) =>
        edge === selectedRelation.value ? { ...attrs, size: attrs.size * 2.5 } : attrs,
    });
    renderer.on("clickNode", ({ node }) => {
      selectedEntity.value = node;
      if (!graph.getNodeAttribute(node, "expanded")) void expand(node);
    });
    renderer.on("clickEdge", ({ edge }) => {
      selectedRelation.value = edge;
    });
    const stopRefresh = effect(() => {
      // Redraw when the selection changes: the reducers read it.
      void selectedEntity.value;
      void selectedRelation.value;
      renderer.refresh();
    });
    const removeHook = installTestHook(renderer, container.current!);
    return () => {
      removeHook();
      stopRefresh();
      renderer.kill();
    };
  }, []);
  return (
    <section class="canvas" aria-labelledby="canvas-heading">
      <h2 id="canvas-heading" class="visually-hidden">
        Graph canvas
      </h2>
      <div ref={container} class="sigma" role="img" aria-label="Graph of the entities and relations on the canvas; the side panel lists them" />
      <Legend />
    </section>
  );
}

function Legend() {
  void graphVersion.value;
  const types = new Set<string>();
  let contested = false;
  graph.forEachEdge((_, a) => {
    if (a.contested) contested = true;
    else types.add(a.relationType);
  });
  return (
    <div class="legend" aria-label="Legend">
      <ul>
        {Object.entries(entityStyles).map(([type, s]) => (
          <li key={type}>
            <span class="dot" style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
      <ul>
        {[...types].sort().map((t) => (
          <li key={t}>
            <span class="line" style={{ background: relationColors[t] }} aria-hidden="true" />
            {relationLabel(t)}
          </li>
        ))}
        {contested && (
          <li>
            <span class="line" style={{ background: contestedColor }} aria-hidden="true" />
            contested (some evidence disputes it)
          </li>
        )}
      </ul>
    </div>
  );
}
