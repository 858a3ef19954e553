// Editing actions, shown only to a viewer who may write and only on the graph as it
// stands now (not at a moment in the past). Retracting a relation asks for a reason,
// which history keeps with the editor's name.
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { retract } from "./api";
import { canWrite } from "./auth";
import { dropRelations } from "./graph";
import { moment, notice, selectedRelation } from "./state";

/** Whether editing actions show. */
export function editing(): boolean {
  return canWrite.value && moment.value == null;
}

/** "Retract this relation", then a reason and a confirmation; the canvas loses the relation. */
export function RetractRelation({ id, sentence }: { id: string; sentence: string }) {
  const asking = useSignal(false);
  const error = useSignal("");
  const busy = useSignal(false);
  const reason = useRef<HTMLTextAreaElement>(null);
  if (!editing()) return null;
  if (!asking.value) {
    return (
      <button type="button" class="edit" onClick={() => (asking.value = true)}>
        Retract this relation
      </button>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    const why = reason.current!.value.trim();
    if (!why) {
      error.value = "Give a reason: history keeps it with the retraction.";
      return;
    }
    busy.value = true;
    try {
      await retract(id, why);
      dropRelations([id]);
      selectedRelation.value = null;
      notice.value = `Retracted: ${sentence}.`;
    } catch (err) {
      error.value = `The server refused: ${err instanceof Error ? err.message : err}`;
      busy.value = false;
    }
  };
  return (
    <form class="retract" onSubmit={submit}>
      <label for="retract-reason">Why retract “{sentence}”?</label>
      <textarea id="retract-reason" ref={reason} rows={2} required autoFocus />
      {error.value && <p class="warning" role="alert">{error.value}</p>}
      <div>
        <button type="submit" disabled={busy.value}>
          Retract
        </button>
        <button type="button" onClick={() => (asking.value = false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
