// The workbench's state, in one place: the graph drawn on the canvas and the signals
// the views render from. Views change state only through the functions here and in
// graph.ts, so what is selected and what is drawn cannot disagree.
import { computed, signal } from "@preact/signals";
import Graph from "graphology";
import type { Direction, EntityType, Path } from "./api";

export interface NodeAttributes {
  label: string;
  entityType: EntityType;
  x: number;
  y: number;
  size: number;
  color: string;
  /** The neighbourhood has been fetched and drawn. */
  expanded: boolean;
  /** Held in place while the layout moves new neighbours (forceAtlas2 reads it). */
  fixed?: boolean;
  /** Pinned by the analyst: no layout moves it. */
  pinned: boolean;
  /** Hidden by the analyst: on the canvas but not drawn (sigma reads it). */
  hidden: boolean;
  /** How the neighbourhood was asked for, to ask for its next page the same way. */
  filter?: ExpansionFilter;
  includedRetracted: boolean;
  /** The relations the filter keeps, and how many of them the pages fetched so far held. */
  total: number;
  fetched: number;
  /** Where the next page of relations starts; null when there is none. */
  nextPage: string | null;
  /** When there is a next page: how many relations of each type the filter keeps. */
  totalsByType: Record<string, number> | null;
}

export interface EdgeAttributes {
  relationType: string;
  role: string | null;
  contested: boolean;
  /** Withdrawn (drawn grey, and only while retracted relations are shown). */
  retracted: boolean;
  /** Hidden by the analyst. */
  hidden: boolean;
  size: number;
  color: string;
}

/** What the canvas draws: entities by id, relations by id (from → to). */
export const graph = new Graph<NodeAttributes, EdgeAttributes>({ type: "directed", multi: true });

/** Bumped whenever graph changes, for the views that list what is drawn. */
export const graphVersion = signal(0);

/** The entity whose details the side panel shows. */
export const selectedEntity = signal<string | null>(null);

/** The entities selected together (shift- or ctrl-click, the side panel's checkboxes), acted on at once. */
export const selectedEntities = signal<ReadonlySet<string>>(new Set());

/** Which relations the next expansions fetch: types (none means all), direction, valid time window (API Time values, "" for open). */
export interface ExpansionFilter {
  types: string[];
  direction: Direction;
  from: string;
  to: string;
}

export const noFilter: ExpansionFilter = { types: [], direction: "BOTH", from: "", to: "" };

export const expansionFilter = signal<ExpansionFilter>(noFilter);

/** Whether retracted relations are fetched by expansions and drawn (grey). */
export const showRetracted = signal(false);

/** The relation whose evidence the evidence panel shows; null closes it. */
export const selectedRelation = signal<string | null>(null);

/** The ends chosen for the paths view, entity ids on the canvas; either may be unset. */
export const pathFrom = signal<string | null>(null);
export const pathTo = signal<string | null>(null);

/** The last paths asked for, between entities named as they were when asked; null when none is shown. */
export const foundPaths = signal<{ from: string; to: string; maxHops: number; paths: Path[] } | null>(null);

/** The relations and entities of the paths shown, which the canvas highlights. */
export const onPaths = computed(() => {
  const relations = new Set<string>();
  const entities = new Set<string>();
  for (const path of foundPaths.value?.paths ?? []) {
    for (const { relation } of path.hops) {
      relations.add(relation.id);
      entities.add(relation.from.id).add(relation.to.id);
    }
  }
  return { relations, entities };
});

/** The latest message for the analyst (announced to screen readers). */
export const notice = signal("");

/** Requests in flight that change the canvas. */
export const pending = signal(0);

/** Runs work as one pending canvas change, reporting its failure as a notice. */
export async function track(work: () => Promise<void>): Promise<void> {
  pending.value++;
  try {
    await work();
  } catch (err) {
    notice.value = err instanceof Error ? err.message : String(err);
  } finally {
    pending.value--;
  }
}
