// The stance matrix: topics by actors, each cell the actor's stances on the topic as the
// API's stances answer gives them. Where the API marks two actors' positions on a topic
// as conflicting, both cells and the topic's row say so in words and are drawn in red.
// A cell opens its positions' evidence beside the matrix; Escape closes it. It follows
// changes to positions live, the cell open staying open.
import { useSignal } from "@preact/signals";
import { useLayoutEffect, useRef } from "preact/hooks";
import { type Position, type Stance, type StanceRow, stances } from "./api";
import { EvidenceColumn, Fact } from "./evidence";
import { useLiveQuery } from "./live";
import { relationLabel } from "./style";
import { count } from "./text";

/** "RULES_OUT" as "rules out": stances read as relation types do. */
const stanceLabel: (s: Stance) => string = relationLabel;

interface Actor {
  id: string;
  name: string;
}

/** The cell open, by its topic's and actor's ids: what it shows is read from the rows as they stand, which follow changes live. */
interface OpenedCell {
  topic: string;
  actor: string;
}

interface Opened {
  topic: StanceRow["topic"];
  actor: Actor;
  positions: Position[];
  /** The positions of other actors the API says these conflict with, as "United States demands". */
  opposed: Map<string, string[]>;
}

/** The positions of a row by id, each with its holder, for naming the sides of its conflicts. */
function holders(row: StanceRow): Map<string, { actor: Actor; position: Position }> {
  return new Map(row.cells.flatMap((c) => c.positions.map((p) => [p.id, { actor: c.actor, position: p }] as const)));
}

/** Each position of a row in conflict, with the sides it conflicts with ("United States demands"). */
function conflictsOf(row: StanceRow): Map<string, string[]> {
  const byId = holders(row);
  const side = (id: string) => {
    const h = byId.get(id);
    return h ? `${h.actor.name} ${stanceLabel(h.position.stance)}` : id;
  };
  const opposed = new Map<string, string[]>();
  for (const { a, b } of row.conflicts) {
    opposed.set(a.id, [...(opposed.get(a.id) ?? []), side(b.id)]);
    opposed.set(b.id, [...(opposed.get(b.id) ?? []), side(a.id)]);
  }
  return opposed;
}

/** What the open cell shows in these rows; null when it holds no position (any more). */
function openedIn(rows: StanceRow[], cell: OpenedCell | null): Opened | null {
  const row = cell && rows.find((r) => r.topic.id === cell.topic);
  const at = row?.cells.find((c) => c.actor.id === cell!.actor);
  if (!row || !at || at.positions.length === 0) return null;
  return { topic: row.topic, actor: at.actor, positions: at.positions, opposed: conflictsOf(row) };
}

export function StanceMatrix() {
  const rows = useSignal<StanceRow[] | null>(null);
  const error = useSignal("");
  const opened = useSignal<OpenedCell | null>(null);
  // Positions, their holders and topics, and the sources their evidence quotes.
  useLiveQuery(["POSITION", "ACTOR", "TOPIC", "SOURCE"], stances, (answer) => (rows.value = answer), (message) => (error.value = message));

  if (error.value) return <p role="alert">{error.value}</p>;
  if (!rows.value) return <p>Loading…</p>;
  if (rows.value.length === 0) return <p class="hint">No actor holds a position on any topic.</p>;
  // Columns: every actor holding a position on some topic, ordered by id as the API orders a row's cells.
  const actors = new Map<string, Actor>();
  for (const row of rows.value) for (const c of row.cells) actors.set(c.actor.id, c.actor);
  const columns = [...actors.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const open = openedIn(rows.value, opened.value);
  return (
    <div
      class="stance-view"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.preventDefault();
          opened.value = null;
        }
      }}
    >
      <table class="stance-matrix">
        <caption>Stances by topic and actor; a cell opens its evidence. Conflicts, where the API finds actors' stances opposed, are marked.</caption>
        <thead>
          <tr>
            <th scope="col">Topic</th>
            {columns.map((a) => (
              <th key={a.id} scope="col">
                {a.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.value.map((row) => {
            const opposed = conflictsOf(row);
            return (
              <tr key={row.topic.id} data-topic={row.topic.id} class={row.conflicts.length ? "conflict" : undefined}>
                <th scope="row">
                  {row.topic.name}
                  {row.conflicts.length > 0 && <span class="conflict-note">{count(row.conflicts.length, "conflict")}</span>}
                </th>
                {columns.map((actor) => {
                  const positions = row.cells.find((c) => c.actor.id === actor.id)?.positions ?? [];
                  const inConflict = positions.some((p) => opposed.has(p.id));
                  const contested = positions.some((p) => p.contested);
                  const isOpen = opened.value?.topic === row.topic.id && opened.value.actor === actor.id;
                  return (
                    <td key={actor.id} data-actor={actor.id} class={inConflict ? "conflict" : undefined}>
                      {positions.length === 0 ? (
                        <span class="hint">no position</span>
                      ) : (
                        <button
                          type="button"
                          aria-pressed={isOpen}
                          onClick={() => (opened.value = isOpen ? null : { topic: row.topic.id, actor: actor.id })}
                        >
                          <span class="visually-hidden">
                            {actor.name} on {row.topic.name}:{" "}
                          </span>
                          <span class="stance">{positions.map((p) => stanceLabel(p.stance)).join(", ")}</span>
                          {inConflict && <span class="badge">conflict</span>}
                          {contested && <span class="badge">contested</span>}
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {open && <CellDetail key={`${open.topic.id} ${open.actor.id}`} {...open} onClose={() => (opened.value = null)} />}
    </div>
  );
}

function CellDetail({ topic, actor, positions, opposed, onClose }: Opened & { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  // As the evidence panel does: the focus goes to the close button, and back to the cell
  // that opened it in the commit that removes the detail.
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <section class="stance-detail" aria-labelledby="stance-detail-heading">
      <header>
        <h3 id="stance-detail-heading">
          {actor.name} on {topic.name}
        </h3>
        <button type="button" ref={close} onClick={onClose} aria-label="Close the cell's evidence (Escape)">
          ×
        </button>
      </header>
      {positions.map((p) => {
        const against = opposed.get(p.id) ?? [];
        return (
          <article key={p.id} data-position={p.id}>
            <p class="stance-line">
              <strong>{stanceLabel(p.stance)}</strong>
              {p.statement && `: ${p.statement}`}
            </p>
            <dl class="facts">
              {against.length > 0 && <Fact name="Conflicts with" value={against.join("; ")} />}
              <Fact name="Contested" value={p.contested ? "yes: some evidence disputes it" : "no"} />
              {p.statedAt && <Fact name="Stated" value={p.statedAt} />}
              {(p.validFrom || p.validTo) && <Fact name="Valid" value={`${p.validFrom ?? "…"} – ${p.validTo ?? "…"}`} />}
              <Fact name="Corroboration" value={`${count(p.corroboration.sources, "source")}, ${count(p.corroboration.publishers, "publisher")}`} />
            </dl>
            <div class="stances">
              <EvidenceColumn title="Supporting" records={p.evidence.filter((e) => e.stance !== "DISPUTES")} />
              <EvidenceColumn title="Disputing" records={p.evidence.filter((e) => e.stance === "DISPUTES")} />
            </div>
          </article>
        );
      })}
    </section>
  );
}
