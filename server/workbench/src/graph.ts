// Changes to the canvas graph: putting an entity on it and expanding one's neighbourhood.
import forceAtlas2 from "graphology-layout-forceatlas2";
import { type EntityRef, neighbourhood, type RelationRef } from "./api";
import { graph, graphVersion, notice, selectedEntity, track } from "./state";
import { entityStyles, relationColor, relationLabel } from "./style";

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
    const name = centre.label;
    notice.value = sub.truncated
      ? `${name}: the first ${sub.relations.length} relations are drawn; more were left out.`
      : `${name}: ${sub.relations.length} relations, ${fresh.length} new entities drawn.`;
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
