// Sharing: the page's address holds the view, in its fragment (after #, so the server
// never sees it), so that a link opens the same view elsewhere. The fragment is written
// with history.replaceState as the view changes (at most once a frame, no history entry
// per change) and read when the page opens, once the session is known, and when a link
// is pasted into the same tab (hashchange). What it holds:
//
//   v=2                    the form of the fragment (links of form 1, made before
//                          expansions were held, still open)
//   ids=a,b,…              the entities on the canvas (at most betweenLimit), in order
//   xy=x0,y0,x1,y1,…       where each stands, to 2 decimals; left out above positionsUpTo
//                          entities, whose view is laid out anew
//   expanded=, pinned=, hidden=   indexes into ids
//   filters=f,…            the filters expanded entities were expanded with, each once:
//                          types (joined by ".")~direction~from~to~retracted (1 or "")
//   expansions=k~n~m,…     one for each expanded entity, in the order of ids: its filter
//                          (index into filters), how many of its relations it fetched,
//                          and whether the API had more to give (1) or not (0)
//   rels=rel:…,…           the relations on the canvas among them (at most betweenRelationLimit;
//                          retracted ones come back with "Show retracted")
//   hiddenRels=            indexes into rels
//   entity=, selected=, evidence=   the entity the side panel shows, the entities selected
//                          together, the relation whose evidence is open
//   types=, direction=, from=, to=, size=  the expansion filter, and relations per expansion
//   retracted=1            retracted relations shown
//   asOf=                  the moment
//   view=, window=first,last   the view open below the canvas, the timeline's window
//   paths=from,to,maxHops  the paths shown
//
// Everything read is bounded and checked: a fragment that is not of this form opens an
// empty canvas with a notice saying why.
import { batch, effect, signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { betweenLimit, betweenRelationLimit, between, entitiesByID, type RelationWithEnds, relationTypes } from "./api";
import { signInReason, viewer } from "./auth";
import { drawRetracted, drawView, findPaths, type SharedExpansion, type ViewEntity } from "./graph";
import { normalTime } from "./moment";
import {
  expansionFilter,
  type ExpansionFilter,
  expansionSize,
  expansionSizes,
  foundPaths,
  graph,
  graphVersion,
  moment,
  noFilter,
  notice,
  openView,
  panelVersion,
  pathFrom,
  pathTo,
  selectedEntities,
  selectedEntity,
  selectedRelation,
  showRetracted,
  timeWindow,
  track,
} from "./state";
import { count } from "./text";
import { type Span, windowDates, windowOf } from "./time";
import { views } from "./views";

/** Above this many entities a link holds no positions (the view is laid out when opened): they would make it long. */
const positionsUpTo = 200;

/** The longest fragment read; a longer one is refused. 500 entities, all expanded, and 2,000 relations fit well within it. */
const maxFragment = 200_000;

/** The longest path the API looks for. */
const maxHopsLimit = 6;

/** How a node id looks (the API's seed keys); anything else in a link is refused. */
const entityId = /^[a-z0-9][a-z0-9._-]{0,127}$/;
/** How a relation id looks. */
const relationId = /^rel:[0-9a-f]{1,64}$/;
const dayForm = /^\d{4}-\d{2}-\d{2}$/;
/** The form of the fragment written; 1 is read too. */
const form = "2";
/** How an expanded entity's filter is written: types~direction~from~to~retracted. */
const filterForm = /^[A-Z_.]{0,400}~(|OUT|IN)~[^~,]{0,40}~[^~,]{0,40}~1?$/;
/** How an expansion is written: filter index~relations fetched~more (1) or not (0). */
const expansionForm = /^\d{1,4}~\d{1,6}~[01]$/;

/** A view as a link holds it, checked. */
interface SharedView {
  ids: string[];
  /** How many entities the link named beyond betweenLimit (not read). */
  beyond: number;
  positions: { x: number; y: number }[] | null;
  expanded: Set<number>;
  /** By index into ids, how each expanded entity was expanded; empty for a link of form 1. */
  expansions: Map<number, SharedExpansion>;
  pinned: Set<number>;
  hidden: Set<number>;
  relations: string[];
  hiddenRelations: Set<number>;
  entity: string | null;
  selected: string[];
  evidence: string | null;
  filter: ExpansionFilter;
  size: (typeof expansionSizes)[number];
  retracted: boolean;
  asOf: string | null;
  view: string | null;
  window: Span | null;
  paths: { from: string; to: string; maxHops: number } | null;
}

class Unreadable extends Error {}

/** The link of the view as it stands, kept for the field that shows it. */
const link = signal(location.href);

/** A value in a fragment: percent-encoded, but with the commas and colons of lists and ids left as they are. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%2C/g, ",").replace(/%3A/g, ":");
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function indexes(of: string[], keep: (id: string) => boolean): string {
  return of.flatMap((id, i) => (keep(id) ? [i] : [])).join(",");
}

/** The fragment of the view as it stands ("" for an empty canvas with nothing chosen). */
function fragmentOf(): string {
  const parts: [string, string][] = [];
  const ids = graph.nodes().slice(0, betweenLimit);
  const on = new Set(ids);
  if (ids.length) {
    parts.push(["ids", ids.join(",")]);
    if (ids.length <= positionsUpTo) parts.push(["xy", ids.flatMap((id) => [round(graph.getNodeAttribute(id, "x")), round(graph.getNodeAttribute(id, "y"))]).join(",")]);
    for (const flag of ["expanded", "pinned", "hidden"] as const) parts.push([flag, indexes(ids, (id) => graph.getNodeAttribute(id, flag))]);
    const filters: string[] = [];
    const expansions = ids
      .filter((id) => graph.getNodeAttribute(id, "expanded"))
      .map((id) => {
        const a = graph.getNodeAttributes(id);
        const f = a.filter ?? noFilter;
        const filter = [f.types.join("."), f.direction === "BOTH" ? "" : f.direction, f.from, f.to, a.includedRetracted ? "1" : ""].join("~");
        if (!filters.includes(filter)) filters.push(filter);
        return `${filters.indexOf(filter)}~${a.fetched}~${a.nextPage ? 1 : 0}`;
      });
    parts.push(["filters", filters.join(",")], ["expansions", expansions.join(",")]);
    const relations = graph
      .filterEdges((_, a, from, to) => !a.retracted && on.has(from) && on.has(to))
      .slice(0, betweenRelationLimit);
    parts.push(["rels", relations.join(",")], ["hiddenRels", indexes(relations, (r) => graph.getEdgeAttribute(r, "hidden"))]);
  }
  if (selectedEntity.value && on.has(selectedEntity.value)) parts.push(["entity", selectedEntity.value]);
  const selected = [...selectedEntities.value].filter((id) => on.has(id));
  if (selected.length > 1) parts.push(["selected", selected.join(",")]);
  if (selectedRelation.value) parts.push(["evidence", selectedRelation.value]);
  const f = expansionFilter.value;
  parts.push(["types", f.types.join(",")], ["direction", f.direction === "BOTH" ? "" : f.direction], ["from", f.from], ["to", f.to]);
  if (expansionSize.value !== expansionSizes[0]) parts.push(["size", String(expansionSize.value)]);
  if (showRetracted.value) parts.push(["retracted", "1"]);
  if (moment.value) parts.push(["asOf", moment.value]);
  if (openView.value) parts.push(["view", openView.value]);
  if (timeWindow.value) {
    const { first, last } = windowDates(timeWindow.value);
    parts.push(["window", `${first},${last}`]);
  }
  const found = foundPaths.value;
  if (found && on.has(found.fromId) && on.has(found.toId)) parts.push(["paths", `${found.fromId},${found.toId},${found.maxHops}`]);
  const kept = parts.filter(([, v]) => v !== "");
  return kept.length ? `v=${form}&${kept.map(([k, v]) => `${k}=${encode(v)}`).join("&")}` : "";
}

/** The list in a parameter, at most limit items (the rest counted); each must match form. */
function list(params: URLSearchParams, name: string, form: RegExp, limit: number): { items: string[]; beyond: number } {
  const value = params.get(name);
  if (!value) return { items: [], beyond: 0 };
  const all = value.split(",");
  for (const item of all.slice(0, limit)) {
    if (!form.test(item)) throw new Unreadable(`${name} holds "${item.slice(0, 40)}", which is not an id`);
  }
  return { items: [...new Set(all.slice(0, limit))], beyond: Math.max(0, all.length - limit) };
}

function indexSet(params: URLSearchParams, name: string, below: number): Set<number> {
  const { items } = list(params, name, /^\d{1,4}$/, below);
  const found = new Set(items.map(Number));
  for (const i of found) if (i >= below) throw new Unreadable(`${name} points past the end of its list`);
  return found;
}

function one(params: URLSearchParams, name: string, form: RegExp): string | null {
  const value = params.get(name);
  if (value == null || value === "") return null;
  if (!form.test(value)) throw new Unreadable(`${name} holds "${value.slice(0, 40)}", which it cannot`);
  return value;
}

function time(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  if (value == null || value === "") return null;
  const t = value.length <= 40 ? normalTime(value) : null;
  if (!t) throw new Unreadable(`${name} holds "${value.slice(0, 40)}", which is not a date or time`);
  return t;
}

/** Reads a fragment (without its #); throws Unreadable saying what is wrong. */
function parse(fragment: string): SharedView {
  if (fragment.length > maxFragment) throw new Unreadable(`it is ${fragment.length} characters long, more than the ${maxFragment} a view takes`);
  const params = new URLSearchParams(fragment);
  const version = params.get("v");
  if (version !== "1" && version !== form) throw new Unreadable("it does not describe a view of this workbench");
  const { items: ids, beyond } = list(params, "ids", entityId, betweenLimit);
  const expanded = indexSet(params, "expanded", ids.length);
  let positions: SharedView["positions"] = null;
  const xy = params.get("xy");
  if (xy) {
    const numbers = xy.split(",", 2 * ids.length + 1).map(Number);
    if (numbers.length !== 2 * ids.length || numbers.some((n) => !Number.isFinite(n) || Math.abs(n) > 1e6)) throw new Unreadable("its positions do not match its entities");
    positions = ids.map((_, i) => ({ x: numbers[2 * i], y: numbers[2 * i + 1] }));
  }
  const relations = list(params, "rels", relationId, betweenRelationLimit).items;
  const types = relationTypesIn(list(params, "types", /^[A-Z_]{1,40}$/, relationTypes.length).items);
  const paths = list(params, "paths", /^[a-z0-9._-]{1,128}$/, 3).items;
  const windowDays = list(params, "window", dayForm, 2).items;
  const window = windowDays.length === 2 ? windowOf(windowDays[0], windowDays[1]) : null;
  if (windowDays.length && !window) throw new Unreadable("its time window is not two days in order");
  const view = one(params, "view", /^[a-z-]{1,40}$/);
  if (view && !views.some((v) => v.id === view)) throw new Unreadable(`it opens a view "${view}" the workbench does not have`);
  const size = Number(one(params, "size", /^\d{1,5}$/) ?? expansionSizes[0]);
  if (!expansionSizes.some((n) => n === size)) throw new Unreadable(`it asks for ${size} relations per expansion, not one of ${expansionSizes.join(", ")}`);
  const maxHops = Number(paths[2]);
  if (paths.length && (paths.length !== 3 || !entityId.test(paths[0]) || !entityId.test(paths[1]) || !(maxHops >= 1 && maxHops <= maxHopsLimit))) {
    throw new Unreadable("its paths are not two entities and a number of hops (1 to 6)");
  }
  return {
    ids,
    beyond,
    positions,
    expanded,
    expansions: version === "1" ? new Map() : expansionsOf(params, [...expanded].sort((a, b) => a - b)),
    pinned: indexSet(params, "pinned", ids.length),
    hidden: indexSet(params, "hidden", ids.length),
    relations,
    hiddenRelations: indexSet(params, "hiddenRels", relations.length),
    entity: one(params, "entity", entityId),
    selected: list(params, "selected", entityId, betweenLimit).items,
    evidence: one(params, "evidence", relationId),
    filter: {
      types,
      direction: (one(params, "direction", /^(OUT|IN|BOTH)$/) ?? "BOTH") as ExpansionFilter["direction"],
      from: time(params, "from") ?? "",
      to: time(params, "to") ?? "",
    },
    size: size as SharedView["size"],
    retracted: one(params, "retracted", /^1$/) != null,
    asOf: time(params, "asOf"),
    view,
    window,
    paths: paths.length ? { from: paths[0], to: paths[1], maxHops } : null,
  };
}

/** The relation types a filter names, checked: the API must know each. */
function relationTypesIn(types: string[]): string[] {
  if (types.some((t) => !(relationTypes as readonly string[]).includes(t))) throw new Unreadable("its filter names a relation type the API does not know");
  return types;
}

/** The expansions of a link of form 2, one for each expanded entity (their indexes in order), by index. */
function expansionsOf(params: URLSearchParams, expanded: number[]): Map<number, SharedExpansion> {
  // Not read with list(), which drops repeats: expansions point into these lists by index.
  const items = (name: string, shape: RegExp) =>
    (params.get(name) ?? "")
      .split(",", betweenLimit + 1)
      .filter((item) => item !== "")
      .map((item) => {
        if (!shape.test(item)) throw new Unreadable(`${name} holds "${item.slice(0, 40)}", which it cannot`);
        return item;
      });
  const filters = items("filters", filterForm).map((written): Omit<SharedExpansion, "fetched" | "more"> => {
    const [types, direction, from, to, retracted] = written.split("~");
    const checked = new URLSearchParams({ from, to });
    return {
      filter: { types: relationTypesIn(types ? types.split(".") : []), direction: (direction || "BOTH") as ExpansionFilter["direction"], from: time(checked, "from") ?? "", to: time(checked, "to") ?? "" },
      includedRetracted: retracted === "1",
    };
  });
  const written = items("expansions", expansionForm);
  if (written.length !== expanded.length) throw new Unreadable(`it holds ${written.length} expansions for ${expanded.length} expanded entities`);
  return new Map(
    written.map((e, i) => {
      const [k, fetched, more] = e.split("~").map(Number);
      if (k >= filters.length) throw new Unreadable("an expansion points past the end of filters");
      return [expanded[i], { ...filters[k], fetched, more: more === 1 }];
    }),
  );
}

/** A link waiting for the session to be known before it is opened; null when none is. */
let waiting: string | null = location.hash.length > 1 ? location.hash.slice(1) : null;
/** While a link is being opened, the fragment is not written (it would say half the view). */
let opening = false;

/** Waits until the views have rendered what the signals say (effects run after a frame and a task). */
function rendered(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}

/** Opens the view a fragment holds in place of the canvas, or an empty canvas with a notice saying why it cannot. */
async function open(fragment: string): Promise<void> {
  opening = true;
  try {
    let view: SharedView;
    try {
      view = parse(fragment);
    } catch (err) {
      if (!(err instanceof Unreadable)) throw err;
      clear();
      if (graph.order > 0) await drawView([], [], new Set());
      notice.value = `This link's view could not be read (${err.message}): the canvas is empty.`;
      return;
    }
    await show(view);
  } finally {
    opening = false;
    // A link pasted while this one opened opens now.
    openWaiting();
    scheduleWrite();
  }
}

/** Forgets what was chosen for the view before (the canvas itself is drawn anew). */
function clear(): void {
  batch(() => {
    selectedRelation.value = null;
    selectedEntity.value = null;
    selectedEntities.value = new Set();
    foundPaths.value = null;
    pathFrom.value = null;
    pathTo.value = null;
    expansionFilter.value = noFilter;
    expansionSize.value = expansionSizes[0];
    showRetracted.value = false;
    timeWindow.value = null;
    openView.value = null;
    moment.value = null;
  });
}

async function show(view: SharedView): Promise<void> {
  clear();
  batch(() => {
    moment.value = view.asOf;
    expansionFilter.value = view.filter;
    expansionSize.value = view.size;
    showRetracted.value = view.retracted;
    openView.value = view.view;
  });
  const said: string[] = [];
  let opened = false;
  await track(async () => {
    const found = await entitiesByID(view.ids);
    const known = found.flatMap((entity, i) => (entity ? [{ i, entity }] : []));
    const sub = known.length ? await between(known.map((k) => k.entity.id)) : { relations: [] as RelationWithEnds[], truncated: false };
    // In the link's order, so that the view opened writes the same link.
    const listed = new Map(view.relations.map((id, i) => [id, i]));
    const relations = sub.relations.filter((r) => listed.has(r.id)).sort((a, b) => listed.get(a.id)! - listed.get(b.id)!);
    const hiddenRelations = new Set([...view.hiddenRelations].map((i) => view.relations[i]));
    const entities: ViewEntity[] = known.map(({ i, entity }) => ({
      entity,
      at: view.positions?.[i] ?? null,
      expanded: view.expanded.has(i),
      expansion: view.expansions.get(i) ?? null,
      pinned: view.pinned.has(i),
      hidden: view.hidden.has(i),
    }));
    await drawView(entities, relations, hiddenRelations);
    batch(() => {
      const on = (id: string | null) => (id && graph.hasNode(id) ? id : null);
      selectedEntity.value = on(view.entity);
      const selected = view.selected.filter((id) => graph.hasNode(id));
      selectedEntities.value = new Set(selected.length ? selected : selectedEntity.value ? [selectedEntity.value] : []);
      selectedRelation.value = view.evidence && graph.hasEdge(view.evidence) ? view.evidence : null;
      pathFrom.value = on(view.paths?.from ?? null);
      pathTo.value = on(view.paths?.to ?? null);
    });
    said.push(`${count(graph.order, "entity", "entities")} and ${count(graph.size, "relation")}`);
    if (view.beyond) said.push(`the link names ${count(view.beyond, "entity", "entities")} beyond the ${betweenLimit} a view holds, which were not read`);
    const unknown = view.ids.length - known.length;
    if (unknown) said.push(`${count(unknown, "entity", "entities")} not known ${view.asOf ? `at ${view.asOf}` : "now"} left out`);
    const missing = view.relations.length - relations.length;
    if (missing) said.push(`${count(missing, "relation")} not found among them left out`);
    if (sub.truncated) said.push(`the API gives at most ${betweenRelationLimit} relations among them`);
    opened = true;
  });
  if (!opened) return;
  if (view.window && view.view === "timeline") {
    // The timeline clears the window when it closes, and opens anew at each moment: set it once the timeline has rendered.
    await rendered();
    timeWindow.value = view.window;
  }
  if (view.retracted) await drawRetracted(graph.filterNodes((_, a) => a.expanded));
  if (view.paths && pathFrom.value && pathTo.value) await findPaths(view.paths.from, view.paths.to, view.paths.maxHops);
  notice.value = `Opened the link's view: ${said.join("; ")}.`;
}

let frame: number | null = null;

/** Writes the fragment of the view as it stands, unless a link waits to be opened or is being opened. */
function writeFragment(): void {
  if (frame != null) cancelAnimationFrame(frame);
  frame = null;
  if (waiting != null || opening) return;
  const fragment = fragmentOf();
  const address = `${location.pathname}${location.search}${fragment ? `#${fragment}` : ""}`;
  if (address !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, "", address);
  link.value = location.href;
}

function scheduleWrite(): void {
  if (frame == null) frame = requestAnimationFrame(writeFragment);
}

/** Opens the link waiting, once someone is signed in (or reads are open). */
function openWaiting(): void {
  if (waiting == null || opening || !viewer.value || signInReason.value != null) return;
  const fragment = waiting;
  waiting = null;
  void open(fragment);
}

/** Keeps the address in step with the view, and opens the view of a link when the page opens or one is pasted. */
export function followView(): void {
  effect(() => {
    void graphVersion.value;
    void selectedEntity.value;
    void selectedEntities.value;
    void selectedRelation.value;
    void expansionFilter.value;
    void expansionSize.value;
    void showRetracted.value;
    void moment.value;
    void openView.value;
    void timeWindow.value;
    void foundPaths.value;
    scheduleWrite();
  });
  effect(() => {
    void viewer.value;
    void signInReason.value;
    openWaiting();
  });
  addEventListener("hashchange", () => {
    waiting = location.hash.slice(1);
    openWaiting();
  });
}

/** The canvas toolbar's "Copy link": copies the address, which holds the view; where the clipboard is not allowed, shows it selected in a field. */
export function CopyLink() {
  void panelVersion.value;
  const field = useRef<HTMLInputElement>(null);
  const fallback = useSignal(false);
  const selectLink = () => {
    field.current?.focus();
    field.current?.select();
  };
  useEffect(() => {
    if (fallback.value) selectLink();
  }, [fallback.value]);
  const copy = async () => {
    writeFragment();
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(location.href);
      fallback.value = false;
      notice.value = "The link to this view is copied.";
    } catch {
      fallback.value = true;
      selectLink();
      notice.value = "The browser does not let the workbench copy: the link is selected in the field beside the button; copy it from there.";
    }
  };
  return (
    <span class="share">
      <button type="button" onClick={copy}>
        Copy link
      </button>
      {graph.order > betweenLimit && (
        <span class="warning">
          the link keeps {betweenLimit} of {graph.order} entities
        </span>
      )}
      {fallback.value && (
        <>
          <label for="share-link" class="visually-hidden">
            Link to this view
          </label>
          <input id="share-link" ref={field} type="text" readOnly value={link.value} onFocus={(e) => e.currentTarget.select()} />
        </>
      )}
    </span>
  );
}
