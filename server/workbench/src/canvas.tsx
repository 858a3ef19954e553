// The graph canvas: sigma draws state.graph with WebGL. Clicking an entity selects and
// expands it; clicking a relation opens its evidence. While paths are shown, their
// entities and relations are highlighted and the other relations greyed; while a time
// window is brushed on the timeline, what lies outside it is greyed; what changed since a
// moment (changes.tsx) is highlighted.
import { effect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import Sigma from "sigma";
import { exportFormats, exportLimit, exportView } from "./api";
import { expand } from "./graph";
import { pngOf, save, svgOfCanvas } from "./picture";
import { changed, type EdgeAttributes, graph, graphVersion, type NodeAttributes, notice, onPaths, outsideWindow, selectedEntity, selectedRelation } from "./state";
import { changedColor, contestedColor, entityStyles, fadedColor, relationColors, relationLabel } from "./style";
import { installTestHook } from "./testhook";

export function Canvas() {
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma<NodeAttributes, EdgeAttributes> | null>(null);
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
        const shown = outsideWindow.value.entities.has(node) ? { ...attrs, color: fadedColor } : attrs;
        if (node === selectedEntity.value) return { ...shown, highlighted: true, size: attrs.size * 1.4 };
        return onPaths.value.entities.has(node) || changed.value.entities.has(node) ? { ...shown, highlighted: true } : shown;
      },
      edgeReducer: (edge, attrs) => {
        const size = edge === selectedRelation.value ? attrs.size * 2.5 : attrs.size;
        if (changed.value.relations.has(edge)) return { ...attrs, size: size * 2, color: changedColor, zIndex: 1 };
        const color = outsideWindow.value.relations.has(edge) ? fadedColor : attrs.color;
        const { relations } = onPaths.value;
        if (relations.size === 0) return { ...attrs, size, color };
        return relations.has(edge) ? { ...attrs, size: size * 2, zIndex: 1, color } : { ...attrs, size, color: fadedColor };
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
      // Redraw when the selection, the paths shown or the time window change: the reducers read them.
      void selectedEntity.value;
      void selectedRelation.value;
      void onPaths.value;
      void outsideWindow.value;
      void changed.value;
      renderer.refresh();
    });
    // sigma fits its canvas to the container when it renders, and renders by itself only
    // when the window is resized: a view opening below the canvas resizes just the container.
    const resized = new ResizeObserver(() => renderer.refresh());
    resized.observe(container.current!);
    const removeHook = installTestHook(renderer, container.current!);
    sigma.current = renderer;
    return () => {
      sigma.current = null;
      removeHook();
      resized.disconnect();
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
      <ExportTools renderer={sigma} />
    </section>
  );
}

/** Files of the view: pictures of the canvas, and its subgraph through GET /export. */
function ExportTools({ renderer }: { renderer: { current: Sigma<NodeAttributes, EdgeAttributes> | null } }) {
  void graphVersion.value;
  const ids = graph.nodes();
  const tooMany = ids.length > exportLimit;
  const attempt = (work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (err) {
      notice.value = `The export failed: ${err instanceof Error ? err.message : err}`;
    }
  };
  const picture = (kind: "SVG" | "PNG") =>
    attempt(async () => {
      if (!renderer.current) return;
      const svg = svgOfCanvas(renderer.current);
      const blob = kind === "SVG" ? new Blob([svg.svg], { type: "image/svg+xml" }) : await pngOf(svg);
      save(blob, `eventgraph-view.${kind.toLowerCase()}`);
    });
  const data = (format: keyof typeof exportFormats) =>
    attempt(async () => {
      const { blob, name } = await exportView(ids, format);
      save(blob, name);
    });
  return (
    <div class="export-tools" role="group" aria-label="Export the view">
      <span aria-hidden="true">Export</span>
      <button type="button" disabled={ids.length === 0} onClick={picture("PNG")} aria-label="Export the canvas as a PNG picture">
        PNG
      </button>
      <button type="button" disabled={ids.length === 0} onClick={picture("SVG")} aria-label="Export the canvas as an SVG picture">
        SVG
      </button>
      {Object.entries(exportFormats).map(([format, name]) => (
        <button
          key={format}
          type="button"
          disabled={ids.length === 0 || tooMany}
          title={tooMany ? `An export names at most ${exportLimit} entities` : undefined}
          onClick={data(format as keyof typeof exportFormats)}
          aria-label={`Export the entities on the canvas and the relations among them as ${name}`}
        >
          {name}
        </button>
      ))}
    </div>
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
