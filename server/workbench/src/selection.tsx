// The side panel: the selected entity, its relations drawn on the canvas (each opens its
// evidence), the paths asked for, and every entity on the canvas, so all of it is reachable by keyboard.
import { ChangesPanel } from "./changes";
import { drawnRelations, expand, expansionLimit } from "./graph";
import { PathEnds, PathsPanel } from "./paths";
import { graph, graphVersion, pending, selectedEntity, selectedRelation } from "./state";
import { entityStyles } from "./style";

export function SelectionPanel() {
  void graphVersion.value;
  const id = selectedEntity.value;
  return (
    <aside class="side" aria-label="Selection">
      {id && graph.hasNode(id) ? <EntityDetails id={id} /> : <p class="hint">Search for an entity and pick it; click it on the canvas to expand its neighbourhood.</p>}
      <PathsPanel />
      <ChangesPanel />
      <OnCanvas />
    </aside>
  );
}

function EntityDetails({ id }: { id: string }) {
  // Components that read graph subscribe to its changes: with signals, Preact skips a
  // component whose props and signals are unchanged.
  void graphVersion.value;
  const a = graph.getNodeAttributes(id);
  const relations = drawnRelations(id);
  return (
    <section class="panel" aria-labelledby="entity-heading">
      <h2 id="entity-heading">{a.label}</h2>
      <p class="kind">
        <span class="dot" style={{ background: entityStyles[a.entityType].color }} aria-hidden="true" />
        {entityStyles[a.entityType].label}
      </p>
      <button type="button" onClick={() => void expand(id)} disabled={a.expanded || pending.value > 0}>
        {a.expanded ? "Neighbourhood drawn" : "Expand neighbourhood"}
      </button>
      <PathEnds id={id} />
      {a.truncated && <p class="warning">More than {expansionLimit} relations: only the first {expansionLimit} are drawn.</p>}
      <h3 id="relations-heading">Relations on the canvas ({relations.length})</h3>
      <ul class="relations" aria-labelledby="relations-heading">
        {relations.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class={r.contested ? "contested" : ""}
              aria-pressed={selectedRelation.value === r.id}
              data-relation={r.id}
              onClick={() => (selectedRelation.value = r.id)}
            >
              {r.sentence}
              {r.contested && <span class="badge">contested</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function OnCanvas() {
  void graphVersion.value;
  const ids = graph.nodes();
  if (ids.length === 0) return null;
  return (
    <details class="panel">
      <summary>On the canvas ({ids.length})</summary>
      <ul class="entities">
        {ids.map((n) => (
          <li key={n}>
            <button type="button" aria-current={selectedEntity.value === n} onClick={() => (selectedEntity.value = n)}>
              {graph.getNodeAttribute(n, "label")}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
