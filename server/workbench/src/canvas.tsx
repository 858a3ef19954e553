// The graph canvas: sigma draws state.graph with WebGL. Clicking an entity selects and
// expands it; clicking a relation opens its evidence. While paths are shown, their
// entities and relations are highlighted and the other relations greyed; what changed
// since a moment (changes.tsx) is highlighted too.
import { effect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import Sigma from "sigma";
import { expand } from "./graph";
import { changed, graph, graphVersion, onPaths, selectedEntity, selectedRelation } from "./state";
import { changedColor, contestedColor, entityStyles, fadedColor, relationColors, relationLabel } from "./style";
import { installTestHook } from "./testhook";

export function Canvas() {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const renderer = new Sigma(graph, container.current!, {
      enableEdgeEvents: true,
      zIndex: true,
      defaultEdgeType: "arrow",
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 0,
      labelDensity: 1,
      // Room for the labels of the outermost entities, which sigma does not count.
      stagePadding: 120,
      nodeReducer: (node, attrs) => {
        if (node === selectedEntity.value) return { ...attrs, highlighted: true, size: attrs.size * 1.4 };
        return onPaths.value.entities.has(node) || changed.value.entities.has(node) ? { ...attrs, highlighted: true } : attrs;
      },
      edgeReducer: (edge, attrs) => {
        const size = edge === selectedRelation.value ? attrs.size * 2.5 : attrs.size;
        if (changed.value.relations.has(edge)) return { ...attrs, size: size * 2, color: changedColor, zIndex: 1 };
        const { relations } = onPaths.value;
        if (relations.size === 0) return { ...attrs, size };
        return relations.has(edge) ? { ...attrs, size: size * 2, zIndex: 1 } : { ...attrs, size, color: fadedColor };
      },
    });
    renderer.on("clickNode", ({ node }) => {
      selectedEntity.value = node;
      if (!graph.getNodeAttribute(node, "expanded")) void expand(node);
    });
    renderer.on("clickEdge", ({ edge }) => {
      selectedRelation.value = edge;
    });
    const stopRefresh = effect(() => {
      // Redraw when the selection or the paths shown change: the reducers read them.
      void selectedEntity.value;
      void selectedRelation.value;
      void onPaths.value;
      void changed.value;
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
        {graph.someEdge((edge) => changed.value.relations.has(edge)) && (
          <li>
            <span class="line" style={{ background: changedColor }} aria-hidden="true" />
            changed since the moment asked about
          </li>
        )}
      </ul>
    </div>
  );
}
