// The timeline view: the API's events in its timeline order, the dated ones drawn as bars
// as long as the period their dates stand for (a day, a month, a year) and listed with
// that precision, the undated ones listed apart rather than placed at an invented date.
// Dragging across the chart, or giving the window's first and last day, brushes a time
// window: the canvas greys what lies outside it (state.outsideWindow says how). Picking
// an event puts it on the canvas and selects it. The chart's bars and the lists are each
// one stop of Tab: the arrow keys move between their events, Enter or Space picks one.
// It follows changes to events live.
import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { type Precision, timeline, type TimelineEvent } from "./api";
import { place } from "./graph";
import { pressedBy } from "./keys";
import { useLiveQuery } from "./live";
import { eventSpans, notice, outsideWindow, selectedEntity, timeWindow } from "./state";
import { count } from "./text";
import { dayCeil, dayFloor, eventSpan, formatAt, type Span, windowDates, windowOf } from "./time";

const precisionWords: Record<Precision, string> = { DAY: "day", MONTH: "month", YEAR: "year", UNKNOWN: "unknown" };

export function Timeline() {
  const loaded = useSignal<{ events: TimelineEvent[]; total: number } | null>(null);
  const error = useSignal("");
  useLiveQuery(
    ["EVENT"],
    timeline,
    (answer) => {
      loaded.value = answer;
      eventSpans.value = new Map(answer.events.flatMap((e) => {
        const span = eventSpan(e);
        return span ? [[e.id, span] as const] : [];
      }));
    },
    (message) => (error.value = message),
  );
  // The window belongs to the timeline: closing it shows the whole canvas again.
  useEffect(
    () => () => {
      timeWindow.value = null;
      eventSpans.value = new Map();
    },
    [],
  );

  if (error.value) return <p role="alert">{error.value}</p>;
  if (!loaded.value) return <p>Loading…</p>;
  const { events, total } = loaded.value;
  const dated = events.filter((e) => e.start);
  const undated = events.filter((e) => !e.start);
  return (
    <div class="timeline">
      <div class="timeline-chart">
        {total > events.length && <p class="warning">The first {events.length} of {count(total, "event")} are shown.</p>}
        <Chart events={dated} />
        <WindowControls />
      </div>
      <EventLists dated={dated} undated={undated} />
    </div>
  );
}

/** The dated events and the undated ones, one stop of Tab for both lists. */
function EventLists({ dated, undated }: { dated: TimelineEvent[]; undated: TimelineEvent[] }) {
  const listed = useRoving([...dated, ...undated].map((e) => e.id));
  return (
    <div class="timeline-lists" onKeyDown={listed.onKeyDown}>
      <h3 id="timeline-dated-heading">In time order ({dated.length})</h3>
      <p class="hint">Up and Down move through both lists, Enter puts the event on the canvas.</p>
      <EventList events={dated} labelledBy="timeline-dated-heading" roving={listed} />
      <h3 id="timeline-undated-heading">Undated ({undated.length})</h3>
      {undated.length === 0 ? <p class="hint">Every event has a date.</p> : <EventList events={undated} labelledBy="timeline-undated-heading" roving={listed} />}
    </div>
  );
}

function pick(e: TimelineEvent): void {
  place({ __typename: "Event", id: e.id, name: e.name });
}

/** When an event was as the API formats it to its precision, and that precision: "2025-06 (month)". */
function when(e: TimelineEvent): string {
  return e.when ? `${e.when} (${precisionWords[e.precision]})` : "undated";
}

type Roving = ReturnType<typeof useRoving>;

/**
 * A roving tabindex over events in order, each drawn with data-event: Tab stops at one of
 * them (the one last focused, else the first), and the arrow keys, Home and End inside
 * the element holding them move the focus along, so that Tab passes them in one step
 * however many there are.
 */
function useRoving(ids: string[]) {
  const current = useSignal<string | null>(null);
  const stop = current.value !== null && ids.includes(current.value) ? current.value : ids[0];
  const steps: Record<string, (i: number) => number> = {
    ArrowDown: (i) => i + 1,
    ArrowRight: (i) => i + 1,
    ArrowUp: (i) => i - 1,
    ArrowLeft: (i) => i - 1,
    Home: () => 0,
    End: () => ids.length - 1,
  };
  return {
    /** The attributes of the event id's element. Lower case: an SVG element takes its attributes as spelt. */
    item: (id: string) => ({ tabindex: id === stop ? 0 : -1, onFocus: () => (current.value = id) }),
    onKeyDown(e: KeyboardEvent) {
      const at = ids.indexOf((e.target as Element).closest("[data-event]")?.getAttribute("data-event") ?? "");
      const step = steps[e.key];
      if (at < 0 || !step) return;
      e.preventDefault();
      const next = ids[Math.min(ids.length - 1, Math.max(0, step(at)))];
      (e.currentTarget as Element).querySelector<HTMLElement | SVGElement>(`[data-event="${CSS.escape(next)}"]`)?.focus();
    },
  };
}

function EventList({ events, labelledBy, roving }: { events: TimelineEvent[]; labelledBy: string; roving: Roving }) {
  return (
    <ol class="timeline-events" aria-labelledby={labelledBy}>
      {events.map((e) => (
        <li key={e.id}>
          <button type="button" data-event={e.id} aria-current={selectedEntity.value === e.id} onClick={() => pick(e)} {...roving.item(e.id)}>
            {e.start && <span class="when">{when(e)}</span>} {e.name}
          </button>
        </li>
      ))}
    </ol>
  );
}

/** The chart's layout, in CSS pixels: its viewBox is as wide as it is drawn, so that its text keeps its size. */
const axisHeight = 26;
const rowHeight = 22;
/** A drag shorter than this, in CSS pixels, is a click. */
const clickSlop = 4;

/** Roughly how wide a character of the chart's labels is, for cutting a long name short. */
const charWidth = 6.6;

function Chart({ events }: { events: TimelineEvent[] }) {
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; clientX: number; event: string | null } | null>(null);
  const draft = useSignal<{ x0: number; x1: number } | null>(null);
  const width = useSignal(700);
  const marks = useRoving(events.map((e) => e.id));
  useEffect(() => {
    if (!svg.current) return;
    const resized = new ResizeObserver(([entry]) => (width.value = Math.max(300, Math.round(entry.contentRect.width))));
    resized.observe(svg.current);
    return () => resized.disconnect();
  }, [events.length > 0]);
  if (events.length === 0) return <p class="hint">No event has a date.</p>;

  // The names on the left, the bars on a time axis to their right.
  const labelWidth = Math.min(340, width.value * 0.4);
  const left = labelWidth + 10;
  const right = width.value - 10;
  const spans = events.map((e) => eventSpan(e)!);
  const lo0 = Math.min(...spans.map((s) => s.from));
  const hi0 = Math.max(...spans.map((s) => s.to));
  const pad = (hi0 - lo0) * 0.1;
  const domain = { from: lo0 - pad, to: hi0 + pad };
  const x = (t: number) => left + ((t - domain.from) / (domain.to - domain.from)) * (right - left);
  const time = (px: number) => domain.from + ((px - left) / (right - left)) * (domain.to - domain.from);
  const clamp = (px: number) => Math.min(right, Math.max(left, px));
  const height = axisHeight + events.length * rowHeight + 6;

  const toChartX = (e: PointerEvent) => {
    const point = svg.current!.createSVGPoint();
    point.x = e.clientX;
    point.y = e.clientY;
    return point.matrixTransform(svg.current!.getScreenCTM()!.inverse()).x;
  };
  const brushed = timeWindow.value;
  const shown = draft.value
    ? { from: Math.min(draft.value.x0, draft.value.x1), to: Math.max(draft.value.x0, draft.value.x1) }
    : brushed && { from: clamp(x(brushed.from)), to: clamp(x(brushed.to)) };

  return (
    <svg
      ref={svg}
      class="timeline-svg"
      viewBox={`0 0 ${width.value} ${height}`}
      height={height}
      role="group"
      aria-label={`${count(events.length, "dated event")} in time order, each as long as the period its date stands for: Up and Down move between them, Enter puts one on the canvas; drag across to choose a time window`}
      onKeyDown={marks.onKeyDown}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        svg.current!.setPointerCapture(e.pointerId);
        const mark = (e.target as Element).closest("[data-event]");
        const px = toChartX(e);
        drag.current = { x: px, clientX: e.clientX, event: mark?.getAttribute("data-event") ?? null };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d && Math.abs(e.clientX - d.clientX) >= clickSlop) draft.value = { x0: clamp(d.x), x1: clamp(toChartX(e)) };
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        draft.value = null;
        if (!d) return;
        if (Math.abs(e.clientX - d.clientX) < clickSlop) {
          const picked = events.find((ev) => ev.id === d.event);
          if (picked) pick(picked);
          return;
        }
        const [a, b] = [clamp(d.x), clamp(toChartX(e))].sort((p, q) => p - q);
        // A drag wholly beside the axis chooses no time.
        if (a === b) return;
        const from = dayFloor(time(a));
        timeWindow.value = { from, to: Math.max(dayCeil(time(b)), from + dayMs) };
      }}
      onPointerCancel={() => {
        drag.current = null;
        draft.value = null;
      }}
    >
      <Ticks domain={domain} x={x} left={left} right={right} height={height} />
      {events.map((e, i) => {
        const s = spans[i];
        const x0 = x(s.from);
        const x1 = Math.max(x(s.to), x0 + 3);
        const y = axisHeight + i * rowHeight;
        const label = `${when(e)} ${e.name}`;
        const room = Math.floor(labelWidth / charWidth);
        return (
          <g
            key={e.id}
            data-event={e.id}
            class={`mark precision-${e.precision.toLowerCase()}${selectedEntity.value === e.id ? " selected" : ""}`}
            role="button"
            aria-current={selectedEntity.value === e.id}
            {...marks.item(e.id)}
            onKeyDown={pressedBy(() => pick(e))}
          >
            <title>{label}</title>
            {/* Not read out, cut short as it may be: the bar is named by its title, the whole label. */}
            <text x={4} y={y + rowHeight / 2 + 4} aria-hidden="true">
              {label.length > room ? `${label.slice(0, room - 1)}…` : label}
            </text>
            <rect x={x0} y={y + 4} width={x1 - x0} height={rowHeight - 8} rx={2} />
          </g>
        );
      })}
      {shown && <rect class="brush" x={shown.from} y={0} width={Math.max(shown.to - shown.from, 1)} height={height} />}
    </svg>
  );
}

const dayMs = 24 * 60 * 60 * 1000;

/** Ticks at the starts of years, months or days, whichever gives a handful across the domain. */
function Ticks({ domain, x, left, right, height }: { domain: Span; x: (t: number) => number; left: number; right: number; height: number }) {
  const days = (domain.to - domain.from) / dayMs;
  const precision: Precision = days > 3 * 365 ? "YEAR" : days > 90 ? "MONTH" : "DAY";
  const per = precision === "YEAR" ? days / 365 : precision === "MONTH" ? days / 30 : days;
  const step = Math.max(1, Math.ceil(per / Math.max(2, Math.floor((right - left) / 90))));
  const start = new Date(domain.from);
  const ticks: number[] = [];
  for (let i = 0; ; i += step) {
    const y = start.getUTCFullYear();
    const t =
      precision === "YEAR"
        ? Date.UTC(y + 1 + i, 0, 1)
        : precision === "MONTH"
          ? Date.UTC(y, start.getUTCMonth() + 1 + i, 1)
          : Date.UTC(y, start.getUTCMonth(), start.getUTCDate() + 1 + i);
    if (t >= domain.to) break;
    // A label must fit before the right edge.
    if (x(t) < right - 70) ticks.push(t);
  }
  return (
    <g class="ticks" aria-hidden="true">
      <line x1={left} x2={right} y1={axisHeight - 4} y2={axisHeight - 4} />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={axisHeight - 8} y2={height} />
          <text x={x(t) + 3} y={12}>
            {formatAt(t, precision)}
          </text>
        </g>
      ))}
    </g>
  );
}

function WindowControls() {
  const brushed = timeWindow.value;
  const dates = brushed ? windowDates(brushed) : { first: "", last: "" };
  const first = useSignal(dates.first);
  const last = useSignal(dates.last);
  // In the commit that shows a new window, so that the inputs never lag behind the summary.
  useLayoutEffect(() => {
    first.value = dates.first;
    last.value = dates.last;
  }, [dates.first, dates.last]);
  const apply = () => {
    const span = windowOf(first.value, last.value);
    if (span) timeWindow.value = span;
  };
  const out = outsideWindow.value;
  return (
    <div class="window">
      <p>
        <WindowDay id="timeline-first" label="Window from" day={first} apply={apply} />
        <WindowDay id="timeline-last" label="to (inclusive)" day={last} apply={apply} />
        <button
          type="button"
          disabled={!brushed}
          onClick={() => {
            timeWindow.value = null;
            notice.value = "The time window is cleared: the whole canvas is shown.";
          }}
        >
          Clear window
        </button>
      </p>
      <p class="window-summary" aria-live="polite">
        {brushed
          ? `From ${dates.first} to ${dates.last}: ${count(out.entities.size, "entity", "entities")} and ${count(out.relations.size, "relation")} on the canvas lie outside and are greyed. Relations go by their valid time, else by their dated events; those with neither stay.`
          : "No window: drag across the chart or give its first and last day to grey what lies outside it."}
      </p>
    </div>
  );
}

/** One end of the window, a day: choosing it brushes the window anew. */
function WindowDay({ id, label, day, apply }: { id: string; label: string; day: Signal<string>; apply: () => void }) {
  return (
    <>
      <label for={id}>{label}</label>{" "}
      <input
        type="date"
        id={id}
        value={day.value}
        onChange={(e) => {
          day.value = e.currentTarget.value;
          apply();
        }}
      />{" "}
    </>
  );
}
