// The paths view: an analyst marks one entity "path from here" and another "path to
// here", asks for the shortest paths between them, and reads each hop as a sentence
// with the quote that supports it. The canvas draws and highlights the paths.
import { useSignal } from "@preact/signals";
import type { Path } from "./api";
import { findPaths } from "./graph";
import { foundPaths, graph, panelVersion, pathFrom, pathTo, pending, selectedRelation } from "./state";
import { relationLabel } from "./style";
import { count } from "./text";

/** The longest path the API looks for. */
const maxHopsLimit = 6;

/** The side panel's buttons that make an entity an end of the paths asked for. */
export function PathEnds({ id }: { id: string }) {
  return (
    <p class="path-ends">
      <button type="button" aria-pressed={pathFrom.value === id} onClick={() => (pathFrom.value = id)}>
        Path from here
      </button>
      <button type="button" aria-pressed={pathTo.value === id} onClick={() => (pathTo.value = id)}>
        Path to here
      </button>
    </p>
  );
}

function label(id: string | null): string {
  return id && graph.hasNode(id) ? graph.getNodeAttribute(id, "label") : "not chosen";
}

export function PathsPanel() {
  void panelVersion.value;
  const maxHops = useSignal(4);
  const from = pathFrom.value;
  const to = pathTo.value;
  const found = foundPaths.value;
  if (!from && !to && !found) return null;
  const ready = from && to && from !== to && graph.hasNode(from) && graph.hasNode(to);
  return (
    <section class="panel paths" aria-labelledby="paths-heading">
      <h2 id="paths-heading">Paths</h2>
      <dl class="facts">
        <dt>from</dt>
        <dd>{label(from)}</dd>
        <dt>to</dt>
        <dd>{label(to)}</dd>
      </dl>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void findPaths(from, to, maxHops.value);
        }}
      >
        <label for="paths-max-hops">At most</label>{" "}
        <select id="paths-max-hops" value={maxHops.value} onChange={(e) => (maxHops.value = Number((e.target as HTMLSelectElement).value))}>
          {Array.from({ length: maxHopsLimit }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {count(n, "hop")}
            </option>
          ))}
        </select>{" "}
        <button type="submit" disabled={!ready || pending.value > 0}>
          Find paths
        </button>{" "}
        {found && (
          <button type="button" onClick={() => (foundPaths.value = null)}>
            Clear paths
          </button>
        )}
      </form>
      {found && <Found {...found} />}
    </section>
  );
}

function Found({ from, to, maxHops, paths }: { from: string; to: string; maxHops: number; paths: Path[] }) {
  if (paths.length === 0) {
    return (
      <p class="warning">
        No path within {count(maxHops, "hop")} from {from} to {to}.
      </p>
    );
  }
  return (
    <>
      <h3 id="paths-found-heading">
        {count(paths.length, "shortest path")} from {from} to {to}
      </h3>
      <ol class="path-list" aria-labelledby="paths-found-heading">
        {paths.map((path, i) => (
          <li key={i} data-path={i}>
            <span class="path-length">
              {count(path.length, "hop")}
            </span>
            <ol class="hops">
              {path.hops.map(({ forward, relation: r }) => {
                const [first] = r.evidence;
                return (
                  <li key={r.id} data-hop-relation={r.id}>
                    <button type="button" aria-pressed={selectedRelation.value === r.id} onClick={() => (selectedRelation.value = r.id)}>
                      {r.from.name} {relationLabel(r.type)} {r.to.name}
                    </button>
                    {!forward && <span class="hop-direction"> (followed from {r.to.name} back to {r.from.name})</span>}
                    {first ? (
                      <blockquote class="hop-quote">
                        <p>{first.quote}</p>
                        <cite>{first.source.title}</cite>
                      </blockquote>
                    ) : (
                      <p class="hint">No supporting quote.</p>
                    )}
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
    </>
  );
}
