// The views that open below the canvas, one at a time, from a bar of toggle buttons in
// the page's header. Below rather than instead of the canvas: brushing the timeline
// greys the canvas, and the analyst watches both. Escape inside an open view closes it
// and hands the focus back to its button.
import type { ComponentType } from "preact";
import { MapView } from "./map";
import { ReviewDesk } from "./review";
import { moment, openView } from "./state";
import { StanceMatrix } from "./stances";
import { Timeline } from "./timeline";

interface View {
  id: string;
  label: string;
  component: ComponentType;
}

export const views: View[] = [
  { id: "timeline", label: "Timeline", component: Timeline },
  { id: "stance-matrix", label: "Stance matrix", component: StanceMatrix },
  { id: "map", label: "Map", component: MapView },
  { id: "review", label: "Review", component: ReviewDesk },
];

function buttonId(view: View): string {
  return `view-button-${view.id}`;
}

export function ViewSwitcher() {
  return (
    <nav class="views" aria-label="Views below the canvas">
      {views.map((v) => (
        <button
          key={v.id}
          type="button"
          id={buttonId(v)}
          aria-pressed={openView.value === v.id}
          aria-controls={openView.value === v.id ? `view-${v.id}` : undefined}
          onClick={() => (openView.value = openView.value === v.id ? null : v.id)}
        >
          {v.label}
        </button>
      ))}
    </nav>
  );
}

export function OpenView() {
  const view = views.find((v) => v.id === openView.value);
  if (!view) return null;
  const close = () => {
    openView.value = null;
    document.getElementById(buttonId(view))?.focus();
  };
  return (
    <section
      id={`view-${view.id}`}
      class="view"
      aria-labelledby={`view-${view.id}-heading`}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !e.defaultPrevented) close();
      }}
    >
      <header>
        <h2 id={`view-${view.id}-heading`}>{view.label}</h2>
        <button type="button" onClick={close} aria-label={`Close the ${view.label.toLowerCase()} (Escape)`}>
          ×
        </button>
      </header>
      {/* Opened anew at each moment chosen, so that it asks for the graph as known then. */}
      <view.component key={moment.value ?? "now"} />
    </section>
  );
}
