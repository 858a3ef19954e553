// Text the views show: counts of things, and code point arithmetic. The API counts offsets in Unicode code points (W3C
// TextPositionSelector); JavaScript strings index UTF-16 code units, which differ as
// soon as a text holds a character outside the Basic Multilingual Plane.

/** A run of text, marked when it lies in one of the highlighted ranges. */
export interface Run {
  text: string;
  marked: boolean;
}

/** Splits text into runs at the code point ranges given (sorted, not overlapping). */
export function markRanges(text: string, ranges: { start: number; end: number }[]): Run[] {
  const points = Array.from(text);
  const runs: Run[] = [];
  let at = 0;
  for (const { start, end } of ranges) {
    const s = Math.max(at, Math.min(start, points.length));
    const e = Math.max(s, Math.min(end, points.length));
    if (s > at) runs.push({ text: points.slice(at, s).join(""), marked: false });
    if (e > s) runs.push({ text: points.slice(s, e).join(""), marked: true });
    at = e;
  }
  if (at < points.length) runs.push({ text: points.slice(at).join(""), marked: false });
  return runs;
}

/** The quote at [start, end) of a text's code points with up to context code points either side. */
export interface InContext {
  before: string;
  quote: string;
  after: string;
  /** Whether text goes on before before and after after. */
  cutBefore: boolean;
  cutAfter: boolean;
}

export function inContext(points: string[], start: number, end: number, context: number): InContext {
  const from = Math.max(0, start - context);
  const to = Math.min(points.length, end + context);
  return {
    before: points.slice(from, start).join(""),
    quote: points.slice(start, end).join(""),
    after: points.slice(end, to).join(""),
    cutBefore: from > 0,
    cutAfter: to < points.length,
  };
}

/** A count with its noun, "1 source" or "3 sources" (or the plural given, "2 entities"). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
