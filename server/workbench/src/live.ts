// Live: the canvas and the view open below it follow the graphChanged subscription
// (WebSocket at /graphql, graphql-transport-ws) while the graph shown is the graph as it
// stands now. A relation added at an expanded entity on the canvas is drawn; one retracted
// is taken off. An open view asks its question again when a change wrote a kind of node it
// shows (useLiveQuery), once for a burst of changes. When the socket drops it reconnects
// with a growing delay, and draws the canvas and the open view again on reconnecting,
// since changes made meanwhile were missed.
import { effect, signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
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

const subscription = `subscription Live { graphChanged { version kinds relationIds relationCount } }`;

/** A kind of node, as graphChanged names the kinds a change wrote. */
export type NodeKind = "ACTOR" | "PLACE" | "EVENT" | "TOPIC" | "POSITION" | "SOURCE";

/**
 * The last change landed: the kinds of node it wrote (those of the ends of the relations
 * it wrote among them), or, after changes were missed while the socket was down, null
 * kinds: anything may have changed. A new object for each change.
 */
export const lastChange = signal<{ kinds: NodeKind[] | null } | null>(null);

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
          if (missed) {
            lastChange.value = { kinds: null };
            void catchUp();
          }
          missed = false;
          break;
        case "ping":
          ws.send(JSON.stringify({ type: "pong" }));
          break;
        case "next":
          if (msg.payload?.data) {
            const c = msg.payload.data.graphChanged;
            lastChange.value = { kinds: c.kinds };
            void follow(c);
          }
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
  kinds: NodeKind[];
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

/** How long an open view waits after a change for the next before asking again, so that a burst of changes is one request. */
const quietMs = 300;
/** The longest an open view waits to ask again while changes keep coming. */
const maxWaitMs = 2000;

/**
 * Loads what a view shows with load, and hands each answer to show: once when the view
 * opens, then again after a change that wrote one of kinds, while the graph shown is the
 * graph as it stands now. Changes close together are one request (quietMs, at most
 * maxWaitMs late); requests go one at a time, so an older answer never replaces a newer.
 * Nothing is asked once the view is closed. The first load's failure goes to failed (the
 * view has nothing to show); a later one is a notice, the view keeping what it shows.
 */
export function useLiveQuery<T>(kinds: readonly NodeKind[], load: () => Promise<T>, show: (answer: T) => void, failed: (message: string) => void): void {
  const latest = useRef({ load, show, failed });
  latest.current = { load, show, failed };
  useEffect(() => {
    let open = true;
    let running = false;
    let again = false;
    let timer: number | undefined;
    let waitingSince = 0;
    const ask = async (first: boolean) => {
      timer = undefined;
      waitingSince = 0;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const answer = await latest.current.load();
        if (open && (first || moment.value == null)) latest.current.show(answer);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!open) return;
        if (first) latest.current.failed(message);
        else notice.value = `Live: ${message}`;
      } finally {
        running = false;
      }
      if (again && open) {
        again = false;
        void ask(false);
      }
    };
    void ask(true);
    const seen = lastChange.peek();
    const stop = effect(() => {
      const c = lastChange.value;
      if (!c || c === seen || moment.peek() != null) return;
      if (c.kinds && !c.kinds.some((k) => kinds.includes(k))) return;
      const now = Date.now();
      waitingSince ||= now;
      clearTimeout(timer);
      timer = window.setTimeout(() => void ask(false), Math.min(quietMs, waitingSince + maxWaitMs - now));
    });
    return () => {
      open = false;
      stop();
      clearTimeout(timer);
    };
  }, []);
}
