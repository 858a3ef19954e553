// Changes to the canvas graph: putting an entity on it, expanding one's neighbourhood a
// page at a time, collapsing, pinning, hiding and removing, drawing the paths between
// two, drawing it again at another moment, the relations added or retracted while it is
// open, and undoing the analyst's changes. Every change the analyst makes goes through
// change(), which keeps the history undo and redo walk.
import forceAtlas2 from "graphology-layout-forceatlas2";
import type { SerializedGraph } from "graphology-types";
import {
  type EntityRef,
  entitiesByID,
  type NeighbourRelation,
  paths,
  type RelationRef,
  relationCounts,
  type RelationsFilter,
  type RelationsPage,
  relationsByID,
  relationsPage,
  type RelationWithEnds,
} from "./api";
import {
  type EdgeAttributes,
  type ExpansionFilter,
  expansionFilter,
  expansionSize,
  expansionSizes,
  foundPaths,
  graph,
  graphVersion,
  moment,
  type NodeAttributes,
  notice,
  panelVersion,
  selectedEntities,
  selectedEntity,
  showRetracted,
  track,
} from "./state";
import { entityStyles, relationColor, relationLabel, retractedColor } from "./style";
import { count } from "./text";

/** How many canvas changes undo can take back. */
export const historyLimit = 50;

const past: SerializedGraph<NodeAttributes, EdgeAttributes>[] = [];
const future: SerializedGraph<NodeAttributes, EdgeAttributes>[] = [];

/** Keeps the canvas as it is, for undo to come back to. */
function remember(): void {
  past.push(graph.export());
  if (past.length > historyLimit) past.shift();
  future.length = 0;
}

/** Makes one canvas change that undo takes back whole; graphVersion tells the views. */
function change(work: () => void): void {
  remember();
  work();
  graphVersion.value++;
}

/**
 * Starts moving an entity by hand (a drag): one change however long the drag, and the
 * entity pinned, so that it stays where the analyst leaves it.
 */
export function startMove(id: string): void {
  remember();
  graph.setNodeAttribute(id, "pinned", true);
}

export function moveTo(id: string, x: number, y: number): void {
  graph.mergeNodeAttributes(id, { x, y });
}

export function endMove(id: string): void {
  notice.value = `${graph.getNodeAttribute(id, "label")} moved and pinned there.`;
  graphVersion.value++;
}

function restore(from: typeof past, to: typeof past, what: string): void {
  const snapshot = from.pop();
  if (!snapshot) return;
  to.push(graph.export());
  graph.clear();
  graph.import(snapshot);
  selectedEntities.value = new Set([...selectedEntities.value].filter((n) => graph.hasNode(n)));
  notice.value = `${what}: the canvas is as it was.`;
  graphVersion.value++;
}

/** Takes back the last canvas change. */
export function undo(): void {
  restore(past, future, "Undone");
}

/** Makes again the last change undone. */
export function redo(): void {
  restore(future, past, "Redone");
}

export function canUndo(): boolean {
  void panelVersion.value;
  return past.length > 0;
}

export function canRedo(): boolean {
  void panelVersion.value;
  return future.length > 0;
}

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
    pinned: false,
    hidden: false,
    includedRetracted: false,
    total: 0,
    fetched: 0,
    nextPage: null,
    totalsByType: null,
  });
  return true;
}

function addRelation(r: RelationRef & { retracted?: { at: string } | null }): void {
  if (graph.hasEdge(r.id) || !graph.hasNode(r.from.id) || !graph.hasNode(r.to.id)) return;
  const retracted = r.retracted != null;
  graph.addDirectedEdgeWithKey(r.id, r.from.id, r.to.id, {
    relationType: r.type,
    role: r.role,
    // The role (initiator, mediator, …) is the relation's label on the canvas.
    label: r.role ? r.role.toLowerCase() : undefined,
    contested: r.contested,
    validFrom: r.validFrom,
    validTo: r.validTo,
    retracted,
    hidden: false,
    size: r.contested ? 3 : 2,
    color: retracted ? retractedColor : relationColor(r.type, r.contested),
  });
}

/** Whether a relation is drawn: neither it nor an end hidden, and not retracted unless those are shown. */
export function relationDrawn(edge: string): boolean {
  const a = graph.getEdgeAttributes(edge);
  if (a.hidden || (a.retracted && !showRetracted.value)) return false;
  return !graph.getNodeAttribute(graph.source(edge), "hidden") && !graph.getNodeAttribute(graph.target(edge), "hidden");
}

/** The entities drawn, in the graph's order. */
export function drawnEntities(): string[] {
  return graph.filterNodes((_, a) => !a.hidden);
}

/** The relations drawn, in the graph's order. */
export function drawnRelationIds(): string[] {
  return graph.filterEdges((edge) => relationDrawn(edge));
}

/** How many entities and relations the analyst has hidden. */
export function hiddenCount(): number {
  return graph.filterNodes((_, a) => a.hidden).length + graph.filterEdges((_, a) => a.hidden).length;
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
  if (!graph.hasNode(entity.id)) {
    change(() => addNode(entity, x, y));
    notice.value = `${entity.name} is on the canvas.`;
  } else if (graph.getNodeAttribute(entity.id, "hidden")) {
    change(() => graph.setNodeAttribute(entity.id, "hidden", false));
  }
  select(entity.id);
}

/** Makes an entity the one the side panel shows, and the only one selected. */
export function select(id: string): void {
  selectedEntity.value = id;
  selectedEntities.value = new Set([id]);
}

/** Adds an entity to the selection, or takes it out (shift- or ctrl-click, the panel's checkboxes). */
export function toggleSelected(id: string): void {
  const next = new Set(selectedEntities.value);
  if (next.has(id)) next.delete(id);
  else {
    next.add(id);
    selectedEntity.value = id;
  }
  selectedEntities.value = next;
}

/** The API's filter for an expansion filter of the form. */
function apiFilter(f: ExpansionFilter): RelationsFilter {
  return {
    types: f.types.length ? f.types : null,
    direction: f.direction,
    from: f.from || null,
    to: f.to || null,
    includeRetracted: showRetracted.value,
  };
}

/**
 * Fetches the first page of an entity's relations that pass the expansion filter and
 * draws them: new neighbours on a circle around it, then a few force-directed steps
 * that move only them.
 */
export function expand(id: string): Promise<void> {
  return fetchPage(id, apiFilter(expansionFilter.value), null);
}

/** Fetches and draws the next page of an expanded entity's relations, filtered as its first. */
export function expandMore(id: string): Promise<void> {
  if (!graph.hasNode(id)) return Promise.resolve();
  const a = graph.getNodeAttributes(id);
  if (!a.filter || !a.nextPage) return Promise.resolve();
  return fetchPage(id, { ...apiFilter(a.filter), includeRetracted: a.includedRetracted }, a.nextPage);
}

function fetchPage(id: string, filter: RelationsFilter, after: string | null): Promise<void> {
  return track(async () => {
    const page = await relationsUpTo(id, filter, expansionSize.value, after);
    if (!graph.hasNode(id)) return;
    const name = graph.getNodeAttribute(id, "label");
    const fetchedBefore = after ? graph.getNodeAttribute(id, "fetched") : 0;
    let fresh = 0;
    change(() => (fresh = drawPage(id, page, filter, fetchedBefore)));
    notice.value = page.next
      ? `${name}: ${fetchedBefore + page.relations.length} of ${page.total} relations shown.`
      : `${name}: ${count(page.relations.length, "relation")}, ${count(fresh, "new entity", "new entities")} drawn.`;
    await countUndrawn(id, filter, page.next);
  });
}

/** Draws a page of an entity's relations fetched with filter, after fetchedBefore of them; returns how many entities were new. */
function drawPage(id: string, page: RelationsPage, filter: RelationsFilter, fetchedBefore: number): number {
  const fresh = newEnds(page.relations);
  placeAround(id, fresh, fetchedBefore);
  page.relations.forEach(addRelation);
  graph.mergeNodeAttributes(id, {
    expanded: true,
    hidden: false,
    filter: fromAPIFilter(filter),
    includedRetracted: filter.includeRetracted,
    total: page.total,
    fetched: fetchedBefore + page.relations.length,
    nextPage: page.next,
    totalsByType: null,
  });
  return fresh.length;
}

/** The largest page of an entity's relations the API gives (2,000: a hub in one round trip). */
const largestPage = 2000;

/**
 * Up to n of an entity's relations that pass filter, after a cursor: one page of the API,
 * or several one after another where n is more than its largest page.
 */
async function relationsUpTo(id: string, filter: RelationsFilter, n: number, after: string | null): Promise<RelationsPage> {
  const page = await relationsPage(id, filter, Math.min(n, largestPage), after);
  while (page.next && page.relations.length < n) {
    const more = await relationsPage(id, filter, Math.min(n - page.relations.length, largestPage), page.next);
    page.relations.push(...more.relations);
    page.next = more.next;
  }
  return page;
}

/**
 * Where an entity's drawn page left some of its relations over (next), asks how many of
 * each type the filter keeps, for the side panel's "Not drawn, by type". It is asked
 * after the page is drawn, so the canvas never waits for it; the counts join the
 * entity unless another page was drawn for it meanwhile. Not an undo step of its own.
 */
async function countUndrawn(id: string, filter: RelationsFilter, next: string | null): Promise<void> {
  if (!next) return;
  const totals = await relationCounts(id, filter);
  if (!graph.hasNode(id) || graph.getNodeAttribute(id, "nextPage") !== next) return;
  graph.setNodeAttribute(id, "totalsByType", totals);
  graphVersion.value++;
}

/**
 * Draws the canvas again as the graph stands at the moment chosen: the entities on it
 * that exist then, where they were, pinned and hidden as they were, the relations drawn
 * that exist then, and as many of the relations of expanded entities as were drawn,
 * filtered as they were. A redraw overtaken by another is dropped. One undo step.
 */
export function redraw(): Promise<void> {
  const generation = ++redraws;
  const before = new Map(graph.mapNodes((id, a) => [id, a] as const));
  const hiddenRelations = new Set(graph.filterEdges((_, a) => a.hidden));
  const drawnBefore = graph.edges();
  return track(async () => {
    const [entities, relations] = await Promise.all([entitiesByID([...before.keys()]), relationsByID(drawnBefore)]);
    const known = entities.filter((n) => n != null);
    const expanded = known.filter((n) => before.get(n.id)!.expanded);
    const pages = await Promise.all(
      expanded.map(async (n) => {
        const a = before.get(n.id)!;
        const filter = { ...apiFilter(a.filter ?? expansionFilter.value), includeRetracted: a.includedRetracted };
        return { filter, page: await relationsUpTo(n.id, filter, Math.max(expansionSizes[0], a.fetched), null) };
      }),
    );
    if (generation !== redraws) return;
    change(() => {
      graph.clear();
      for (const n of known) {
        const a = before.get(n.id)!;
        addNode(n, a.x, a.y);
        graph.mergeNodeAttributes(n.id, { pinned: a.pinned, hidden: a.hidden });
      }
      relations.forEach((r) => r && addRelation(r));
      expanded.forEach((n, i) => drawPage(n.id, pages[i].page, pages[i].filter, 0));
      hiddenRelations.forEach((r) => graph.hasEdge(r) && graph.setEdgeAttribute(r, "hidden", true));
    });
    selectedEntities.value = new Set([...selectedEntities.value].filter((n) => graph.hasNode(n)));
    const entityCount = count(graph.order, "entity", "entities");
    notice.value = `The canvas shows the graph ${moment.value ? `as known at ${moment.value}` : "as it stands now"}: ${entityCount}, ${count(graph.size, "relation")}.`;
    await Promise.all(expanded.map((n, i) => countUndrawn(n.id, pages[i].filter, pages[i].page.next)));
  });
}

let redraws = 0;

/**
 * How an entity was expanded, as a link holds it: the filter its pages were asked for
 * with (retracted relations included or not), how many of its relations those pages held,
 * and whether the API had more to give.
 */
export interface SharedExpansion {
  filter: ExpansionFilter;
  includedRetracted: boolean;
  fetched: number;
  more: boolean;
}

/**
 * An entity of a view drawn again from a link: where it stood (null to lay it out), and
 * what the analyst had made of it. An expanded one has its expansion where the link
 * holds it (links of form 1 do not).
 */
export interface ViewEntity {
  entity: EntityRef;
  at: { x: number; y: number } | null;
  expanded: boolean;
  expansion: SharedExpansion | null;
  pinned: boolean;
  hidden: boolean;
}

/**
 * Draws a view in place of the canvas (one undo step): the entities where they stood,
 * expanded, pinned and hidden as they were, and the relations among them, those in
 * hiddenRelations hidden. Entities without a place are laid out around the others.
 *
 * An expanded entity whose expansion the link holds takes it back: its filter, and how
 * many of its relations were fetched. Where the API had more to give, the cursor of the
 * next page is opaque, so the first `fetched` relations are fetched again under the
 * filter (one request up to 2,000 of them, a few beyond) for the cursor and the total,
 * as redraw() does: "Show next" then goes on where the analyst stopped, and the side
 * panel says "N of M relations shown" and counts by type what is not drawn. Only those
 * entities ask: an expansion that was whole needs no cursor, so a view of many small
 * expansions opens without a request each. Their relations are not drawn from these
 * pages but from the link's own list, which leaves out what the analyst took off the
 * canvas. An expanded entity of a link of form 1 counts the relations drawn at it as
 * fetched, filtered as the expansion filter says, with no next page.
 */
export async function drawView(entities: ViewEntity[], relations: RelationWithEnds[], hiddenRelations: ReadonlySet<string>): Promise<void> {
  const resumed = await Promise.all(
    entities.map(async ({ entity, expansion }) => {
      if (!expansion?.more) return null;
      const filter = { ...apiFilter(expansion.filter), includeRetracted: expansion.includedRetracted };
      return { filter, page: await relationsUpTo(entity.id, filter, expansion.fetched, null) };
    }),
  );
  change(() => {
    graph.clear();
    const unplaced = new Set<string>();
    const radius = Math.sqrt(entities.length);
    entities.forEach(({ entity, at }, i) => {
      if (!at) unplaced.add(entity.id);
      const angle = i * goldenAngle;
      addNode(entity, at?.x ?? radius * Math.cos(angle), at?.y ?? radius * Math.sin(angle));
    });
    relations.forEach(addRelation);
    hiddenRelations.forEach((r) => graph.hasEdge(r) && graph.setEdgeAttribute(r, "hidden", true));
    entities.forEach(({ entity, expanded, expansion, pinned, hidden }, i) => {
      graph.mergeNodeAttributes(entity.id, { pinned, hidden });
      if (!expanded) return;
      const page = resumed[i]?.page;
      const fetched = page ? page.relations.length : (expansion?.fetched ?? graph.degree(entity.id));
      graph.mergeNodeAttributes(entity.id, {
        expanded,
        filter: expansion?.filter ?? expansionFilter.value,
        includedRetracted: expansion?.includedRetracted ?? false,
        total: page?.total ?? fetched,
        fetched,
        nextPage: page?.next ?? null,
      });
    });
    if (unplaced.size > 1) layOut(unplaced, 100);
  });
  await Promise.all(resumed.map((r, i) => r && countUndrawn(entities[i].entity.id, r.filter, r.page.next)));
}

/**
 * Draws relations that were added while the canvas is open, each touching an expanded
 * entity on it: the other end joins beside that one. One already drawn is marked
 * contested or not anew (its evidence may have changed). Returns those added. Not an
 * undo step: undo takes back what the analyst did, not what others wrote.
 */
export function drawAdded(relations: RelationWithEnds[]): RelationWithEnds[] {
  let restyled = false;
  const drawn = relations.filter((r) => {
    if (graph.hasEdge(r.id)) {
      const a = graph.getEdgeAttributes(r.id);
      if (a.contested !== r.contested) {
        graph.mergeEdgeAttributes(r.id, { contested: r.contested, size: r.contested ? 3 : 2, color: a.retracted ? retractedColor : relationColor(r.type, r.contested) });
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

/** The ends of relations not on the canvas yet, each once. */
function newEnds(relations: NeighbourRelation[]): EntityRef[] {
  const ends = relations.flatMap((r) => [r.from, r.to]).filter((n) => !graph.hasNode(n.id));
  return [...new Map(ends.map((n) => [n.id, n])).values()];
}

/** The turn that places points one after another without two falling together (about 137.5°). */
const goldenAngle = Math.PI * (3 - Math.sqrt(5));

/**
 * Above this many new neighbours they are laid on a spiral and not moved by force-directed
 * steps, which cost the square of their number (seconds at 2,000 in the browser).
 */
const spiralAbove = 300;

/**
 * Puts new neighbours of an entity on a circle around it, outside the ring of the
 * relations fetched for it before, then runs a few force-directed steps that move only
 * them. An entity with neighbours drawn already starts its circle turned away from theirs.
 * Many neighbours go on a sunflower spiral instead, evenly spread, the first nearest.
 */
function placeAround(id: string, fresh: EntityRef[], before: number): void {
  const centre = graph.getNodeAttributes(id);
  const turn = graph.degree(id) * goldenAngle;
  if (fresh.length > spiralAbove) {
    // Vogel's spiral: the i-th point at radius c·√i keeps the area per point constant.
    const inner = 1 + before / 12;
    fresh.forEach((n, i) => {
      const r = inner + 0.35 * Math.sqrt(i + 1);
      const angle = i * goldenAngle + turn;
      addNode(n, centre.x + r * Math.cos(angle), centre.y + r * Math.sin(angle));
    });
    return;
  }
  const radius = 1 + (before + fresh.length) / 12;
  fresh.forEach((n, i) => {
    // From the top, clockwise: a few neighbours stand above and below rather than
    // at the sides, where their labels would run off the canvas.
    const angle = (2 * Math.PI * i) / fresh.length - Math.PI / 2 + turn;
    addNode(n, centre.x + radius * Math.cos(angle), centre.y + radius * Math.sin(angle));
  });
  if (fresh.length > 1) layOut(new Set(fresh.map((n) => n.id)), 30);
}

/**
 * Fetches the retracted relations of the entities expanded so far, filtered as each was,
 * and draws them with their ends: what "Show retracted" adds to expansions made before it
 * (by default those that did not fetch them; a view opened from a link, whose list of
 * relations leaves retracted ones out, asks for every expanded entity).
 */
export function drawRetracted(ids: string[] = graph.filterNodes((_, a) => a.expanded && !a.includedRetracted)): Promise<void> {
  return track(async () => {
    const found: [string, NeighbourRelation[]][] = [];
    for (const id of ids) {
      const filter = { ...apiFilter(graph.getNodeAttribute(id, "filter") ?? expansionFilter.value), includeRetracted: true };
      const retracted: NeighbourRelation[] = [];
      let after: string | null = null;
      do {
        const page: RelationsPage = await relationsPage(id, filter, largestPage, after);
        retracted.push(...page.relations.filter((r) => r.retracted));
        after = page.next;
      } while (after);
      if (retracted.length) found.push([id, retracted]);
    }
    const drawn = found.reduce((n, [, rels]) => n + rels.length, 0);
    if (drawn > 0 && showRetracted.value) {
      change(() => {
        for (const [id, relations] of found) {
          if (!graph.hasNode(id)) continue;
          placeAround(id, newEnds(relations), graph.getNodeAttribute(id, "fetched"));
          relations.forEach(addRelation);
        }
      });
    }
    notice.value = drawn ? `${count(drawn, "retracted relation")} of the expanded entities drawn.` : "The expanded entities have no retracted relations.";
  });
}

function fromAPIFilter(f: RelationsFilter): ExpansionFilter {
  return { types: f.types ?? [], direction: f.direction, from: f.from ?? "", to: f.to ?? "" };
}

/** Runs forceAtlas2 steps that move only the entities in moving (pinned ones never). */
function layOut(moving: ReadonlySet<string>, iterations: number): void {
  graph.forEachNode((n, a) => graph.setNodeAttribute(n, "fixed", a.pinned || !moving.has(n)));
  forceAtlas2.assign(graph, { iterations, settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: false } });
  graph.forEachNode((n) => graph.removeNodeAttribute(n, "fixed"));
}

/** Lays the whole canvas out again, moving everything but the pinned entities. */
export function layOutAgain(): void {
  change(() => layOut(new Set(graph.nodes()), 100));
  notice.value = "Laid out again; pinned entities stayed where they were.";
}

/** The other ends of an entity's relations that nothing else on the canvas holds: what collapsing it removes. */
export function collapsible(id: string): string[] {
  return graph.neighbors(id).filter((n) => {
    const a = graph.getNodeAttributes(n);
    return !a.pinned && !a.expanded && graph.neighbors(n).every((m) => m === id);
  });
}

/** Removes an expanded entity's neighbours that nothing else on the canvas holds; it can be expanded again. */
export function collapse(id: string): void {
  if (!graph.hasNode(id)) return;
  const gone = collapsible(id);
  change(() => {
    gone.forEach((n) => graph.dropNode(n));
    graph.mergeNodeAttributes(id, { expanded: false, total: 0, fetched: 0, nextPage: null, totalsByType: null });
  });
  notice.value = `${graph.getNodeAttribute(id, "label")} collapsed: ${count(gone.length, "entity", "entities")} removed.`;
}

/** Pins the entities (no layout moves them) or unpins them. */
export function setPinned(ids: Iterable<string>, pinned: boolean): void {
  const on = [...ids].filter((n) => graph.hasNode(n));
  change(() => on.forEach((n) => graph.setNodeAttribute(n, "pinned", pinned)));
  notice.value = `${count(on.length, "entity", "entities")} ${pinned ? "pinned" : "unpinned"}.`;
}

/** Hides the entities from view; they stay on the canvas until shown again. */
export function hide(ids: Iterable<string>): void {
  const on = [...ids].filter((n) => graph.hasNode(n));
  change(() => on.forEach((n) => graph.setNodeAttribute(n, "hidden", true)));
  selectedEntities.value = new Set([...selectedEntities.value].filter((n) => !on.includes(n)));
  notice.value = `${count(on.length, "entity", "entities")} hidden.`;
}

/** Hides one relation from view. */
export function hideRelation(id: string): void {
  if (!graph.hasEdge(id)) return;
  change(() => graph.setEdgeAttribute(id, "hidden", true));
  notice.value = "Relation hidden.";
}

/** Shows every hidden entity and relation again. */
export function showAll(): void {
  const n = hiddenCount();
  change(() => {
    graph.forEachNode((node, a) => a.hidden && graph.setNodeAttribute(node, "hidden", false));
    graph.forEachEdge((edge, a) => a.hidden && graph.setEdgeAttribute(edge, "hidden", false));
  });
  notice.value = `${count(n, "hidden entity or relation", "hidden entities and relations")} shown again.`;
}

/** Takes the entities off the canvas, with their relations. */
export function remove(ids: Iterable<string>): void {
  const on = [...ids].filter((n) => graph.hasNode(n));
  change(() => on.forEach((n) => graph.dropNode(n)));
  selectedEntities.value = new Set([...selectedEntities.value].filter((n) => graph.hasNode(n)));
  notice.value = `${count(on.length, "entity", "entities")} removed from the canvas.`;
}

/** Expands each of the entities not yet expanded, one after another. */
export async function expandAll(ids: Iterable<string>): Promise<void> {
  for (const n of [...ids]) {
    if (graph.hasNode(n) && !graph.getNodeAttribute(n, "expanded")) await expand(n);
  }
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
    change(() => {
      found.forEach((path, i) => {
        const offset = i - (found.length - 1) / 2;
        path.hops.forEach(({ forward, relation }, j) => {
          const next = forward ? relation.to : relation.from;
          const t = (j + 1) / path.hops.length;
          addNode(next, a.x + t * (b.x - a.x) + offset * across.x, a.y + t * (b.y - a.y) + offset * across.y);
          addRelation(relation);
        });
      });
    });
    foundPaths.value = { from: a.label, to: b.label, fromId: from, toId: to, maxHops, paths: found };
    notice.value = found.length
      ? `${count(found.length, "shortest path")} from ${a.label} to ${b.label} drawn.`
      : `No path within ${count(maxHops, "hop")} from ${a.label} to ${b.label}.`;
  });
}

/** The relations drawn at an entity, each as a sentence ("Abbas Araghchi represents Iran"), for the side panel's list. */
export function drawnRelations(id: string): { id: string; sentence: string; contested: boolean; retracted: boolean }[] {
  if (!graph.hasNode(id)) return [];
  return graph
    .filterEdges(id, (edge) => relationDrawn(edge))
    .map((edge) => {
      const a = graph.getEdgeAttributes(edge);
      return {
        id: edge,
        sentence: `${graph.getNodeAttribute(graph.source(edge), "label")} ${relationLabel(a.relationType)}${a.role ? ` (as ${a.role.toLowerCase()})` : ""} ${graph.getNodeAttribute(graph.target(edge), "label")}`,
        contested: a.contested,
        retracted: a.retracted,
      };
    });
}

/** Relations of an expanded entity not drawn, by type: its totals less those of its relations on the canvas. */
export function undrawnByType(id: string): [string, number][] {
  const a = graph.getNodeAttributes(id);
  if (!a.totalsByType) return [];
  const drawnByType: Record<string, number> = {};
  graph.forEachEdge(id, (_, e) => {
    drawnByType[e.relationType] = (drawnByType[e.relationType] ?? 0) + 1;
  });
  return Object.entries(a.totalsByType)
    .map(([t, n]): [string, number] => [t, Math.max(0, n - (drawnByType[t] ?? 0))])
    .filter(([, n]) => n > 0);
}
