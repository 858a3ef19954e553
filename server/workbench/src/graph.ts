// Changes to the canvas graph: putting an entity on it, expanding one's neighbourhood,
// drawing the paths between two, drawing it again at another moment, and the relations
// added or retracted while it is open.
import forceAtlas2 from "graphology-layout-forceatlas2";
import { type EntityRef, entitiesByID, neighbourhood, paths, type RelationRef, relationsByID, type RelationWithEnds, type Subgraph } from "./api";
import { foundPaths, graph, graphVersion, moment, notice, selectedEntity, track } from "./state";
import { entityStyles, relationColor, relationLabel } from "./style";
import { count } from "./text";

/**
 * How many relations one expansion draws at most. A hub's thousands of relations would
 * hide everything else; the panel says when the limit cut some off.
 */
export const expansionLimit = 150;

function addNode(entity: EntityRef, x: number, y: number): boolean {
  if (graph.hasNode(entity.id)) return false;
  const style = entityStyles[entity.__typename];
  graph.addNode(entity.id, {
    label: entity.name,
    entityType: entity.__typename,
    x,
    y,
    size: style.size,
    color: style.color,
    expanded: false,
    truncated: false,
  });
  return true;
}

function addRelation(r: RelationRef): void {
  if (graph.hasEdge(r.id) || !graph.hasNode(r.from.id) || !graph.hasNode(r.to.id)) return;
  graph.addDirectedEdgeWithKey(r.id, r.from.id, r.to.id, {
    relationType: r.type,
    role: r.role,
    contested: r.contested,
    validFrom: r.validFrom,
    validTo: r.validTo,
    size: r.contested ? 3 : 2,
    color: relationColor(r.type, r.contested),
  });
}

/** Puts an entity on the canvas (where it is, if it is there already) and selects it. */
export function place(entity: EntityRef): void {
  let x = 0;
  let y = 0;
  if (graph.order > 0) {
    // Beside what is drawn, not on top of it.
    graph.forEachNode((_, a) => {
      x = Math.max(x, a.x);
      y += a.y / graph.order;
    });
    x += 1;
  }
  if (addNode(entity, x, y)) {
    notice.value = `${entity.name} is on the canvas.`;
    graphVersion.value++;
  }
  selectedEntity.value = entity.id;
}

/**
 * Fetches an entity's neighbourhood and draws it: new neighbours on a circle around it,
 * then a few force-directed steps that move only them.
 */
export function expand(id: string): Promise<void> {
  return track(async () => {
    const sub = await neighbourhood(id, expansionLimit);
    if (!graph.hasNode(id)) return;
    const fresh = drawNeighbourhood(id, sub);
    const name = graph.getNodeAttribute(id, "label");
    notice.value = sub.truncated
      ? `${name}: the first ${sub.relations.length} relations are drawn; more were left out.`
      : `${name}: ${sub.relations.length} relations, ${fresh} new entities drawn.`;
    graphVersion.value++;
  });
}

/** Draws a neighbourhood fetched around an entity on the canvas; returns how many entities were new. */
function drawNeighbourhood(id: string, sub: Subgraph): number {
  const centre = graph.getNodeAttributes(id);
  const fresh = sub.nodes.filter((n) => !graph.hasNode(n.id));
  const radius = 1 + fresh.length / 12;
  fresh.forEach((n, i) => {
    // From the top, clockwise: a few neighbours stand above and below rather than
    // at the sides, where their labels would run off the canvas.
    const angle = (2 * Math.PI * i) / fresh.length - Math.PI / 2;
    addNode(n, centre.x + radius * Math.cos(angle), centre.y + radius * Math.sin(angle));
  });
  sub.relations.forEach(addRelation);
  graph.mergeNodeAttributes(id, { expanded: true, truncated: sub.truncated });
  if (fresh.length > 1) {
    const freshIds = new Set(fresh.map((n) => n.id));
    graph.forEachNode((n) => graph.setNodeAttribute(n, "fixed", !freshIds.has(n)));
    forceAtlas2.assign(graph, { iterations: 30, settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: false } });
    graph.forEachNode((n) => graph.removeNodeAttribute(n, "fixed"));
  }
  return fresh.length;
}

/**
 * Draws the canvas again as the graph stands at the moment chosen: the entities on it
 * that exist then, where they were, the relations drawn that exist then, and the
 * neighbourhoods of those that were expanded. A redraw overtaken by another is dropped.
 */
export function redraw(): Promise<void> {
  const generation = ++redraws;
  const before = new Map(graph.mapNodes((id, a) => [id, a] as const));
  const drawnBefore = graph.edges();
  return track(async () => {
    const [entities, relations] = await Promise.all([entitiesByID([...before.keys()]), relationsByID(drawnBefore)]);
    const known = entities.filter((n) => n != null);
    const expanded = known.filter((n) => before.get(n.id)!.expanded);
    const around = await Promise.all(expanded.map((n) => neighbourhood(n.id, expansionLimit)));
    if (generation !== redraws) return;
    graph.clear();
    for (const n of known) addNode(n, before.get(n.id)!.x, before.get(n.id)!.y);
    relations.forEach((r) => r && addRelation(r));
    expanded.forEach((n, i) => drawNeighbourhood(n.id, around[i]));
    const entityCount = graph.order === 1 ? "1 entity" : `${graph.order} entities`;
    notice.value = `The canvas shows the graph ${moment.value ? `as known at ${moment.value}` : "as it stands now"}: ${entityCount}, ${count(graph.size, "relation")}.`;
    graphVersion.value++;
  });
}

let redraws = 0;

/**
 * Draws relations that were added while the canvas is open, each touching an expanded
 * entity on it: the other end joins beside that one. One already drawn is marked
 * contested or not anew (its evidence may have changed). Returns those added.
 */
export function drawAdded(relations: RelationWithEnds[]): RelationWithEnds[] {
  let restyled = false;
  const drawn = relations.filter((r) => {
    if (graph.hasEdge(r.id)) {
      if (graph.getEdgeAttribute(r.id, "contested") !== r.contested) {
        graph.mergeEdgeAttributes(r.id, { contested: r.contested, size: r.contested ? 3 : 2, color: relationColor(r.type, r.contested) });
        restyled = true;
      }
      return false;
    }
    const anchor = [r.from, r.to].find((e) => graph.hasNode(e.id) && graph.getNodeAttribute(e.id, "expanded"));
    if (!anchor) return false;
    const at = graph.getNodeAttributes(anchor.id);
    for (const end of [r.from, r.to]) addNode(end, at.x + 1 + Math.random(), at.y + Math.random() - 0.5);
    addRelation(r);
    return true;
  });
  if (drawn.length || restyled) graphVersion.value++;
  return drawn;
}

/** Takes relations off the canvas (retracted ones); returns how many were drawn. */
export function dropRelations(ids: string[]): number {
  const drawn = ids.filter((id) => graph.hasEdge(id));
  drawn.forEach((id) => graph.dropEdge(id));
  if (drawn.length) graphVersion.value++;
  return drawn.length;
}

/** How many paths one search asks for and draws. */
export const pathsLimit = 5;

/**
 * Fetches the shortest paths between two entities on the canvas and draws them: each
 * path's new entities evenly between its ends, the paths side by side.
 */
export function findPaths(from: string, to: string, maxHops: number): Promise<void> {
  return track(async () => {
    const found = await paths(from, to, maxHops, pathsLimit);
    if (!graph.hasNode(from) || !graph.hasNode(to)) return;
    const a = graph.getNodeAttributes(from);
    const b = graph.getNodeAttributes(to);
    // Across the line from a to b, one unit apart; any direction when they coincide.
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const across = length ? { x: (a.y - b.y) / length, y: (b.x - a.x) / length } : { x: 0, y: 1 };
    found.forEach((path, i) => {
      const offset = i - (found.length - 1) / 2;
      path.hops.forEach(({ forward, relation }, j) => {
        const next = forward ? relation.to : relation.from;
        const t = (j + 1) / path.hops.length;
        addNode(next, a.x + t * (b.x - a.x) + offset * across.x, a.y + t * (b.y - a.y) + offset * across.y);
        addRelation(relation);
      });
    });
    foundPaths.value = { from: a.label, to: b.label, maxHops, paths: found };
    notice.value = found.length
      ? `${count(found.length, "shortest path")} from ${a.label} to ${b.label} drawn.`
      : `No path within ${count(maxHops, "hop")} from ${a.label} to ${b.label}.`;
    graphVersion.value++;
  });
}

/** The relations drawn at an entity, each as a sentence ("Abbas Araghchi represents Iran"), for the side panel's list. */
export function drawnRelations(id: string): { id: string; sentence: string; contested: boolean }[] {
  if (!graph.hasNode(id)) return [];
  return graph.mapEdges(id, (edge, a, source, target) => ({
    id: edge,
    sentence: `${graph.getNodeAttribute(source, "label")} ${relationLabel(a.relationType)} ${graph.getNodeAttribute(target, "label")}`,
    contested: a.contested,
  }));
}
