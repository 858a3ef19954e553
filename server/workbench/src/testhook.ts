// A hook for the browser tests, which cannot look into a WebGL canvas: what the graph
// holds, and where an entity is drawn on the page. Nothing in the workbench uses it.
import type Sigma from "sigma";
import { liveStatus } from "./live";
import { changed, type EdgeAttributes, graph, moment, type NodeAttributes, onPaths, outsideWindow, pending } from "./state";

export interface TestHook {
  /** Ids of the entities drawn. */
  nodes(): string[];
  /** Ids of the relations drawn. */
  edges(): string[];
  /** Ids of the relations highlighted as the paths shown. */
  pathRelations(): string[];
  /** Ids of the entities and relations greyed as outside the time window brushed. */
  outsideWindow(): { entities: string[]; relations: string[] };
  /** Ids of the relations drawn that are highlighted as changed since a moment. */
  changedRelations(): string[];
  /** The moment queries ask about (asOf); null is now. */
  moment(): string | null;
  /** Whether the canvas follows changes as they land. */
  live(): string;
  /** Requests in flight that will change the canvas. */
  pending(): number;
  /** Where an entity is drawn, in page coordinates (CSS pixels). */
  position(id: string): { x: number; y: number };
}

declare global {
  interface Window {
    __eventgraph?: TestHook;
  }
}

export function installTestHook(renderer: Sigma<NodeAttributes, EdgeAttributes>, container: HTMLElement): () => void {
  window.__eventgraph = {
    nodes: () => graph.nodes(),
    edges: () => graph.edges(),
    pathRelations: () => [...onPaths.value.relations].filter((id) => graph.hasEdge(id)),
    outsideWindow: () => ({ entities: [...outsideWindow.value.entities], relations: [...outsideWindow.value.relations] }),
    changedRelations: () => [...changed.value.relations].filter((id) => graph.hasEdge(id)),
    moment: () => moment.value,
    live: () => liveStatus.value,
    pending: () => pending.value,
    position(id) {
      // Display data are in sigma's framed graph coordinates, as drawn.
      const p = renderer.framedGraphToViewport(renderer.getNodeDisplayData(id)!);
      const box = container.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
  };
  return () => {
    delete window.__eventgraph;
  };
}
