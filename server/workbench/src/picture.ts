// Pictures of the canvas as it is drawn: an SVG built from sigma's display data (the
// positions, sizes and colours on screen, selection and paths included), and a PNG
// rasterised from that SVG, so both files show the same picture.
import type Sigma from "sigma";
import { type EdgeAttributes, graph, type NodeAttributes } from "./state";

type Renderer = Sigma<NodeAttributes, EdgeAttributes>;

/** Pixels of the PNG per CSS pixel of the canvas. */
const pngScale = 2;

function escapeXML(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The canvas as drawn, as an SVG document the size of the canvas. */
export function svgOfCanvas(r: Renderer): { svg: string; width: number; height: number } {
  const { width, height } = r.getDimensions();
  const parts: string[] = [];
  graph.forEachEdge((edge, _a, source, target) => {
    const d = r.getEdgeDisplayData(edge);
    const s = r.getNodeDisplayData(source);
    const t = r.getNodeDisplayData(target);
    if (!d || !s || !t || d.hidden || s.hidden || t.hidden) return;
    const a = r.framedGraphToViewport(s);
    const b = r.framedGraphToViewport(t);
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length === 0) return;
    // The arrow ends at the target's rim, its head a triangle on the line.
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    const tip = { x: b.x - ux * r.scaleSize(t.size), y: b.y - uy * r.scaleSize(t.size) };
    const w = Math.max(1, r.scaleSize(d.size));
    const head = 4 * w;
    const base = { x: tip.x - ux * head, y: tip.y - uy * head };
    const f = (n: number) => n.toFixed(1);
    parts.push(
      `<g class="relation" data-relation="${escapeXML(edge)}"><line x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(base.x)}" y2="${f(base.y)}" stroke="${escapeXML(d.color)}" stroke-width="${f(w)}"/>` +
        `<polygon points="${f(tip.x)},${f(tip.y)} ${f(base.x - uy * head * 0.6)},${f(base.y + ux * head * 0.6)} ${f(base.x + uy * head * 0.6)},${f(base.y - ux * head * 0.6)}" fill="${escapeXML(d.color)}"/></g>`,
    );
  });
  graph.forEachNode((node) => {
    const d = r.getNodeDisplayData(node);
    if (!d || d.hidden) return;
    const p = r.framedGraphToViewport(d);
    const size = r.scaleSize(d.size);
    parts.push(
      `<g class="entity" data-entity="${escapeXML(node)}"><circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${size.toFixed(1)}" fill="${escapeXML(d.color)}"${d.highlighted ? ` stroke="#1d1d1f" stroke-width="2"` : ""}/>` +
        (d.label ? `<text x="${(p.x + size + 3).toFixed(1)}" y="${(p.y + 4).toFixed(1)}">${escapeXML(d.label)}</text>` : "") +
        `</g>`,
    );
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">` +
    `<rect width="100%" height="100%" fill="#fafafa"/>${parts.join("")}</svg>`;
  return { svg, width, height };
}

/** The SVG picture rasterised at twice its size. */
export async function pngOf({ svg, width, height }: { svg: string; width: number; height: number }): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * pngScale;
    canvas.height = height * pngScale;
    canvas.getContext("2d")!.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Hands a file to the browser's downloads. */
export function save(blob: Blob, name: string): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  // The download has its own reference by the time the click's task has run.
  setTimeout(() => URL.revokeObjectURL(a.href), 0);
}
