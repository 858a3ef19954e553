// Time travel: the moment picker sets the moment every query asks about (asOf, sent by
// api.ts), so search, the canvas, paths and evidence all show the graph as it was known
// then; "Now" goes back to the graph as it stands. Changing the moment draws the canvas
// again and closes what was shown at the other one.
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { redraw } from "./graph";
import { liveStatus } from "./live";
import { foundPaths, moment, notice, selectedRelation } from "./state";

/** The forms the API reads as a time: a year, a month, a day, or an RFC 3339 timestamp. */
export const timeForm = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** What the API takes for a time typed by the analyst: a space for T, and UTC when no zone is given. */
export function normalTime(text: string): string | null {
  const t = text.trim();
  if (!timeForm.test(t)) return null;
  const iso = t.replace(" ", "T");
  if (!iso.includes("T")) return iso;
  const withSeconds = /T\d{2}:\d{2}$/.test(iso) ? `${iso}:00` : iso;
  return /Z|[+-]\d{2}:\d{2}$/.test(withSeconds) ? withSeconds : `${withSeconds}Z`;
}

function setMoment(value: string | null): void {
  if (value === moment.value) return;
  moment.value = value;
  selectedRelation.value = null;
  foundPaths.value = null;
  void redraw();
}

const liveNote = { off: "", connecting: "", live: ", live", reconnecting: ", reconnecting…" };

export function MomentPicker() {
  const input = useRef<HTMLInputElement>(null);
  const error = useSignal("");
  // The field shows the moment chosen, however it was chosen (a link sets it too).
  useEffect(() => {
    input.current!.value = moment.value ?? "";
  }, [moment.value]);
  const submit = (e: Event) => {
    e.preventDefault();
    const value = normalTime(input.current!.value);
    if (!value) {
      error.value = "Give a date (2025, 2025-06 or 2025-06-13) or a time (2025-06-13T12:00Z).";
      return;
    }
    error.value = "";
    setMoment(value);
  };
  const now = () => {
    input.current!.value = "";
    error.value = "";
    setMoment(null);
    notice.value = "Showing the graph as it stands now.";
  };
  return (
    <form class="moment" onSubmit={submit} aria-label="Moment">
      <label for="moment-input">As of</label>
      <input
        id="moment-input"
        ref={input}
        type="text"
        inputMode="numeric"
        autocomplete="off"
        placeholder="2025-06-13"
        aria-describedby="moment-shown"
        aria-invalid={error.value !== ""}
      />
      <button type="submit">Go</button>
      <button type="button" onClick={now} disabled={moment.value == null}>
        Now
      </button>
      <output id="moment-shown" class={moment.value ? "moment-past" : ""}>
        {moment.value ? `Showing the graph as known at ${moment.value}` : `Showing now${liveNote[liveStatus.value]}`}
      </output>
      {error.value && (
        <p class="moment-error warning" role="alert">
          {error.value}
        </p>
      )}
    </form>
  );
}
