// The side panel: the selected entity (expand, next page, collapse, pin, hide, remove), its
// relations drawn on the canvas (each opens its evidence), the filters the next
// expansions use, the paths asked for, and every entity on the canvas with a checkbox to
// select several and act on them at once, so all of it is reachable by keyboard.
import { signal } from "@preact/signals";
import { relationTypes } from "./api";
import { ChangesPanel } from "./changes";
import {
  collapse,
  collapsible,
  drawnEntities,
  drawnRelations,
  expand,
  expandAll,
  expandMore,
  hide,
  hideRelation,
  remove,
  select,
  setPinned,
  toggleSelected,
  undrawnByType,
} from "./graph";
import { PathEnds, PathsPanel } from "./paths";
import {
  type ExpansionFilter,
  expansionFilter,
  expansionSize,
  expansionSizes,
  graph,
  noFilter,
  panelVersion,
  pending,
  selectedEntities,
  selectedEntity,
  selectedRelation,
} from "./state";
import { entityStyles, relationLabel } from "./style";
import { count } from "./text";

export function SelectionPanel() {
  void panelVersion.value;
  const id = selectedEntity.value;
  return (
    <aside class="side" aria-label="Selection">
      {id && graph.hasNode(id) ? <EntityDetails id={id} /> : <p class="hint">Search for an entity and pick it; click it on the canvas to expand its neighbourhood.</p>}
      <FilterForm />
      <PathsPanel />
      <ChangesPanel />
      <OnCanvas />
    </aside>
  );
}

function EntityDetails({ id }: { id: string }) {
  // Components that read graph subscribe to its changes: with signals, Preact skips a
  // component whose props and signals are unchanged.
  void panelVersion.value;
  // The canvas changes a moment before the panels follow it (panelVersion): the entity
  // may have left the canvas since this panel last showed it, and the hint takes its place then.
  if (!graph.hasNode(id)) return null;
  const a = graph.getNodeAttributes(id);
  const relations = drawnRelations(id);
  const busy = pending.value > 0;
  const undrawn = undrawnByType(id);
  return (
    <section class="panel" aria-labelledby="entity-heading">
      <h2 id="entity-heading">{a.label}</h2>
      <p class="kind">
        <span class="dot" style={{ background: entityStyles[a.entityType].color }} aria-hidden="true" />
        {entityStyles[a.entityType].label}
        {a.pinned && <span class="badge pinned">pinned</span>}
      </p>
      <button type="button" onClick={() => void expand(id)} disabled={busy}>
        {a.expanded ? "Expand again with the filters" : "Expand neighbourhood"}
      </button>
      <PathEnds id={id} />
      <p class="actions">
        <button type="button" onClick={() => setPinned([id], !a.pinned)} aria-pressed={a.pinned}>
          Pin
        </button>
        <button type="button" onClick={() => collapse(id)} disabled={busy || !a.expanded} title={`Removes ${count(collapsible(id).length, "neighbour")} nothing else holds`}>
          Collapse
        </button>
        <button type="button" onClick={() => hide([id])}>
          Hide
        </button>
        <button type="button" onClick={() => remove([id])}>
          Remove
        </button>
      </p>
      {a.expanded && a.nextPage && (
        <div class="more" role="group" aria-labelledby="more-heading">
          <p id="more-heading" class="warning">
            {a.fetched} of {a.total} relations shown.
          </p>
          <button type="button" onClick={() => void expandMore(id)} disabled={busy}>
            Show next {Math.min(expansionSize.value, a.total - a.fetched)}
          </button>
          {undrawn.length > 0 && (
            <>
              <h3 id="undrawn-heading">Not drawn, by type</h3>
              <ul class="undrawn" aria-labelledby="undrawn-heading">
                {undrawn.map(([t, n]) => (
                  <li key={t}>
                    {t}: {n} more
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <h3 id="relations-heading">Relations on the canvas ({relations.length})</h3>
      <ul class="relations" aria-labelledby="relations-heading">
        {shown(relations, `relations-${id}`).map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class={r.retracted ? "retracted" : r.contested ? "contested" : ""}
              aria-pressed={selectedRelation.value === r.id}
              data-relation={r.id}
              onClick={() => (selectedRelation.value = r.id)}
            >
              {r.sentence}
              {r.contested && <span class="badge">contested</span>}
              {r.retracted && <span class="badge retracted">retracted</span>}
            </button>
            <button type="button" class="hide-relation" aria-label={`Hide: ${r.sentence}`} title="Hide this relation" onClick={() => hideRelation(r.id)}>
              Hide
            </button>
          </li>
        ))}
      </ul>
      <ShowAll count={relations.length} list={`relations-${id}`} noun="relations" />
    </section>
  );
}

/** What a filter keeps, in words, or null when it keeps everything. */
function describeFilter(f: ExpansionFilter): string | null {
  const parts: string[] = [];
  if (f.types.length) parts.push(`only ${f.types.map(relationLabel).join(", ")}`);
  if (f.direction === "OUT") parts.push("outgoing");
  if (f.direction === "IN") parts.push("incoming");
  if (f.from || f.to) parts.push(`valid ${f.from || "any time"} to ${f.to || "any time"}`);
  return parts.length ? parts.join("; ") : null;
}

const directions: [ExpansionFilter["direction"], string][] = [
  ["BOTH", "both ways"],
  ["OUT", "outgoing"],
  ["IN", "incoming"],
];

function FilterForm() {
  const f = expansionFilter.value;
  const active = describeFilter(f);
  const set = (change: Partial<ExpansionFilter>) => (expansionFilter.value = { ...expansionFilter.value, ...change });
  return (
    <section class="panel filters" aria-labelledby="filters-heading">
      <h2 id="filters-heading">Expansion filters</h2>
      <p class={active ? "filter-active" : "hint"} role="status">
        {active ? `Next expansions: ${active}` : "Next expansions fetch every relation"}, {expansionSize.value.toLocaleString("en")} at a time.
      </p>
      <details>
        <summary>Change the filters</summary>
        <fieldset>
          <legend>Relation types (none checked: all)</legend>
          <ul class="types">
            {relationTypes.map((t) => (
              <li key={t}>
                <label>
                  <input
                    type="checkbox"
                    name="types"
                    value={t}
                    checked={f.types.includes(t)}
                    onChange={(e) => set({ types: (e.target as HTMLInputElement).checked ? [...f.types, t] : f.types.filter((x) => x !== t) })}
                  />{" "}
                  {relationLabel(t)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset class="direction">
          <legend>Direction</legend>
          {directions.map(([d, label]) => (
            <label key={d}>
              <input type="radio" name="direction" value={d} checked={f.direction === d} onChange={() => set({ direction: d })} /> {label}
            </label>
          ))}
        </fieldset>
        <p>
          <label for="expansion-size">Relations per expansion</label>{" "}
          <select
            id="expansion-size"
            value={expansionSize.value}
            onChange={(e) => (expansionSize.value = Number((e.target as HTMLSelectElement).value) as (typeof expansionSizes)[number])}
          >
            {expansionSizes.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString("en")}
              </option>
            ))}
          </select>
        </p>
        <p class="window">
          <label for="filter-from">Valid from</label>{" "}
          <input id="filter-from" type="text" inputMode="numeric" placeholder="2025 or 2025-06-13" value={f.from} onChange={(e) => set({ from: (e.target as HTMLInputElement).value.trim() })} />{" "}
          <label for="filter-to">to</label>{" "}
          <input id="filter-to" type="text" inputMode="numeric" placeholder="2026" value={f.to} onChange={(e) => set({ to: (e.target as HTMLInputElement).value.trim() })} />
        </p>
      </details>
      {active && (
        <button type="button" onClick={() => (expansionFilter.value = noFilter)}>
          Clear filters
        </button>
      )}
    </section>
  );
}

function OnCanvas() {
  void panelVersion.value;
  const ids = drawnEntities();
  if (ids.length === 0) return null;
  const chosen = [...selectedEntities.value].filter((n) => graph.hasNode(n));
  const busy = pending.value > 0;
  return (
    <details class="panel" open={chosen.length > 1}>
      <summary>On the canvas ({ids.length})</summary>
      {chosen.length > 1 && (
        <div class="selected-actions" role="group" aria-label={`${count(chosen.length, "entity", "entities")} selected`}>
          <span>{count(chosen.length, "entity", "entities")} selected:</span>
          <button type="button" onClick={() => void expandAll(chosen)} disabled={busy}>
            Expand
          </button>
          <button type="button" onClick={() => setPinned(chosen, true)}>
            Pin
          </button>
          <button type="button" onClick={() => hide(chosen)}>
            Hide
          </button>
          <button type="button" onClick={() => remove(chosen)}>
            Remove
          </button>
        </div>
      )}
      <ul class="entities">
        {shown(ids, "on-canvas").map((n) => {
          const label = graph.getNodeAttribute(n, "label");
          return (
            <li key={n}>
              <input type="checkbox" aria-label={`Select ${label}`} checked={selectedEntities.value.has(n)} onChange={() => toggleSelected(n)} />
              <button type="button" aria-current={selectedEntity.value === n} onClick={() => select(n)}>
                {label}
              </button>
            </li>
          );
        })}
      </ul>
      <ShowAll count={ids.length} list="on-canvas" noun="entities" />
    </details>
  );
}

/**
 * How many items of a list the panel shows until asked for all: a hub's thousands of
 * buttons would take the browser a second to lay out at every change.
 */
const listCap = 200;

/** The lists shown whole, by name. */
const wholeLists = signal<ReadonlySet<string>>(new Set());

/** The items of a list the panel shows: the first listCap, or all once asked for. */
function shown<T>(items: T[], list: string): T[] {
  return wholeLists.value.has(list) ? items : items.slice(0, listCap);
}

function ShowAll({ count: n, list, noun }: { count: number; list: string; noun: string }) {
  if (n <= listCap || wholeLists.value.has(list)) return null;
  return (
    <p class="hint">
      The first {listCap} of {n} {noun} are listed.{" "}
      <button type="button" onClick={() => (wholeLists.value = new Set([...wholeLists.value, list]))}>
        List all {n}
      </button>
    </p>
  );
}
