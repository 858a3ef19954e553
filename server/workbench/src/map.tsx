// The map: places with coordinates, and the events located at them, on the world's
// country outlines (Natural Earth's 1:110m countries from world-atlas, public domain,
// bundled: no tile is fetched). One marker stands for one place with its events; picking
// it lists them, each of which can be put on the canvas. Markers of entities on the
// canvas are ringed. It opens below the canvas, as the other views do (views.tsx), and
// follows changes to places and events live.
import { signal, useSignal } from "@preact/signals";
import { geoCentroid, geoEqualEarth, geoPath } from "d3-geo";
import type { MultiPoint } from "geojson";
import { useMemo } from "preact/hooks";
import { feature, mesh } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import { type EntityRef, type MapEvent, type MapPlace, mapPage, type Point } from "./api";
import { place as putOnCanvas } from "./graph";
import { pressedBy } from "./keys";
import { useLiveQuery } from "./live";
import { graph, notice, panelVersion } from "./state";
import { entityStyles } from "./style";
import { count } from "./text";

const width = 960;
const height = 480;
/** Degrees around each marker kept in view when the map fits the markers, so one place alone is not drawn at infinite zoom. */
const margin = 4;

const land = feature(countries, countries.objects.countries);
const borders = mesh(countries, countries.objects.countries, (a, b) => a !== b);

/** A country outline of the atlas, by its name in lower case. */
const atlasCountries = new Map(land.features.map((f) => [f.properties.name.toLowerCase(), f]));

/**
 * Where a place is drawn: its own coordinates; for a country without them, the centre
 * of the atlas country of the same name or alias; otherwise where the place it lies
 * within is drawn. by is the place whose coordinates or outline were used.
 */
interface Location {
  point: Point;
  by: EntityRef;
  /** The point is the centre of a country's outline, not the place's own coordinates. */
  approximate: boolean;
}

function locate(p: MapPlace | null | undefined): Location | null {
  for (let at = p; at; at = at.within) {
    if (at.point) return { point: at.point, by: at, approximate: false };
    if (at.kind === "COUNTRY") {
      const outline = [at.name, ...at.aliases].map((n) => atlasCountries.get(n.toLowerCase())).find(Boolean);
      if (outline) {
        const [lon, lat] = geoCentroid(outline);
        return { point: { lat, lon }, by: at, approximate: true };
      }
    }
  }
  return null;
}

/** A marker: a located place, and the places and events drawn there. */
interface Marker extends Location {
  places: MapPlace[];
  events: MapEvent[];
}

/** What the map has loaded: pages of places and events, and where the next pages start. */
interface Loaded {
  places: MapPlace[];
  events: MapEvent[];
  totals: { places: number; events: number };
  next: { places: string | null; events: string | null } | null;
}

const chosen = signal<string | null>(null);
const wholeWorld = signal(false);

/** What is loaded with the next pages of places and events after those of before. */
async function nextPages(before: Loaded | null): Promise<Loaded> {
  const page = await mapPage(before?.next?.places ?? null, before?.next?.events ?? null);
  const more = page.places.pageInfo.hasNextPage || page.events.pageInfo.hasNextPage;
  return {
    places: [...(before?.places ?? []), ...page.places.nodes],
    events: [...(before?.events ?? []), ...page.events.nodes],
    totals: { places: page.places.totalCount, events: page.events.totalCount },
    next: more ? { places: page.places.pageInfo.endCursor ?? before?.next?.places ?? null, events: page.events.pageInfo.endCursor ?? before?.next?.events ?? null } : null,
  };
}

/** The first pages again, as many as were loaded: what the map shows after a change. */
async function loadedAgain(before: Loaded | null): Promise<Loaded> {
  let l = await nextPages(null);
  while (before && l.next && (l.places.length < before.places.length || l.events.length < before.events.length)) l = await nextPages(l);
  return l;
}

/** The markers of what is loaded, and the places and events that cannot be located. */
function markersOf(l: Loaded): { markers: Marker[]; unlocated: EntityRef[] } {
  const markers = new Map<string, Marker>();
  const unlocated: EntityRef[] = [];
  const markerAt = (p: MapPlace | null): Marker | null => {
    const at = locate(p);
    if (!at) return null;
    let m = markers.get(at.by.id);
    if (!m) markers.set(at.by.id, (m = { ...at, places: [], events: [] }));
    return m;
  };
  for (const p of l.places) {
    const m = markerAt(p);
    if (m) m.places.push(p);
    else unlocated.push(p);
  }
  for (const e of l.events) {
    const m = markerAt(e.place);
    if (m) m.events.push(e);
    else unlocated.push(e);
  }
  return { markers: [...markers.values()], unlocated };
}

export function MapView() {
  const loaded = useSignal<Loaded | null>(null);
  // Places and events, and the relations that place an event or put a place within another (their ends are places and events).
  useLiveQuery(
    ["PLACE", "EVENT"],
    () => loadedAgain(loaded.peek()),
    (l) => (loaded.value = l),
    (message) => (notice.value = `The map could not load: ${message}`),
  );
  const l = loaded.value;
  const { markers, unlocated } = useMemo(() => (l ? markersOf(l) : { markers: [], unlocated: [] }), [l]);
  const projection = useMemo(() => {
    const p = geoEqualEarth();
    if (wholeWorld.value || markers.length === 0) return p.fitSize([width, height], { type: "Sphere" });
    const around: MultiPoint = {
      type: "MultiPoint",
      coordinates: markers.flatMap(({ point: { lon, lat } }) => [
        [lon - margin, lat - margin],
        [lon + margin, lat + margin],
      ]),
    };
    return p.fitExtent(
      [
        [20, 20],
        [width - 20, height - 20],
      ],
      around,
    );
  }, [markers, wholeWorld.value]);
  const path = geoPath(projection);
  void panelVersion.value;
  const marker = markers.find((m) => m.by.id === chosen.value);
  const located = (type: string, all: EntityRef[]) => all.length - unlocated.filter((e) => e.__typename === type).length;
  return (
    <div class="map-view">
      <div>
        {!l ? (
          <p>Loading…</p>
        ) : (
          <svg class="map" viewBox={`0 0 ${width} ${height}`} role="group" aria-label={`Map of ${count(markers.length, "place")} with coordinates`}>
            <path class="ocean" d={path({ type: "Sphere" }) ?? ""} />
            <path class="land" d={path(land) ?? ""} />
            <path class="borders" d={path(borders) ?? ""} />
            {markers.map((m) => (
              <MarkerDot key={m.by.id} marker={m} at={projection([m.point.lon, m.point.lat])} />
            ))}
          </svg>
        )}
      </div>
      <div class="map-lists">
        <label>
          <input type="checkbox" checked={wholeWorld.value} onChange={(e) => (wholeWorld.value = e.currentTarget.checked)} /> Whole world
        </label>
        {l && (
          <p class="hint">
            {count(markers.length, "marker")} for {count(located("Place", l.places), "place")} and {count(located("Event", l.events), "event")}; a hollow marker stands at the centre of a country's outline. Loaded {l.places.length} of {l.totals.places} places and {l.events.length} of {l.totals.events} events.
            {l.next && (
              <button
                type="button"
                onClick={() =>
                  nextPages(loaded.value).then(
                    (l) => (loaded.value = l),
                    (err) => (notice.value = `The map could not load more: ${err instanceof Error ? err.message : err}`),
                  )
                }
              >
                Load more
              </button>
            )}
          </p>
        )}
        {marker ? <MarkerDetails marker={marker} /> : <p class="hint">Pick a marker to list what is there.</p>}
        {unlocated.length > 0 && (
          <details>
            <summary>Not on the map ({unlocated.length}): places and events with no coordinates, country or place within one</summary>
            <EntityList entities={unlocated} />
          </details>
        )}
      </div>
    </div>
  );
}

function MarkerDot({ marker: m, at }: { marker: Marker; at: [number, number] | null }) {
  if (!at) return null;
  const label = `${m.by.name}${m.events.length ? `: ${count(m.events.length, "event")}` : ""}`;
  const drawn = [...m.places, ...m.events].some((e) => graph.hasNode(e.id));
  const pick = () => (chosen.value = m.by.id);
  return (
    <g
      class={`marker${drawn ? " on-canvas" : ""}${chosen.value === m.by.id ? " chosen" : ""}${m.approximate ? " approximate" : ""}`}
      transform={`translate(${at[0].toFixed(1)} ${at[1].toFixed(1)})`}
      role="button"
      // Lower case: an SVG element takes its attributes as spelt.
      tabindex={0}
      aria-label={`${label}${m.approximate ? " (centre of the country)" : ""}`}
      aria-pressed={chosen.value === m.by.id}
      data-entity={m.by.id}
      onClick={pick}
      onKeyDown={pressedBy(pick)}
    >
      <circle r={m.events.length ? 7 : 5} fill={m.approximate ? "#fff" : m.events.length ? entityStyles.Event.color : entityStyles.Place.color} stroke={m.events.length ? entityStyles.Event.color : entityStyles.Place.color} />
      <text x={9} y={4}>
        {label}
      </text>
    </g>
  );
}

function MarkerDetails({ marker: m }: { marker: Marker }) {
  return (
    <section class="marker-details" aria-label={`${m.by.name} on the map`}>
      <h3>
        {m.by.name} ({m.point.lat.toFixed(2)}, {m.point.lon.toFixed(2)}
        {m.approximate ? ", the centre of the country's outline" : ""})
      </h3>
      <EntityList entities={[...m.places, ...m.events]} />
    </section>
  );
}

function EntityList({ entities }: { entities: (EntityRef & { when?: string | null; place?: EntityRef | null })[] }) {
  return (
    <ul class="entities">
      {entities.map((e) => (
        <li key={e.id}>
          <button type="button" data-entity={e.id} onClick={() => putOnCanvas(e)}>
            {graph.hasNode(e.id) ? `Select ${e.name} on the canvas` : `Put ${e.name} on the canvas`}
            {e.when ? ` (${e.when})` : ""}
            {e.place ? `, at ${e.place.name}` : ""}
          </button>
        </li>
      ))}
    </ul>
  );
}
