// The workbench's state, in one place: the graph drawn on the canvas and the signals
// the views render from. Views change state only through the functions here and in
// graph.ts, so what is selected and what is drawn cannot disagree.
import { computed, effect, signal } from "@preact/signals";
import Graph from "graphology";
import type { Direction, EntityType, Path } from "./api";
import { overlaps, type Span, validSpan } from "./time";

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
  /** What sigma writes on the relation: its role, when it has one. */
  label?: string;
  contested: boolean;
  /** When the relation held in the world, where known. */
  validFrom: string | null;
  validTo: string | null;
  /** Withdrawn (drawn grey, and only while retracted relations are shown). */
  retracted: boolean;
  /** Hidden by the analyst. */
  hidden: boolean;
  size: number;
  color: string;
}

/** What the canvas draws: entities by id, relations by id (from → to). */
export const graph = new Graph<NodeAttributes, EdgeAttributes>({ type: "directed", multi: true });

/** Bumped whenever graph changes: the canvas follows it at once. */
export const graphVersion = signal(0);

/**
 * graphVersion as the panels and views that list what is drawn follow it: once the frame
 * that draws the change has started, so that the canvas shows a large expansion before
 * the side panel, legend and counts of it are built (about a third of the time a page of
 * 2,000 relations takes to show). Tests see the lag as a pending change.
 */
export const panelVersion = signal(0);
let panelsBehind = false;
effect(() => {
  void graphVersion.value;
  if (panelsBehind) return;
  panelsBehind = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      panelsBehind = false;
      panelVersion.value = graphVersion.peek();
    }),
  );
});

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

/** The sizes an expansion, or its next page, may take: a hub's thousands of relations would hide everything else, so the smallest is the default. */
export const expansionSizes = [150, 500, 2000] as const;

/** How many relations one expansion, or one more page of it, draws at most. */
export const expansionSize = signal<(typeof expansionSizes)[number]>(expansionSizes[0]);

/** Whether retracted relations are fetched by expansions and drawn (grey). */
export const showRetracted = signal(false);

/** The relation whose evidence the evidence panel shows; null closes it. */
export const selectedRelation = signal<string | null>(null);

/** The ends chosen for the paths view, entity ids on the canvas; either may be unset. */
export const pathFrom = signal<string | null>(null);
export const pathTo = signal<string | null>(null);

/** The last paths asked for, between entities named as they were when asked (ids: fromId, toId); null when none is shown. */
export const foundPaths = signal<{ from: string; to: string; fromId: string; toId: string; maxHops: number; paths: Path[] } | null>(null);

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

/** The id of the view open below the canvas (views.tsx); null when none is. */
export const openView = signal<string | null>(null);

/** The time window brushed on the timeline; null shows everything. */
export const timeWindow = signal<Span | null>(null);

/** The spans of the dated events the timeline holds, by id. */
export const eventSpans = signal<ReadonlyMap<string, Span>>(new Map());

/**
 * What the canvas greys while a window is brushed. A relation goes by its valid time
 * where it has one; one without takes the spans of its dated event ends (an event's
 * participants, place and parts held when it happened), and one with neither is kept,
 * as the API's claims filter keeps a claim with no valid time in every window. An
 * entity is greyed when it is an event dated outside the window.
 */
export const outsideWindow = computed(() => {
  void graphVersion.value;
  const brushed = timeWindow.value;
  const spans = eventSpans.value;
  const entities = new Set<string>();
  const relations = new Set<string>();
  if (!brushed) return { entities, relations };
  graph.forEachNode((id) => {
    const span = spans.get(id);
    if (span && !overlaps(span, brushed)) entities.add(id);
  });
  graph.forEachEdge((id, a, from, to) => {
    const valid = validSpan(a.validFrom, a.validTo);
    const ends = [spans.get(from), spans.get(to)].filter((s) => s !== undefined);
    const inside = valid ? overlaps(valid, brushed) : ends.length === 0 || ends.some((s) => overlaps(s, brushed));
    if (!inside) relations.add(id);
  });
  return { entities, relations };
});
/** The moment every query asks about (asOf: a date or an RFC 3339 time); null is now. */
export const moment = signal<string | null>(null);

/** The entities and relations written since the moment the changes view asks about, which the canvas highlights. */
export const changed = signal<{ entities: Set<string>; relations: Set<string> }>({ entities: new Set(), relations: new Set() });

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
