// Live: the canvas follows the graphChanged subscription (WebSocket at /graphql,
// graphql-transport-ws) while the graph shown is the graph as it stands now. A relation
// added at an expanded entity on the canvas is drawn; one retracted is taken off. When the
// socket drops it reconnects with a growing delay, and draws the canvas again on
// reconnecting, since changes made meanwhile were missed.
import { effect, signal } from "@preact/signals";
import { relationsByID } from "./api";
import { token, viewer } from "./auth";
import { drawAdded, dropRelations, redraw } from "./graph";
import { graph, moment, notice } from "./state";
import { count } from "./text";

/** Whether the canvas follows changes: "off" while nobody is signed in, then "connecting", "live", or "reconnecting". */
export const liveStatus = signal<"off" | "connecting" | "live" | "reconnecting">("off");

/** Above this many relations in one change (an import), the canvas is drawn again instead. */
const perChangeLimit = 100;

const firstDelayMs = 1000;
const maxDelayMs = 30_000;

const subscription = `subscription Live { graphChanged { version relationIds relationCount } }`;

/** Follows changes while someone is signed in, with the token they hold. */
export function followChanges(): void {
  effect(() => {
    if (!viewer.value) return;
    return connect(token.value);
  });
}

/** Keeps one subscription open, reconnecting until the returned function stops it. */
function connect(bearer: string | null): () => void {
  let socket: WebSocket | null = null;
  let retry: number | undefined;
  let delay = firstDelayMs;
  let stopped = false;
  let missed = false;

  const open = () => {
    liveStatus.value = missed ? "reconnecting" : "connecting";
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
    const ws = new WebSocket(url, "graphql-transport-ws");
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "connection_init", payload: bearer ? { Authorization: `Bearer ${bearer}` } : {} }));
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data as string) as { type: string; payload?: { data?: { graphChanged: Change } } };
      switch (msg.type) {
        case "connection_ack":
          ws.send(JSON.stringify({ id: "live", type: "subscribe", payload: { query: subscription } }));
          liveStatus.value = "live";
          delay = firstDelayMs;
          if (missed) void catchUp();
          missed = false;
          break;
        case "ping":
          ws.send(JSON.stringify({ type: "pong" }));
          break;
        case "next":
          if (msg.payload?.data) void follow(msg.payload.data.graphChanged);
          break;
        case "error":
        case "complete":
          ws.close();
          break;
      }
    };
    ws.onclose = () => {
      if (stopped) return;
      missed = true;
      liveStatus.value = "reconnecting";
      retry = window.setTimeout(open, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close();
    liveStatus.value = "off";
  };
}

interface Change {
  version: string;
  relationIds: string[];
  relationCount: number;
}

/** Draws what a change did to the canvas, unless the canvas shows a moment in the past. */
async function follow(c: Change): Promise<void> {
  if (moment.value != null || graph.order === 0 || c.relationCount === 0) return;
  if (c.relationCount > perChangeLimit) return catchUp();
  try {
    const found = await relationsByID(c.relationIds);
    if (moment.value != null) return;
    const added = drawAdded(found.filter((r) => r != null));
    const dropped = dropRelations(c.relationIds.filter((_, i) => found[i] == null));
    if (added.length || dropped) {
      const parts = [added.length && `${count(added.length, "relation")} added`, dropped && `${count(dropped, "relation")} retracted`].filter(Boolean);
      notice.value = `Live: ${parts.join(", ")}.`;
    }
  } catch (err) {
    notice.value = `Live: ${err instanceof Error ? err.message : err}`;
  }
}

/** Draws the canvas again, for the changes missed or too many to follow one by one. */
function catchUp(): Promise<void> {
  return moment.value == null && graph.order > 0 ? redraw() : Promise.resolve();
}
