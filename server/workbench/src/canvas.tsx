// The graph canvas: sigma draws state.graph with WebGL. Clicking an entity selects and
// expands it, shift- or ctrl-clicking adds it to the selection or takes it out, dragging
// moves and pins it; clicking a relation opens its evidence. While paths are shown, their
// entities and relations are highlighted and the other relations greyed; while a time
// window is brushed on the timeline, what lies outside it is greyed; what changed since a
// moment (changes.tsx) is highlighted. Its toolbar undoes and redoes (also Ctrl+Z,
// Ctrl+Shift+Z, Ctrl+Y), lays out again, shows what was hidden and retracted relations.
import { effect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import Sigma from "sigma";
import { exportFormats, betweenLimit, exportView } from "./api";
import { compositedCamera } from "./camera";
import {
  canRedo,
  canUndo,
  drawnEntities,
  drawRetracted,
  endMove,
  expand,
  hiddenCount,
  layOutAgain,
  moveTo,
  redo,
  relationDrawn,
  select,
  showAll,
  startMove,
  toggleSelected,
  undo,
} from "./graph";
import { pngOf, save, svgOfCanvas } from "./picture";
import { edgeProgram, nodeProgram } from "./programs";
import {
  changed,
  type EdgeAttributes,
  graph,
  graphVersion,
  type NodeAttributes,
  notice,
  onPaths,
  outsideWindow,
  panelVersion,
  pending,
  selectedEntities,
  selectedEntity,
  selectedRelation,
  showRetracted,
} from "./state";
import { changedColor, contestedColor, entityStyles, fadedColor, relationColors, relationLabel, retractedColor } from "./style";
import { CopyLink } from "./share";
import { installTestHook } from "./testhook";

/**
 * Above this many relations sigma stops drawing relations and labels while the camera
 * moves by itself (a double click zooms in with an animation): on software WebGL a large
 * canvas otherwise moves at a few frames a second (docs/workbench-renderers.md). Panning
 * and the wheel draw nothing until they end (camera.ts).
 */
export const quickPanningAbove = 2000;

/**
 * Above this many relations, an entity sigma would highlight is drawn with its label
 * always shown instead: sigma labels every relation of a highlighted entity, which
 * past a few hundred pile up unreadably on one another and cost a hub of 2,000 about
 * 50 ms a frame.
 */
const labelledRelationsUpTo = 300;

/** How the canvas marks an entity selected, on a path or changed: highlighted, or with its label forced where it has too many relations to label them. */
function highlight(node: string): { highlighted: true } | { forceLabel: true } {
  return graph.degree(node) > labelledRelationsUpTo ? { forceLabel: true } : { highlighted: true };
}

/** Whether a key press should go to the canvas rather than to a field being typed in. */
function typing(e: KeyboardEvent): boolean {
  return (e.target as HTMLElement).closest("input, textarea, select, [contenteditable]") != null;
}

export function Canvas() {
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma<NodeAttributes, EdgeAttributes> | null>(null);
  useEffect(() => {
    const renderer = new Sigma(graph, container.current!, {
      enableEdgeEvents: true,
      zIndex: true,
      defaultEdgeType: "arrow",
      nodeProgramClasses: { circle: nodeProgram },
      edgeProgramClasses: { arrow: edgeProgram },
      // Relations with a role (an actor's part in an event) carry it as their label.
      renderEdgeLabels: true,
      labelRenderedSizeThreshold: 0,
      labelDensity: 1,
      // Room for the labels of the outermost entities, which sigma does not count.
      stagePadding: 120,
      nodeReducer: (node, attrs) => {
        const pinned = attrs.pinned ? { ...attrs, label: `${attrs.label} (pinned)` } : attrs;
        const shown = outsideWindow.value.entities.has(node) ? { ...pinned, color: fadedColor } : pinned;
        if (node === selectedEntity.value) return { ...shown, ...highlight(node), size: attrs.size * 1.4 };
        const highlighted = selectedEntities.value.has(node) || onPaths.value.entities.has(node) || changed.value.entities.has(node);
        return highlighted ? { ...shown, ...highlight(node) } : shown;
      },
      edgeReducer: (edge, attrs) => {
        if (!relationDrawn(edge)) return { ...attrs, hidden: true };
        const size = edge === selectedRelation.value ? attrs.size * 2.5 : attrs.retracted ? 1 : attrs.size;
        if (changed.value.relations.has(edge)) return { ...attrs, size: size * 2, color: changedColor, zIndex: 1 };
        const color = outsideWindow.value.relations.has(edge) ? fadedColor : attrs.color;
        const { relations } = onPaths.value;
        if (relations.size === 0) return { ...attrs, size, color };
        return relations.has(edge) ? { ...attrs, size: size * 2, zIndex: 1, color } : { ...attrs, size, color: fadedColor };
      },
    });
    const clickNode = (node: string, original: MouseEvent | TouchEvent) => {
      if (original.shiftKey || original.ctrlKey || original.metaKey) {
        toggleSelected(node);
        return;
      }
      select(node);
      if (!graph.getNodeAttribute(node, "expanded")) void expand(node);
    };
    // Dragging an entity moves it and pins it there (one change for undo). Sigma fits
    // the view to the graph's extent, so the extent is held while dragging.
    let dragging: string | null = null;
    let moved = false;
    // The click that ends a drag, of an entity or of the stage, is not a click on what
    // lies under the mouse; the browser sends it right after the mouse button goes up.
    let endingDrag = false;
    const ignoreNextClick = () => {
      endingDrag = true;
      setTimeout(() => (endingDrag = false));
    };
    const camera = compositedCamera(renderer, ignoreNextClick);
    const startPan = ({ event }: { event: { original: MouseEvent | TouchEvent } }) => {
      if (event.original instanceof MouseEvent) camera.startPan(event.original);
    };
    renderer.on("downStage", startPan);
    renderer.on("downEdge", startPan);
    renderer.on("clickNode", ({ node, event }) => {
      if (!endingDrag) clickNode(node, event.original);
    });
    renderer.on("downNode", ({ node }) => {
      dragging = node;
      moved = false;
    });
    renderer.on("moveBody", ({ event }) => {
      if (!dragging) return;
      if (!moved) {
        moved = true;
        renderer.setCustomBBox(renderer.getBBox());
        startMove(dragging);
      }
      const p = renderer.viewportToGraph(event);
      moveTo(dragging, p.x, p.y);
      event.preventSigmaDefault();
      event.original.preventDefault();
      event.original.stopPropagation();
    });
    const endDrag = () => {
      if (dragging && moved) {
        renderer.setCustomBBox(null);
        endMove(dragging);
        ignoreNextClick();
      }
      dragging = null;
    };
    renderer.on("upNode", endDrag);
    renderer.on("upStage", endDrag);
    // Sigma takes any two clicks in quick succession, on one entity or two, for a double
    // click (and zooms): clicking entities one after another must select each.
    renderer.on("doubleClickNode", ({ node, event }) => {
      event.preventSigmaDefault();
      if (!endingDrag) clickNode(node, event.original);
    });
    renderer.on("clickEdge", ({ edge }) => {
      if (!endingDrag) selectedRelation.value = edge;
    });
    const stopRefresh = effect(() => {
      // Redraw when the selection, the paths shown, the time window, what changed or what is drawn change: the reducers read them.
      void selectedEntity.value;
      void selectedEntities.value;
      void selectedRelation.value;
      void onPaths.value;
      void outsideWindow.value;
      void changed.value;
      void showRetracted.value;
      void graphVersion.value;
      // Each setting sigma is given costs it a frame's work, even the same value again.
      const large = graph.size > quickPanningAbove;
      if (renderer.getSetting("hideEdgesOnMove") !== large) {
        renderer.setSetting("hideEdgesOnMove", large);
        renderer.setSetting("hideLabelsOnMove", large);
      }
      renderer.refresh();
    });
    // sigma fits its canvas to the container when it renders, and renders by itself only
    // when the window is resized: a view opening below the canvas resizes just the container.
    const resized = new ResizeObserver(() => renderer.refresh());
    resized.observe(container.current!);
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typing(e)) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) undo();
      else if ((key === "z" && e.shiftKey) || key === "y") redo();
      else return;
      e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    const removeHook = installTestHook(renderer, container.current!);
    sigma.current = renderer;
    return () => {
      sigma.current = null;
      document.removeEventListener("keydown", onKey);
      removeHook();
      camera.remove();
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
      <CanvasTools />
      <Legend />
      <ExportTools renderer={sigma} />
    </section>
  );
}

/** Files of the view: pictures of the canvas, and its subgraph through GET /export. */
function ExportTools({ renderer }: { renderer: { current: Sigma<NodeAttributes, EdgeAttributes> | null } }) {
  void panelVersion.value;
  const ids = drawnEntities();
  const tooMany = ids.length > betweenLimit;
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
          title={tooMany ? `An export names at most ${betweenLimit} entities` : undefined}
          onClick={data(format as keyof typeof exportFormats)}
          aria-label={`Export the entities on the canvas and the relations among them as ${name}`}
        >
          {name}
        </button>
      ))}
    </div>
  );
}

function CanvasTools() {
  void panelVersion.value;
  const hidden = hiddenCount();
  const busy = pending.value > 0;
  return (
    <div class="canvas-tools" role="toolbar" aria-label="Canvas">
      <button type="button" onClick={undo} disabled={busy || !canUndo()} aria-keyshortcuts="Control+Z">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={busy || !canRedo()} aria-keyshortcuts="Control+Shift+Z">
        Redo
      </button>
      <button type="button" onClick={layOutAgain} disabled={busy || graph.order < 2}>
        Lay out again
      </button>
      <CopyLink />
      {hidden > 0 && (
        <span class="hidden-count">
          hidden: {hidden}{" "}
          <button type="button" onClick={showAll}>
            Show all
          </button>
        </span>
      )}
      <label>
        <input
          type="checkbox"
          checked={showRetracted.value}
          onChange={(e) => {
            showRetracted.value = (e.target as HTMLInputElement).checked;
            if (showRetracted.value) void drawRetracted();
          }}
        />{" "}
        Show retracted
      </label>
    </div>
  );
}

function Legend() {
  void panelVersion.value;
  const types = new Set<string>();
  let contested = false;
  let retracted = false;
  graph.forEachEdge((edge, a) => {
    if (!relationDrawn(edge)) return;
    if (a.retracted) retracted = true;
    else if (a.contested) contested = true;
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
        {retracted && (
          <li>
            <span class="line retracted" style={{ background: retractedColor }} aria-hidden="true" />
            retracted (withdrawn)
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
