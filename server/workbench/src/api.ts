// The workbench's only way to the server: GraphQL over HTTP at /graphql, the public API
// any client uses. Every query the views send is defined here, with the types of its
// answer, so a schema change shows up in one file.

/** An answer with errors, or no answer: message and extensions.code of the first error. */
export class APIError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** Sends one GraphQL operation and returns its data; throws APIError on any error. */
export async function request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const res = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new APIError(`/graphql answered ${res.status} without a GraphQL answer`);
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new APIError(first.message, first.extensions?.code);
  }
  if (!res.ok || body.data == null) throw new APIError(`/graphql answered ${res.status}`);
  return body.data;
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
    `query Search($text: String!) {
      search(text: $text, kinds: [ACTOR, PLACE, EVENT, TOPIC], first: 12) {
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

export interface NeighbourRelation extends RelationRef {
  from: EntityRef;
  to: EntityRef;
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
    `query Relations($id: ID!, $types: [RelationType!], $direction: Direction, $from: Time, $to: Time, $first: Int, $after: String, $includeRetracted: Boolean) {
      node(id: $id) {
        ... on Entity {
          relations(types: $types, direction: $direction, from: $from, to: $to, first: $first, after: $after, includeRetracted: $includeRetracted) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { id type role contested retracted { at } from { __typename id name } to { __typename id name } }
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
    `query RelationCounts($id: ID!, $direction: Direction, $from: Time, $to: Time, $includeRetracted: Boolean) {
      node(id: $id) { ... on Entity { ${fields} } }
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

export interface RelationDetail {
  id: string;
  type: string;
  role: string | null;
  contested: boolean;
  validFrom: string | null;
  validTo: string | null;
  from: EntityRef;
  to: EntityRef;
  corroboration: { sources: number; publishers: number; firstSeen: string | null; lastSeen: string | null };
  evidence: Evidence[];
}

/** A relation with every evidence record, supporting and disputing; null when there is none. */
export async function relation(id: string): Promise<RelationDetail | null> {
  const data = await request<{ relation: RelationDetail | null }>(
    `query Relation($id: ID!) {
      relation(id: $id) {
        id type role contested validFrom validTo
        from { __typename id name } to { __typename id name }
        corroboration { sources publishers firstSeen lastSeen }
        evidence {
          id stance quote start end prefix suffix credibility confidence method recordedAt note
          attributedTo { id name }
          source { id title url publishedAt publisher { id name reliability } }
        }
      }
    }`,
    { id },
  );
  return data.relation;
}

const sourceTexts = new Map<string, Promise<string | null>>();

/** The full text of a source (null when the store holds none), fetched once per source. */
export function sourceText(id: string): Promise<string | null> {
  let text = sourceTexts.get(id);
  if (!text) {
    text = request<{ node: { text: string | null } | null }>(
      `query SourceText($id: ID!) { node(id: $id) { ... on Source { text } } }`,
      { id },
    ).then((d) => d.node?.text ?? null);
    text.catch(() => sourceTexts.delete(id));
    sourceTexts.set(id, text);
  }
  return text;
}

export interface PathRelation {
  id: string;
  type: string;
  role: string | null;
  contested: boolean;
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
    `query Paths($from: ID!, $to: ID!, $maxHops: Int!, $first: Int!) {
      paths(from: $from, to: $to, maxHops: $maxHops, first: $first) {
        length
        hops {
          forward
          relation {
            id type role contested
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
