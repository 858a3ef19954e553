// The workbench's only way to the server: GraphQL over HTTP at /graphql, the public API
// any client uses. Every query the views send is defined here, with the types of its
// answer, so a schema change shows up in one file.
import { signInReason, token, type Viewer } from "./auth";
import { moment } from "./state";

/** An answer with errors, or no answer: message, extensions.code and extensions.field (the argument refused) of the first error. */
export class APIError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Sends one GraphQL operation and returns its data; throws APIError on any error. It
 * carries the token held (auth.ts) as a bearer token, and a query the moment chosen
 * (state.moment) as the variable $asOf, which every query of the graph declares and
 * passes to its root fields: the views then all show the graph as known at that moment
 * (a query that leaves it out would answer for now, whatever the moment shown). An answer
 * UNAUTHENTICATED asks the analyst for a token.
 */
export async function request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const operation = /^\s*query\s+(\w+)/.exec(query)?.[1];
  if (operation && !timeless.has(operation) && !/\$asOf: Time\b/.test(query)) {
    throw new Error(`query ${operation} does not declare $asOf: it would answer for now, whatever the moment shown`);
  }
  const vars = operation ? { asOf: moment.value, ...variables } : variables;
  const res = await fetch("/graphql", {
    method: "POST",
    headers: { ...authorization(), "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables: vars }),
    signal,
  });
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new APIError(`/graphql answered ${res.status} without a GraphQL answer`);
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    if (first.extensions?.code === "UNAUTHENTICATED") signInReason.value = first.message;
    throw new APIError(first.message, first.extensions?.code, first.extensions?.field);
  }
  if (!res.ok || body.data == null) throw new APIError(`/graphql answered ${res.status}`);
  return body.data;
}

/** Queries about the caller rather than the graph, which take no moment. */
const timeless = new Set(["Viewer"]);

/** The Authorization header of the token held, if one is. */
function authorization(): Record<string, string> {
  return token.value ? { Authorization: `Bearer ${token.value}` } : {};
}

/** The caller as the server sees them. */
export async function whoAmI(): Promise<Viewer> {
  const data = await request<{ viewer: Viewer }>(`query Viewer { viewer { name role canWrite tokensRequired } }`);
  return data.viewer;
}

export type EntityType = "Actor" | "Place" | "Event" | "Topic";

export interface EntityRef {
  __typename: EntityType;
  id: string;
  name: string;
}

export interface TextRange {
  start: number;
  end: number;
}

export interface SearchHit {
  score: number;
  field: string;
  snippet: string | null;
  highlights: TextRange[];
  node: EntityRef;
}

/** The entities matching text, best first (names, aliases, typos, full text). */
export async function search(text: string, signal?: AbortSignal): Promise<SearchHit[]> {
  const data = await request<{ search: { edges: SearchHit[] } }>(
    `query Search($text: String!, $asOf: Time) {
      search(text: $text, kinds: [ACTOR, PLACE, EVENT, TOPIC], first: 12, asOf: $asOf) {
        edges { score field snippet highlights { start end } node { __typename id ... on Entity { name } } }
      }
    }`,
    { text },
    signal,
  );
  return data.search.edges;
}

export interface RelationRef {
  id: string;
  type: string;
  role: string | null;
  contested: boolean;
  validFrom: string | null;
  validTo: string | null;
  from: { id: string };
  to: { id: string };
}

export type Direction = "BOTH" | "OUT" | "IN";

/** Every relation type the API knows, in the schema's order. */
export const relationTypes = [
  "MEMBER_OF",
  "REPRESENTS",
  "LEADS",
  "PARTICIPATED_IN",
  "LOCATED_IN",
  "PART_OF",
  "ABOUT_TOPIC",
  "REPORTED_BY",
  "CITES",
  "ALLIED_WITH",
  "DISRUPTED",
  "PRECEDED",
] as const;

/** Which of an entity's relations to fetch; from and to are API Time values, null for open. */
export interface RelationsFilter {
  types: string[] | null;
  direction: Direction;
  from: string | null;
  to: string | null;
  includeRetracted: boolean;
}

export interface NeighbourRelation extends RelationWithEnds {
  retracted: { at: string } | null;
}

export interface RelationsPage {
  relations: NeighbourRelation[];
  total: number;
  /** The cursor of the next page; null when this one is the last. */
  next: string | null;
}

/**
 * One page of an entity's relations that pass filter, with both their ends: a
 * neighbourhood one hop deep that can be read on where it stopped (Entity.relations).
 */
export async function relationsPage(id: string, filter: RelationsFilter, first: number, after: string | null): Promise<RelationsPage> {
  const data = await request<{
    node: { relations?: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: NeighbourRelation[] } } | null;
  }>(
    `query Relations($id: ID!, $types: [RelationType!], $direction: Direction, $from: Time, $to: Time, $first: Int, $after: String, $includeRetracted: Boolean, $asOf: Time) {
      node(id: $id, asOf: $asOf) {
        ... on Entity {
          relations(types: $types, direction: $direction, from: $from, to: $to, first: $first, after: $after, includeRetracted: $includeRetracted) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { id type role contested validFrom validTo retracted { at } from { __typename id name } to { __typename id name } }
          }
        }
      }
    }`,
    { id, ...filter, first, after },
  );
  const relations = data.node?.relations;
  if (!relations) throw new APIError(`${id} is not an entity`);
  return { relations: relations.nodes, total: relations.totalCount, next: relations.pageInfo.hasNextPage ? relations.pageInfo.endCursor : null };
}

/** How many of an entity's relations of each type pass filter (its types aside); types without any are left out. */
export async function relationCounts(id: string, filter: RelationsFilter): Promise<Record<string, number>> {
  const fields = relationTypes
    .map((t) => `${t}: relations(types: [${t}], direction: $direction, from: $from, to: $to, first: 1, includeRetracted: $includeRetracted) { totalCount }`)
    .join("\n");
  const data = await request<{ node: Record<string, { totalCount: number }> | null }>(
    `query RelationCounts($id: ID!, $direction: Direction, $from: Time, $to: Time, $includeRetracted: Boolean, $asOf: Time) {
      node(id: $id, asOf: $asOf) { ... on Entity { ${fields} } }
    }`,
    { id, direction: filter.direction, from: filter.from, to: filter.to, includeRetracted: filter.includeRetracted },
  );
  const counts: Record<string, number> = {};
  for (const t of filter.types?.length ? filter.types : relationTypes) {
    const n = data.node?.[t]?.totalCount ?? 0;
    if (n > 0) counts[t] = n;
  }
  return counts;
}

export interface Evidence {
  id: string;
  stance: "SUPPORTS" | "DISPUTES" | "MENTIONS";
  quote: string;
  start: number | null;
  end: number | null;
  prefix: string | null;
  suffix: string | null;
  credibility: number | null;
  confidence: number;
  method: string;
  recordedAt: string;
  note: string | null;
  attributedTo: { id: string; name: string } | null;
  source: {
    id: string;
    title: string;
    url: string;
    publishedAt: string | null;
    publisher: { id: string; name: string; reliability: string | null } | null;
  };
}

export interface RelationDetail extends RelationWithEnds {
  corroboration: { sources: number; publishers: number; firstSeen: string | null; lastSeen: string | null };
  evidence: Evidence[];
}

/** The fields of an evidence record the evidence panel shows, for relations and positions alike. */
const evidenceFields = `
  id stance quote start end prefix suffix credibility confidence method recordedAt note
  attributedTo { id name }
  source { id title url publishedAt publisher { id name reliability } }`;

/** A relation with every evidence record, supporting and disputing; null when there is none. */
export async function relation(id: string): Promise<RelationDetail | null> {
  const data = await request<{ relation: RelationDetail | null }>(
    `query Relation($id: ID!, $asOf: Time) {
      relation(id: $id, asOf: $asOf) {
        id type role contested validFrom validTo
        from { __typename id name } to { __typename id name }
        corroboration { sources publishers firstSeen lastSeen }
        evidence { ${evidenceFields} }
      }
    }`,
    { id },
  );
  return data.relation;
}

const sourceTexts = new Map<string, Promise<string | null>>();

/** The full text of a source (null when the store holds none), fetched once per source and moment. */
export function sourceText(id: string): Promise<string | null> {
  const key = `${moment.value ?? ""} ${id}`;
  let text = sourceTexts.get(key);
  if (!text) {
    text = request<{ node: { text: string | null } | null }>(
      `query SourceText($id: ID!, $asOf: Time) { node(id: $id, asOf: $asOf) { ... on Source { text } } }`,
      { id },
    ).then((d) => d.node?.text ?? null);
    text.catch(() => sourceTexts.delete(key));
    sourceTexts.set(key, text);
  }
  return text;
}

export interface PathRelation {
  id: string;
  type: string;
  role: string | null;
  contested: boolean;
  validFrom: string | null;
  validTo: string | null;
  from: EntityRef;
  to: EntityRef;
  /** Its supporting evidence, in the API's order: the first is the hop's citation. */
  evidence: { quote: string; source: { title: string } }[];
}

export interface Path {
  length: number;
  hops: { forward: boolean; relation: PathRelation }[];
}

/** The shortest paths between two entities, at most maxHops long, shortest first; none is an empty list. */
export async function paths(from: string, to: string, maxHops: number, first: number): Promise<Path[]> {
  const data = await request<{ paths: Path[] }>(
    `query Paths($from: ID!, $to: ID!, $maxHops: Int!, $first: Int!, $asOf: Time) {
      paths(from: $from, to: $to, maxHops: $maxHops, first: $first, asOf: $asOf) {
        length
        hops {
          forward
          relation {
            id type role contested validFrom validTo
            from { __typename id name } to { __typename id name }
            evidence(stance: SUPPORTS) { quote source { title } }
          }
        }
      }
    }`,
    { from, to, maxHops, first },
  );
  return data.paths;
}

export interface Point {
  lat: number;
  lon: number;
}

export interface MapPlace extends EntityRef {
  kind: string;
  aliases: string[];
  point: Point | null;
  /** The place it lies within, two levels up at most. */
  within: MapPlace | null;
}

export interface MapEvent extends EntityRef {
  when: string | null;
  place: MapPlace | null;
}

/** One page of places and one of events, for the map. */
export interface MapPage {
  places: { totalCount: number; nodes: MapPlace[]; pageInfo: PageInfo };
  events: { totalCount: number; nodes: MapEvent[]; pageInfo: PageInfo };
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The largest page the API gives. */
export const pageSize = 500;

const placeFields = "__typename id name kind aliases point { lat lon }";

/**
 * The next page of places and events (each list from its cursor, null for the first
 * page), with what locates them: coordinates, kind and name, and the places they lie within.
 */
export async function mapPage(placesAfter: string | null, eventsAfter: string | null): Promise<MapPage> {
  const place = `${placeFields} within { ${placeFields} within { ${placeFields} } }`;
  return request<MapPage>(
    `query MapPage($first: Int!, $placesAfter: String, $eventsAfter: String, $asOf: Time) {
      places(first: $first, after: $placesAfter, asOf: $asOf) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { ${place} }
      }
      events(first: $first, after: $eventsAfter, asOf: $asOf) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { __typename id name when place { ${place} } }
      }
    }`,
    { first: pageSize, placesAfter, eventsAfter },
  );
}

/** The formats GET /export writes, with what the workbench calls them. */
export const exportFormats = { graphml: "GraphML", seed: "Seed (JSON Lines)", jsonld: "JSON-LD" } as const;

/** The most entities one export request or between query may name (the server's bound). */
export const betweenLimit = 500;

/**
 * The entities with these ids and the relations among them, as GET /export writes them
 * in a format (depth 0: the subgraph the between query gives), as known at the moment
 * chosen, with the token held. The file name is the server's.
 */
export async function exportView(ids: string[], format: keyof typeof exportFormats): Promise<{ blob: Blob; name: string }> {
  const query = new URLSearchParams({ format, depth: "0" });
  if (moment.value) query.set("asOf", moment.value);
  for (const id of ids) query.append("id", id);
  const res = await fetch(`/export?${query}`, { headers: authorization() });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new APIError(body?.errors?.[0]?.message ?? `/export answered ${res.status}`, body?.errors?.[0]?.extensions?.code);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? `eventgraph.${format}`;
  return { blob: await res.blob(), name };
}

export type Precision = "DAY" | "MONTH" | "YEAR" | "UNKNOWN";

export interface TimelineEvent {
  id: string;
  name: string;
  kind: string;
  start: string | null;
  end: string | null;
  precision: Precision;
  /** The start (and end, when there is one) formatted to its precision: 2025, 2025-06, 2025-06-13/2025-06-24. */
  when: string | null;
}

/** How many events the timeline asks for: the most one page of the API holds. */
export const timelineLimit = 500;

/** Events in the API's timeline order (coarser periods ahead of the days in them, undated last), and how many there are in all. */
export async function timeline(): Promise<{ events: TimelineEvent[]; total: number }> {
  const data = await request<{ timeline: { totalCount: number; nodes: TimelineEvent[] } }>(
    `query Timeline($first: Int!, $asOf: Time) {
      timeline(first: $first, asOf: $asOf) { totalCount nodes { id name kind start end precision when } }
    }`,
    { first: timelineLimit },
  );
  return { events: data.timeline.nodes, total: data.timeline.totalCount };
}

export type Stance = "DEMANDS" | "SUPPORTS" | "OPPOSES" | "REJECTS" | "WILLING_TO_DISCUSS" | "RULES_OUT";

export interface Position {
  id: string;
  stance: Stance;
  statement: string | null;
  statedAt: string | null;
  validFrom: string | null;
  validTo: string | null;
  contested: boolean;
  corroboration: { sources: number; publishers: number };
  evidence: Evidence[];
}

export interface StanceRow {
  topic: { id: string; name: string };
  cells: { actor: { id: string; name: string }; positions: Position[] }[];
  conflicts: { a: { id: string }; b: { id: string } }[];
}

/** Every actor's positions on every topic with positions, with their evidence and where actors conflict. */
export async function stances(): Promise<StanceRow[]> {
  const data = await request<{ stances: { rows: StanceRow[] } }>(
    `query Stances($asOf: Time) {
      stances(asOf: $asOf) {
        rows {
          topic { id name }
          cells {
            actor { id name }
            positions {
              id stance statement statedAt validFrom validTo contested
              corroboration { sources publishers }
              evidence { ${evidenceFields} }
            }
          }
          conflicts { a { id } b { id } }
        }
      }
    }`,
  );
  return data.stances.rows;
}

/** Withdraws a relation (or any claim) for a reason; history keeps it and who withdrew it. */
export async function retract(id: string, reason: string): Promise<void> {
  await request<{ retract: { id: string } | null }>(`mutation Retract($id: ID!, $reason: String!) { retract(id: $id, reason: $reason) { id } }`, { id, reason });
}

/**
 * Asks for many nodes by id, one aliased node field each (n0, n1, …), in requests of at
 * most byIDBatch ids (the server bounds the fields of a document); null where there is
 * none at the moment chosen.
 */
async function nodesByID<T>(ids: string[], selection: string): Promise<(T | null)[]> {
  const batches: Promise<(T | null)[]>[] = [];
  for (let start = 0; start < ids.length; start += byIDBatch) {
    const batch = ids.slice(start, start + byIDBatch);
    const params = batch.map((_, i) => `$id${i}: ID!`).join(", ");
    const fields = batch.map((_, i) => `n${i}: node(id: $id${i}, asOf: $asOf) { ${selection} }`).join("\n");
    const variables = Object.fromEntries(batch.map((id, i) => [`id${i}`, id]));
    batches.push(request<Record<string, T | null>>(`query Nodes(${params}, $asOf: Time) { ${fields} }`, variables).then((data) => batch.map((_, i) => data[`n${i}`])));
  }
  return (await Promise.all(batches)).flat();
}

const byIDBatch = 200;

const entityTypes = new Set<string>(["Actor", "Place", "Event", "Topic"]);

/** Entities by id (at the moment chosen); one not known then is null. */
export async function entitiesByID(ids: string[]): Promise<(EntityRef | null)[]> {
  const found = await nodesByID<EntityRef>(ids, "__typename id ... on Entity { name }");
  return found.map((n) => (n && entityTypes.has(n.__typename) ? n : null));
}

/** A relation with its ends named, as a change brings it. */
export interface RelationWithEnds extends RelationRef {
  from: EntityRef;
  to: EntityRef;
}

/** Relations by id (at the moment chosen); one retracted or not known then is null. */
export async function relationsByID(ids: string[]): Promise<(RelationWithEnds | null)[]> {
  const found = await nodesByID<RelationWithEnds & { retracted: { at: string } | null }>(
    ids,
    "... on Relation { id type role contested validFrom validTo retracted { at } from { __typename id name } to { __typename id name } }",
  );
  return found.map((r) => (r?.id && !r.retracted ? r : null));
}

/** The most relations one between query gives (the server's largest limit). */
export const betweenRelationLimit = 2000;

/**
 * The relations among the entities with these ids (at most betweenLimit, each known at
 * the moment chosen: the server refuses an unknown one), at most betweenRelationLimit;
 * truncated when there were more.
 */
export async function between(ids: string[]): Promise<{ relations: RelationWithEnds[]; truncated: boolean }> {
  const data = await request<{ between: { relations: RelationWithEnds[]; truncated: boolean } }>(
    `query Between($ids: [ID!]!, $limit: Int, $asOf: Time) {
      between(ids: $ids, limit: $limit, asOf: $asOf) {
        truncated
        relations { id type role contested validFrom validTo from { __typename id name } to { __typename id name } }
      }
    }`,
    { ids, limit: betweenRelationLimit },
  );
  return data.between;
}

export interface GraphChange {
  version: string;
  at: string;
  author: string;
  kinds: string[];
  nodeIds: string[];
  relationIds: string[];
  nodeCount: number;
  relationCount: number;
  evidenceCount: number;
}

/** The commits made since a moment (as known at the moment chosen), oldest first, at most first of them. */
export async function changes(since: string, first: number): Promise<{ changes: GraphChange[]; totalCount: number }> {
  const data = await request<{ changes: { nodes: GraphChange[]; totalCount: number } }>(
    `query Changes($since: Time!, $first: Int, $asOf: Time) {
      changes(since: $since, first: $first, asOf: $asOf) {
        totalCount
        nodes { version at author kinds nodeIds relationIds nodeCount relationCount evidenceCount }
      }
    }`,
    { since, first },
  );
  return { changes: data.changes.nodes, totalCount: data.changes.totalCount };
}

export interface Version {
  at: string;
  author: string;
  change: "CREATED" | "UPDATED" | "DELETED";
  changed: string[];
}

/** One version in a claim's history, with the record it belongs to: the claim itself or one of its evidence records. */
export interface ClaimVersion extends Version {
  record: string;
}

/**
 * The history of a claim (a relation or position) and of its evidence records, every
 * version oldest first: one aliased history field per record, byIDBatch to a request.
 */
export async function claimHistory(id: string, evidence: string[]): Promise<ClaimVersion[]> {
  const records = [id, ...evidence];
  const batches: Promise<ClaimVersion[]>[] = [];
  for (let start = 0; start < records.length; start += byIDBatch) {
    const batch = records.slice(start, start + byIDBatch);
    const params = batch.map((_, i) => `$r${i}: ID!`).join(", ");
    const fields = batch.map((_, i) => `h${i}: history(id: $r${i}, asOf: $asOf) { at author change changed }`).join("\n");
    batches.push(
      request<Record<string, Version[]>>(`query ClaimHistory(${params}, $asOf: Time) { ${fields} }`, Object.fromEntries(batch.map((r, i) => [`r${i}`, r]))).then((data) =>
        batch.flatMap((record, i) => data[`h${i}`].map((v) => ({ ...v, record }))),
      ),
    );
  }
  return (await Promise.all(batches)).flat().sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The parts an actor can play in an event, in the schema's order. */
export const participantRoles = ["INITIATOR", "TARGET", "MEDIATOR", "PARTICIPANT", "SUPPORTER", "HOST"] as const;
export const actorKinds = ["PERSON", "STATE", "ORGANISATION", "ARMED_FORCE", "GROUP", "MEDIA"] as const;
export const placeKinds = ["CITY", "COUNTRY", "SEA", "FACILITY", "REGION"] as const;
export const eventKinds = ["NEGOTIATION", "WAR", "MILITARY_STRIKE", "SHOOTDOWN", "DEPLOYMENT", "PROTEST", "CRACKDOWN", "STATEMENT", "OTHER"] as const;

/** A relation or position ingestion proposes for review: its ends are entities, or proposals not yet reviewed; a position's has a suggested stance. */
export interface Candidate {
  id: string;
  source: { id: string; title: string };
  from: EntityRef | null;
  to: EntityRef | null;
  fromProposal: { id: string; name: string } | null;
  toProposal: { id: string; name: string } | null;
  suggestedType: string | null;
  suggestedRole: string | null;
  suggestedStance: string | null;
  /** How likely the reading is right, in [0, 1]; accepting gives the evidence this one. */
  confidence: number;
  quote: string;
  start: number;
  end: number;
}

/** An entity ingestion proposes for review, with the spans naming it and the entities it may be. */
export interface Proposal {
  id: string;
  nodeKind: "ACTOR" | "PLACE" | "EVENT";
  actorKind: string | null;
  placeKind: string | null;
  eventKind: string | null;
  start: string | null;
  precision: string | null;
  name: string;
  mentions: { source: { id: string; title: string }; quote: string | null; start: number | null; end: number | null }[];
  sameAs: EntityRef[];
}

/** The most a page of the review queue holds; the queue is read page after page. */
const queuePage = 500;

/** Every pending candidate and proposal, in the API's order. */
export async function reviewQueue(): Promise<{ candidates: Candidate[]; proposals: Proposal[] }> {
  const candidates: Candidate[] = [];
  const proposals: Proposal[] = [];
  let candidatesAfter: string | null = null;
  let proposalsAfter: string | null = null;
  let more = { candidates: true, proposals: true };
  while (more.candidates || more.proposals) {
    type Page<N> = { nodes: N[]; pageInfo: PageInfo };
    const data: { candidates: Page<Candidate>; proposals: Page<Proposal> } = await request(
      `query ReviewQueue($first: Int!, $candidatesAfter: String, $proposalsAfter: String, $asOf: Time) {
        candidates(status: PENDING, first: $first, after: $candidatesAfter, asOf: $asOf) {
          pageInfo { hasNextPage endCursor }
          nodes {
            id source { id title }
            from { __typename id ... on Entity { name } } to { __typename id ... on Entity { name } }
            fromProposal { id name } toProposal { id name }
            suggestedType suggestedRole suggestedStance confidence quote start end
          }
        }
        proposals(status: PENDING, first: $first, after: $proposalsAfter, asOf: $asOf) {
          pageInfo { hasNextPage endCursor }
          nodes {
            id nodeKind actorKind placeKind eventKind start precision name
            mentions { source { id title } quote start end }
            sameAs { __typename id ... on Entity { name } }
          }
        }
      }`,
      { first: queuePage, candidatesAfter, proposalsAfter },
    );
    if (more.candidates) candidates.push(...data.candidates.nodes);
    if (more.proposals) proposals.push(...data.proposals.nodes);
    more = { candidates: more.candidates && data.candidates.pageInfo.hasNextPage, proposals: more.proposals && data.proposals.pageInfo.hasNextPage };
    candidatesAfter = data.candidates.pageInfo.endCursor;
    proposalsAfter = data.proposals.pageInfo.endCursor;
  }
  return { candidates, proposals };
}

/** A source's evidence record: what it mentions (an entity) or supports or disputes (a relation or position). */
export interface SourceEvidence {
  id: string;
  stance: Evidence["stance"];
  start: number | null;
  end: number | null;
  subject: { __typename: string; id: string; name?: string };
}

/** The most evidence records of one source the review desk reads. */
export const sourceEvidenceLimit = 500;

/** A source's text and the evidence citing it (its first sourceEvidenceLimit records). */
export async function sourceWithEvidence(id: string): Promise<{ title: string; url: string; text: string | null; evidence: SourceEvidence[]; total: number } | null> {
  const data = await request<{ node: { title: string; url: string; text: string | null; evidence: { totalCount: number; nodes: SourceEvidence[] } } | null }>(
    `query SourceEvidence($id: ID!, $first: Int!, $asOf: Time) {
      node(id: $id, asOf: $asOf) {
        ... on Source {
          title url text
          evidence(first: $first) { totalCount nodes { id stance start end subject { __typename id ... on Entity { name } } } }
        }
      }
    }`,
    { id, first: sourceEvidenceLimit },
  );
  const s = data.node;
  return s?.evidence ? { title: s.title, url: s.url, text: s.text, evidence: s.evidence.nodes, total: s.evidence.totalCount } : null;
}

/** What the reviewer corrects of a candidate when accepting it; each left out keeps the candidate's. */
export interface Acceptance {
  type: string;
  role: string | null;
  from: string;
  to: string;
  start: number;
  end: number;
}

/** Makes a candidate a relation; the server refuses ends its type does not take, naming the field. */
export async function acceptCandidate(id: string, a: Acceptance): Promise<RelationWithEnds> {
  const data = await request<{ accept: RelationWithEnds }>(
    `mutation Accept($id: ID!, $type: RelationType, $role: ParticipantRole, $from: ID, $to: ID, $start: Int, $end: Int) {
      accept(id: $id, type: $type, role: $role, from: $from, to: $to, start: $start, end: $end) {
        id type role contested validFrom validTo from { __typename id name } to { __typename id name }
      }
    }`,
    { id, ...a },
  );
  return data.accept;
}

/** Makes a position's candidate a position (or corroborates the same one the graph holds). */
export async function acceptPosition(id: string, stance: string): Promise<{ stance: string; holder: { name: string }; topic: { name: string } }> {
  const data = await request<{ acceptPosition: { stance: string; holder: { name: string }; topic: { name: string } } }>(
    `mutation AcceptPosition($id: ID!, $stance: Stance) { acceptPosition(id: $id, stance: $stance) { stance holder { name } topic { name } } }`,
    { id, stance },
  );
  return data.acceptPosition;
}

export async function rejectCandidate(id: string, reason: string): Promise<void> {
  await request(`mutation Reject($id: ID!, $reason: String!) { reject(id: $id, reason: $reason) { id } }`, { id, reason });
}

/** Makes a proposal an entity, under the name and kind given. */
export async function acceptProposal(id: string, name: string, kind: { actorKind?: string; placeKind?: string; eventKind?: string }): Promise<EntityRef> {
  const data = await request<{ acceptProposal: EntityRef }>(
    `mutation AcceptProposal($id: ID!, $name: String, $actorKind: ActorKind, $placeKind: PlaceKind, $eventKind: EventKind) {
      acceptProposal(id: $id, name: $name, actorKind: $actorKind, placeKind: $placeKind, eventKind: $eventKind) { __typename id ... on Entity { name } }
    }`,
    { id, name, ...kind },
  );
  return data.acceptProposal;
}

/** Makes a proposal's spellings and spans part of an entity the graph holds. */
export async function mergeProposal(id: string, into: string): Promise<EntityRef> {
  const data = await request<{ mergeProposal: EntityRef }>(
    `mutation MergeProposal($id: ID!, $into: ID!) { mergeProposal(id: $id, into: $into) { __typename id ... on Entity { name } } }`,
    { id, into },
  );
  return data.mergeProposal;
}

export async function rejectProposal(id: string, reason: string): Promise<void> {
  await request(`mutation RejectProposal($id: ID!, $reason: String!) { rejectProposal(id: $id, reason: $reason) { id } }`, { id, reason });
}

/** Records a span of a source as evidence of a subject: MENTIONS of an entity, SUPPORTS or DISPUTES of a relation. The server quotes the text there. */
export async function addSpanEvidence(subject: string, source: string, start: number, end: number, stance: Evidence["stance"], confidence: number): Promise<{ id: string; quote: string }> {
  const data = await request<{ addEvidence: { id: string; quote: string }[] }>(
    `mutation AddEvidence($subject: ID!, $evidence: [EvidenceInput!]!) { addEvidence(subject: $subject, evidence: $evidence) { id quote } }`,
    { subject, evidence: [{ source, start, end, stance, confidence }] },
  );
  return data.addEvidence[0];
}
