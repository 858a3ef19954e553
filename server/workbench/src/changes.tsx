// "Changed since": the commits made after a moment (the API's changes), each with its
// author and what it wrote. The entities and relations written are highlighted on the
// canvas; the relations are listed by name, and those on the canvas open their evidence.
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { changes, type GraphChange, relationsByID, type RelationWithEnds } from "./api";
import { normalTime } from "./moment";
import { changed, graph, notice, panelVersion, selectedRelation } from "./state";
import { relationLabel } from "./style";
import { count } from "./text";

/** How many commits one look at the changes lists, and how many relations it names. */
const changesLimit = 50;
const namedLimit = 100;

interface Shown {
  since: string;
  totalCount: number;
  changes: GraphChange[];
  /** The relations written, by id, named as they stand; a retracted one is absent. */
  relations: Map<string, RelationWithEnds>;
}

export function ChangesPanel() {
  void panelVersion.value;
  const input = useRef<HTMLInputElement>(null);
  const shown = useSignal<Shown | null>(null);
  const error = useSignal("");

  const submit = async (e: Event) => {
    e.preventDefault();
    const since = normalTime(input.current!.value);
    if (!since) {
      error.value = "Give a date (2025-06-13) or a time (2025-06-13T12:00Z).";
      return;
    }
    error.value = "";
    try {
      const found = await changes(since, changesLimit);
      const ids = [...new Set(found.changes.flatMap((c) => c.relationIds))].slice(0, namedLimit);
      const named = await relationsByID(ids);
      const relations = new Map(named.filter((r): r is RelationWithEnds => r != null).map((r) => [r.id, r]));
      shown.value = { since, ...found, relations };
      changed.value = {
        entities: new Set(found.changes.flatMap((c) => c.nodeIds)),
        relations: new Set(found.changes.flatMap((c) => c.relationIds)),
      };
      notice.value = `${count(found.totalCount, "change")} since ${since}; what they wrote is highlighted on the canvas.`;
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  };
  const clear = () => {
    shown.value = null;
    changed.value = { entities: new Set(), relations: new Set() };
  };

  const s = shown.value;
  return (
    <section class="panel changes" aria-labelledby="changes-heading">
      <h2 id="changes-heading">Changed since</h2>
      <form onSubmit={submit}>
        <label for="changes-since">Changed since (date or time)</label>
        <input id="changes-since" ref={input} type="text" autocomplete="off" placeholder="2025-06-13" />
        <button type="submit">Show changes</button>
        {s && (
          <button type="button" onClick={clear}>
            Clear
          </button>
        )}
      </form>
      {error.value && (
        <p class="warning" role="alert">
          {error.value}
        </p>
      )}
      {s && (
        <>
          <p>
            {s.totalCount === 0 ? `Nothing changed since ${s.since}.` : `${count(s.totalCount, "change")} since ${s.since}`}
            {s.totalCount > s.changes.length && `, the first ${s.changes.length} listed`}
          </p>
          <ol class="change-list">
            {s.changes.map((c) => (
              <ChangeItem key={c.version} change={c} relations={s.relations} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function ChangeItem({ change: c, relations }: { change: GraphChange; relations: Map<string, RelationWithEnds> }) {
  const named = c.relationIds.filter((id) => relations.has(id));
  const gone = c.relationIds.filter((id) => !relations.has(id)).length;
  return (
    <li data-version={c.version}>
      <p class="change-head">
        <strong class="change-author">{c.author}</strong> at <time dateTime={c.at}>{c.at}</time>: {count(c.nodeCount, "node")}, {count(c.relationCount, "relation")},{" "}
        {count(c.evidenceCount, "evidence record")}
      </p>
      {named.length > 0 && (
        <ul class="relations">
          {named.map((id) => {
            const r = relations.get(id)!;
            const sentence = `${r.from.name} ${relationLabel(r.type)} ${r.to.name}`;
            return (
              <li key={id}>
                {graph.hasEdge(id) ? (
                  <button type="button" data-changed-relation={id} aria-pressed={selectedRelation.value === id} onClick={() => (selectedRelation.value = id)}>
                    {sentence}
                  </button>
                ) : (
                  <span data-changed-relation={id}>{sentence} (not on the canvas)</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {gone > 0 && <p class="hint">{count(gone, "relation")} retracted since, or beyond the first {namedLimit} named.</p>}
    </li>
  );
}
