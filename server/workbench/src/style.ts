// How the canvas shows kinds of entity and types of relation. The legend reads the same
// tables, so what it says and what is drawn agree.
import type { EntityType } from "./api";

export const entityStyles: Record<EntityType, { label: string; color: string; size: number }> = {
  Actor: { label: "Actor", color: "#1f77b4", size: 9 },
  Place: { label: "Place", color: "#2ca02c", size: 7 },
  Event: { label: "Event", color: "#ff7f0e", size: 8 },
  Topic: { label: "Topic", color: "#9467bd", size: 7 },
};

/** Colours of relation types; red is kept for contested relations. */
export const relationColors: Record<string, string> = {
  MEMBER_OF: "#8c564b",
  REPRESENTS: "#17becf",
  LEADS: "#1f3b73",
  PARTICIPATED_IN: "#e6a100",
  LOCATED_IN: "#2ca02c",
  PART_OF: "#7f7f7f",
  ABOUT_TOPIC: "#9467bd",
  REPORTED_BY: "#bcbd22",
  CITES: "#aec7e8",
  ALLIED_WITH: "#006d2c",
  DISRUPTED: "#e377c2",
  PRECEDED: "#393b79",
};

export const contestedColor = "#d62728";

/** Retracted relations, when shown: grey, like something crossed out. */
export const retractedColor = "#9a9a9a";

/** Relations off the paths shown, drawn behind them. */
export const fadedColor = "#dddddd";

/** Relations written since the moment the changes view asks about. */
export const changedColor = "#111111";

export function relationColor(type: string, contested: boolean): string {
  return contested ? contestedColor : (relationColors[type] ?? "#999999");
}

/** "PARTICIPATED_IN" as "participated in". */
export function relationLabel(type: string): string {
  return type.toLowerCase().replaceAll("_", " ");
}
