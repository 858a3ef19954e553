// Time spans as the API reads them, in milliseconds since the epoch, half-open [from, to):
// an event's start stands for the whole period of its precision (2025-06 is all of June),
// and its span runs to the end of the period of its end, or of its start when it has none.
import type { Precision } from "./api";

export interface Span {
  from: number;
  to: number;
}

const day = 24 * 60 * 60 * 1000;

/** The period a time of this precision stands for; a time of unknown precision stands for its day. */
export function periodOf(time: string, precision: Precision): Span {
  const t = new Date(time);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  switch (precision) {
    case "YEAR":
      return { from: Date.UTC(y, 0, 1), to: Date.UTC(y + 1, 0, 1) };
    case "MONTH":
      return { from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1) };
    default:
      return { from: Date.UTC(y, m, t.getUTCDate()), to: Date.UTC(y, m, t.getUTCDate() + 1) };
  }
}

/** An event's span, null when it has no start. */
export function eventSpan(e: { start: string | null; end: string | null; precision: Precision }): Span | null {
  if (!e.start) return null;
  return { from: periodOf(e.start, e.precision).from, to: periodOf(e.end ?? e.start, e.precision).to };
}

/** When a relation held, an open end unbounded; null when neither end is known. */
export function validSpan(validFrom: string | null, validTo: string | null): Span | null {
  if (!validFrom && !validTo) return null;
  return { from: validFrom ? Date.parse(validFrom) : -Infinity, to: validTo ? Date.parse(validTo) : Infinity };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.from < b.to && b.from < a.to;
}

/** A time formatted to a precision: 2025, 2025-06 or 2025-06-13. */
export function formatAt(time: number, precision: Precision): string {
  const iso = new Date(time).toISOString();
  return precision === "YEAR" ? iso.slice(0, 4) : precision === "MONTH" ? iso.slice(0, 7) : iso.slice(0, 10);
}

/** The start of the day time falls in, and the start of the next day unless time is one already. */
export function dayFloor(time: number): number {
  return Math.floor(time / day) * day;
}
export function dayCeil(time: number): number {
  return Math.ceil(time / day) * day;
}

/** A window as the two dates of its first and last day (the last is inclusive). */
export function windowDates(w: Span): { first: string; last: string } {
  return { first: formatAt(w.from, "DAY"), last: formatAt(w.to - day, "DAY") };
}

/** The window from the first to the last day given (yyyy-mm-dd, inclusive); null when either is missing or they are reversed. */
export function windowOf(first: string, last: string): Span | null {
  const from = Date.parse(first);
  const to = Date.parse(last) + day;
  return Number.isNaN(from) || Number.isNaN(to) || to <= from ? null : { from, to };
}
