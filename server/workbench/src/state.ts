// The workbench's state, in one place: the graph drawn on the canvas and the signals
// the views render from. Views change state only through the functions here and in
// graph.ts, so what is selected and what is drawn cannot disagree.
import { computed, signal } from "@preact/signals";
import Graph from "graphology";
import type { EntityType, Path } from "./api";

export interface NodeAttributes {
  label: string;
  entityType: EntityType;
  x: number;
  y: number;
  size: number;
  color: string;
  /** The neighbourhood has been fetched and drawn. */
  expanded: boolean;
  /** The neighbourhood had more relations than were drawn. */
  truncated: boolean;
  /** Held in place while the layout moves new neighbours (forceAtlas2 reads it). */
  fixed?: boolean;
}

export interface EdgeAttributes {
  relationType: string;
  role: string | null;
  contested: boolean;
  size: number;
  color: string;
}

/** What the canvas draws: entities by id, relations by id (from → to). */
export const graph = new Graph<NodeAttributes, EdgeAttributes>({ type: "directed", multi: true });

/** Bumped whenever graph changes, for the views that list what is drawn. */
export const graphVersion = signal(0);

/** The entity whose details the side panel shows. */
export const selectedEntity = signal<string | null>(null);

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
