// A hook for the browser tests, which cannot look into a WebGL canvas: what the graph
// holds, and where an entity is drawn on the page. Nothing in the workbench uses it.
import type Sigma from "sigma";
import { drawnEntities, drawnRelationIds } from "./graph";
import { liveStatus } from "./live";
import {
  changed,
  type EdgeAttributes,
  type ExpansionFilter,
  graph,
  graphVersion,
  moment,
  type NodeAttributes,
  noFilter,
  onPaths,
  openView,
  outsideWindow,
  panelVersion,
  pending,
  selectedEntities,
  selectedEntity,
  selectedRelation,
  timeWindow,
} from "./state";
import { windowDates } from "./time";

export interface TestHook {
  /** Ids of the entities drawn (not those hidden). */
  nodes(): string[];
  /** Ids of the relations drawn (not those hidden, at a hidden entity, or retracted while those are not shown). */
  edges(): string[];
  /** Ids of the relations highlighted as the paths shown. */
  pathRelations(): string[];
  /** Ids of the entities and relations greyed as outside the time window brushed. */
  outsideWindow(): { entities: string[]; relations: string[] };
  /** Ids of the relations drawn that are highlighted as changed since a moment. */
  changedRelations(): string[];
  /** What is selected: the entity the side panel shows, the entities selected together (sorted), the relation whose evidence is open. */
  selection(): { entity: string | null; entities: string[]; relation: string | null };
  /** The id of the view open below the canvas, and the timeline's window as its first and last day; null when none. */
  openView(): { view: string | null; window: { first: string; last: string } | null };
  /** Ids of the entities pinned, hidden and expanded, and of the relations hidden. */
  marks(): { pinned: string[]; hidden: string[]; expanded: string[]; hiddenRelations: string[] };
  /** How an expanded entity was expanded: its filter, relations fetched of the total, and whether a next page is there; null when not expanded. */
  expansion(id: string): { filter: ExpansionFilter; includedRetracted: boolean; fetched: number; total: number; more: boolean } | null;
  /** The moment queries ask about (asOf); null is now. */
  moment(): string | null;
  /** Whether the canvas follows changes as they land. */
  live(): string;
  /** Requests in flight that will change the canvas, plus one while the panels have yet to follow a change drawn. */
  pending(): number;
  /** An entity's name, as the canvas labels it. */
  label(id: string): string;
  /** Where an entity is drawn, in page coordinates (CSS pixels). */
  position(id: string): { x: number; y: number };
  /** Where an entity stands in the graph's own coordinates, which only the layout changes (sigma rescales the view). */
  coordinates(id: string): { x: number; y: number };
}

declare global {
  interface Window {
    __eventgraph?: TestHook;
  }
}

export function installTestHook(renderer: Sigma<NodeAttributes, EdgeAttributes>, container: HTMLElement): () => void {
  window.__eventgraph = {
    nodes: drawnEntities,
    edges: drawnRelationIds,
    pathRelations: () => [...onPaths.value.relations].filter((id) => graph.hasEdge(id)),
    outsideWindow: () => ({ entities: [...outsideWindow.value.entities], relations: [...outsideWindow.value.relations] }),
    changedRelations: () => [...changed.value.relations].filter((id) => graph.hasEdge(id)),
    selection: () => ({ entity: selectedEntity.value, entities: [...selectedEntities.value].sort(), relation: selectedRelation.value }),
    openView: () => ({ view: openView.value, window: timeWindow.value && windowDates(timeWindow.value) }),
    marks: () => ({
      pinned: graph.filterNodes((_, a) => a.pinned),
      hidden: graph.filterNodes((_, a) => a.hidden),
      expanded: graph.filterNodes((_, a) => a.expanded),
      hiddenRelations: graph.filterEdges((_, a) => a.hidden),
    }),
    expansion(id) {
      const a = graph.getNodeAttributes(id);
      return a.expanded ? { filter: a.filter ?? noFilter, includedRetracted: a.includedRetracted, fetched: a.fetched, total: a.total, more: a.nextPage != null } : null;
    },
    moment: () => moment.value,
    live: () => liveStatus.value,
    pending: () => pending.value + (panelVersion.value === graphVersion.value ? 0 : 1),
    label: (id) => graph.getNodeAttribute(id, "label"),
    position(id) {
      // Display data are in sigma's framed graph coordinates, as drawn.
      const p = renderer.framedGraphToViewport(renderer.getNodeDisplayData(id)!);
      const box = container.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    coordinates(id) {
      const { x, y } = graph.getNodeAttributes(id);
      return { x, y };
    },
  };
  return () => {
    delete window.__eventgraph;
  };
}
