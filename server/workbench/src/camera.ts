// Panning and zooming the canvas without drawing it while the gesture lasts. sigma draws
// a camera move by drawing every entity again with WebGL, and with software WebGL (a
// machine or virtual desktop without a GPU) a canvas of thousands of elements then pans
// at a few frames a second (docs/workbench-renderers.md). Instead, while the stage is
// dragged or the wheel turns, the layers sigma already drew are moved and scaled with a
// CSS transform, which the browser composites without drawing them again; when the
// gesture ends, the camera takes the place shown and sigma draws once, bringing in what
// lay outside the view.
import type Sigma from "sigma";
import type { EdgeAttributes, NodeAttributes } from "./state";

/** How long a wheel notch's zoom takes, as sigma's own zoom animation. */
const wheelZoomMs = 150;
/** How long after the last wheel notch a zoom counts as finished and is drawn. */
const wheelSettleMs = 200;

export interface CompositedCamera {
  /** Starts panning from a mouse press on the stage or on a relation. */
  startPan(press: MouseEvent): void;
  /** Stops listening. */
  remove(): void;
}

/**
 * Takes over panning with the mouse and zooming with the wheel from sigma. onPanned is
 * called when a drag of the stage that moved it ends, before the browser's click.
 */
export function compositedCamera(renderer: Sigma<NodeAttributes, EdgeAttributes>, onPanned: () => void): CompositedCamera {
  const container = renderer.getContainer();
  // The layers as drawn are shown scaled by `scale` and then moved by (dx, dy), in CSS
  // pixels of the container, from the top left corner.
  let scale = 1;
  let dx = 0;
  let dy = 0;
  let pan: { x: number; y: number; moved: boolean } | null = null;
  let wheelTimer: ReturnType<typeof setTimeout> | null = null;

  // Every layer but the mouse layer, which receives the events and stays in place.
  const layers = () =>
    Object.entries(renderer.getCanvases())
      .filter(([name]) => name !== "mouse")
      .map(([, canvas]) => canvas);
  const untransformed = () => scale === 1 && dx === 0 && dy === 0;
  // A zoom eases in, animated by the browser's compositor; a pan follows the mouse.
  const show = (animated: boolean) => {
    for (const canvas of layers()) {
      canvas.style.transformOrigin = "0 0";
      canvas.style.willChange = "transform";
      canvas.style.transition = animated ? `transform ${wheelZoomMs}ms ease-out` : "";
      canvas.style.transform = `translate(${dx}px, ${dy}px) scale(${scale})`;
    }
  };
  const clear = () => {
    for (const canvas of layers()) {
      canvas.style.transition = "";
      canvas.style.transform = "";
      canvas.style.willChange = "";
    }
  };

  // The camera takes the place shown: the centre of the view now shows what was drawn at
  // ((centre - d) / scale), magnified by scale.
  const commit = () => {
    if (pan || wheelTimer != null || untransformed()) return;
    const camera = renderer.getCamera();
    const { width, height } = renderer.getDimensions();
    const centre = renderer.viewportToFramedGraph({ x: (width / 2 - dx) / scale, y: (height / 2 - dy) / scale });
    const ratio = camera.getState().ratio / scale;
    scale = 1;
    dx = 0;
    dy = 0;
    camera.setState({ x: centre.x, y: centre.y, ratio });
    // sigma draws the new camera in its next animation frame; this callback, asked for
    // after, runs in the same frame, so the layers never show the old picture in place.
    requestAnimationFrame(() => {
      if (untransformed()) clear();
    });
  };

  const onMove = (e: MouseEvent) => {
    if (!pan) return;
    if ((e.buttons & 1) === 0) {
      endPan();
      return;
    }
    dx += e.clientX - pan.x;
    dy += e.clientY - pan.y;
    pan = { x: e.clientX, y: e.clientY, moved: pan.moved || e.clientX !== pan.x || e.clientY !== pan.y };
    show(false);
    // sigma neither moves its camera nor looks for the entity under the mouse (its
    // picking buffer still holds the picture before the drag).
    e.stopPropagation();
  };
  const endPan = () => {
    if (!pan) return;
    const { moved } = pan;
    pan = null;
    commit();
    if (moved) onPanned();
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    e.stopPropagation();
    // A notch of a mouse wheel (100 pixels, or 3 lines) zooms by sigma's zoomingRatio;
    // a touchpad's smaller steps zoom by as much less.
    const notches = Math.max(-1, Math.min(1, (e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * 33 : e.deltaY) / 100));
    if (notches === 0) return;
    const camera = renderer.getCamera();
    const drawnRatio = camera.getState().ratio;
    const wanted = (drawnRatio / scale) * renderer.getSetting("zoomingRatio") ** notches;
    const factor = drawnRatio / scale / camera.getBoundedRatio(wanted);
    if (factor !== 1) {
      // Zoom about the mouse: the point under it stays under it.
      const box = container.getBoundingClientRect();
      const px = e.clientX - box.left;
      const py = e.clientY - box.top;
      dx = factor * (dx - px) + px;
      dy = factor * (dy - py) + py;
      scale *= factor;
      show(true);
    }
    if (wheelTimer != null) clearTimeout(wheelTimer);
    wheelTimer = setTimeout(() => {
      wheelTimer = null;
      commit();
    }, wheelSettleMs);
  };

  // Capturing on the window and the container comes before sigma's own listeners.
  window.addEventListener("mousemove", onMove, { capture: true });
  window.addEventListener("mouseup", endPan, { capture: true });
  container.addEventListener("wheel", onWheel, { capture: true, passive: false });
  return {
    startPan(press) {
      if (press.button !== 0) return;
      pan = { x: press.clientX, y: press.clientY, moved: false };
    },
    remove() {
      window.removeEventListener("mousemove", onMove, { capture: true });
      window.removeEventListener("mouseup", endPan, { capture: true });
      container.removeEventListener("wheel", onWheel, { capture: true });
      if (wheelTimer != null) clearTimeout(wheelTimer);
      clear();
    },
  };
}
