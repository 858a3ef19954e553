// The review desk: an editor works through ingestion's queue, article by article. The
// article's text shows what it names (known entities by colour, proposed ones dashed),
// the candidate relations and proposed entities stand beside it, and each is accepted
// (corrected first where needed), merged or rejected, by mouse or by key. Everything goes
// through the public API's review mutations; the queue is read again after each write,
// so what shows is what the server holds.
import { useSignal } from "@preact/signals";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import {
  acceptCandidate,
  acceptProposal,
  actorKinds,
  addSpanEvidence,
  APIError,
  between,
  betweenLimit,
  type Candidate,
  mergeProposal,
  participantRoles,
  placeKinds,
  eventKinds,
  acceptPosition,
  type Proposal,
  rejectCandidate,
  rejectProposal,
  type RelationWithEnds,
  relationTypes,
  reviewQueue,
  search,
  type SearchHit,
  type SourceEvidence,
  sourceEvidenceLimit,
  sourceWithEvidence,
} from "./api";
import { canWrite } from "./auth";
import { moment, notice } from "./state";
import { relationLabel } from "./style";
import { count } from "./text";

/** What the reviewer has corrected of a candidate so far. */
interface Draft {
  type: string;
  role: string;
  swapped: boolean;
  start: number;
  end: number;
}

/** A proposal's name and kind as the reviewer edits them. */
interface ProposalDraft {
  name: string;
  kind: string;
}

interface Article {
  id: string;
  title: string;
  candidates: number;
  proposals: number;
}

/** The article open: its text, the entities it names and where, and the relations among them (subjects for new evidence). */
interface Opened {
  id: string;
  title: string;
  url: string;
  points: string[];
  mentions: { start: number; end: number; entity: { id: string; name: string } }[];
  /** Evidence records beyond those read (sourceEvidenceLimit). */
  unread: number;
  relations: RelationWithEnds[];
}

/** How many light backgrounds (styles.css, .hue-N) mentions take, one per entity in order of first mention, dark text reading on each. */
const hues = 12;

type Item = { kind: "candidate"; candidate: Candidate } | { kind: "proposal"; proposal: Proposal };

function itemId(item: Item): string {
  return item.kind === "candidate" ? item.candidate.id : item.proposal.id;
}

function rowId(id: string): string {
  return `review-row-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function refusal(err: unknown): string {
  if (err instanceof APIError && err.field) return `Refused (${err.field}): ${err.message}`;
  return `Refused: ${err instanceof Error ? err.message : String(err)}`;
}

function endName(entity: { name: string } | null, proposal: { name: string } | null): string {
  return entity?.name ?? `${proposal?.name ?? "?"} (proposed)`;
}

function kindOf(p: Proposal): string {
  switch (p.nodeKind) {
    case "ACTOR":
      return p.actorKind ?? "PERSON";
    case "EVENT":
      return p.eventKind ?? "OTHER";
  }
  return p.placeKind ?? "CITY";
}

/** The argument of acceptProposal that sets a proposal's kind. */
function kindArgument(p: Proposal, kind: string): { actorKind?: string; placeKind?: string; eventKind?: string } {
  switch (p.nodeKind) {
    case "ACTOR":
      return { actorKind: kind };
    case "EVENT":
      return { eventKind: kind };
  }
  return { placeKind: kind };
}

function words(value: string): string {
  return value.toLowerCase().replaceAll("_", " ");
}

export function ReviewDesk() {
  const queue = useSignal<{ candidates: Candidate[]; proposals: Proposal[] } | null>(null);
  const loadError = useSignal("");
  const articleId = useSignal<string | null>(null);
  const titles = useRef(new Map<string, string>());
  const opened = useSignal<Opened | null>(null);
  const current = useSignal<string | null>(null);
  const drafts = useSignal<Record<string, Draft>>({});
  const proposalDrafts = useSignal<Record<string, ProposalDraft>>({});
  const errors = useSignal<Record<string, string>>({});
  const rejecting = useSignal<string | null>(null);
  const busy = useSignal(false);
  const picked = useSignal<{ start: number; end: number } | null>(null);
  /** The entity whose mentions are outlined, from the legend. */
  const lit = useSignal<string | null>(null);
  const articleRef = useRef<HTMLDivElement>(null);
  const writable = canWrite.value;

  const loadArticle = async (id: string) => {
    const source = await sourceWithEvidence(id);
    if (!source) {
      opened.value = null;
      return;
    }
    const mentions = source.evidence
      .filter((e): e is SourceEvidence & { start: number; end: number } => e.stance === "MENTIONS" && e.start != null && e.end != null)
      .map((e) => ({ start: e.start, end: e.end, entity: { id: e.subject.id, name: e.subject.name ?? e.subject.id } }));
    const entityIds = [...new Set(mentions.map((m) => m.entity.id))].slice(0, betweenLimit);
    const relations = entityIds.length > 1 ? (await between(entityIds)).relations : [];
    opened.value = {
      id,
      title: source.title,
      url: source.url,
      points: Array.from(source.text ?? ""),
      mentions,
      unread: Math.max(0, source.total - sourceEvidenceLimit),
      relations,
    };
  };

  /** Reads the queue and the open article again, keeping the reviewer's place: the item at the same position, when the one current left the queue. */
  const reload = async () => {
    const before = items();
    const at = Math.max(0, before.findIndex((i) => itemId(i) === current.value));
    try {
      queue.value = await reviewQueue();
      for (const c of queue.value.candidates) titles.current.set(c.source.id, c.source.title);
      for (const p of queue.value.proposals) for (const m of p.mentions) titles.current.set(m.source.id, m.source.title);
      if (articleId.value == null) articleId.value = articles()[0]?.id ?? null;
      if (articleId.value != null) await loadArticle(articleId.value);
      loadError.value = "";
    } catch (err) {
      loadError.value = `The review queue could not be read: ${err instanceof Error ? err.message : err}`;
    }
    const after = items();
    if (!after.some((i) => itemId(i) === current.value)) current.value = after.length ? itemId(after[Math.min(at, after.length - 1)]) : null;
  };

  useEffect(() => {
    void reload();
  }, []);

  // The words selected in the article, as code points of its text: the quote of a
  // candidate, or the span of new evidence. A selection elsewhere leaves it as it was,
  // so that pressing a button (which may move the selection) does not lose it. While the
  // mouse drags it is read once, on release: a render at every step of the drag makes
  // Chromium stop extending the selection.
  useEffect(() => {
    let dragging = false;
    const follow = () => {
      const root = articleRef.current;
      const sel = document.getSelection();
      if (dragging || !root || !sel || sel.rangeCount === 0) return;
      const range = sel.getRangeAt(0);
      if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
      if (range.collapsed) {
        picked.value = null;
        return;
      }
      const offset = (node: Node, at: number) => {
        const r = document.createRange();
        r.setStart(root, 0);
        r.setEnd(node, at);
        return Array.from(r.toString()).length;
      };
      picked.value = { start: offset(range.startContainer, range.startOffset), end: offset(range.endContainer, range.endOffset) };
    };
    const down = (e: PointerEvent) => {
      dragging = articleRef.current?.contains(e.target as Node) ?? false;
    };
    const up = () => {
      if (!dragging) return;
      dragging = false;
      follow();
    };
    document.addEventListener("selectionchange", follow);
    document.addEventListener("pointerdown", down);
    document.addEventListener("pointerup", up);
    return () => {
      document.removeEventListener("selectionchange", follow);
      document.removeEventListener("pointerdown", down);
      document.removeEventListener("pointerup", up);
    };
  }, []);

  function articles(): Article[] {
    const byId = new Map<string, Article>();
    const article = (id: string) => {
      let a = byId.get(id);
      if (!a) {
        a = { id, title: titles.current.get(id) ?? id, candidates: 0, proposals: 0 };
        byId.set(id, a);
      }
      return a;
    };
    for (const c of queue.value?.candidates ?? []) article(c.source.id).candidates++;
    for (const p of queue.value?.proposals ?? []) for (const id of new Set(p.mentions.map((m) => m.source.id))) article(id).proposals++;
    // The article open stays listed once its queue is done: evidence may still be added from it.
    if (articleId.value != null) article(articleId.value);
    return [...byId.values()];
  }

  function items(): Item[] {
    const id = articleId.value;
    if (!queue.value || id == null) return [];
    // In the order the article names them, which the API's order by id is not.
    const firstMention = (p: Proposal) => Math.min(...p.mentions.filter((m) => m.source.id === id).map((m) => m.start ?? Infinity));
    return [
      ...queue.value.candidates
        .filter((c) => c.source.id === id)
        .toSorted((a, b) => a.start - b.start)
        .map((candidate): Item => ({ kind: "candidate", candidate })),
      ...queue.value.proposals
        .filter((p) => p.mentions.some((m) => m.source.id === id))
        .toSorted((a, b) => firstMention(a) - firstMention(b))
        .map((proposal): Item => ({ kind: "proposal", proposal })),
    ];
  }

  const draftOf = (c: Candidate): Draft =>
    drafts.value[c.id] ?? { type: c.suggestedType ?? "", role: c.suggestedRole ?? "PARTICIPANT", swapped: false, start: c.start, end: c.end };
  const setDraft = (c: Candidate, change: Partial<Draft>) => (drafts.value = { ...drafts.value, [c.id]: { ...draftOf(c), ...change } });
  const proposalDraftOf = (p: Proposal): ProposalDraft => proposalDrafts.value[p.id] ?? { name: p.name, kind: kindOf(p) };
  const setError = (id: string, message: string) => (errors.value = { ...errors.value, [id]: message });

  /** Runs one write for an item: its error is shown beside it, and the queue is read again after success. */
  const write = async (id: string, work: () => Promise<string>) => {
    if (busy.value) return;
    busy.value = true;
    setError(id, "");
    try {
      const done = await work();
      rejecting.value = null;
      await reload();
      // Said once the desk shows what the write changed.
      notice.value = done;
      document.getElementById(rowId(current.value ?? ""))?.focus();
    } catch (err) {
      setError(id, refusal(err));
    } finally {
      busy.value = false;
    }
  };

  const accept = (c: Candidate) => {
    const d = draftOf(c);
    if (c.suggestedStance && c.from && c.to) {
      void write(c.id, async () => {
        const p = await acceptPosition(c.id, c.suggestedStance!);
        return `Accepted: ${p.holder.name} ${words(p.stance)} ${p.topic.name}.`;
      });
      return;
    }
    if (!c.from || !c.to) {
      setError(c.id, `Accept or merge the proposed ${[c.fromProposal, c.toProposal].filter((p) => p).map((p) => p!.name).join(" and ")} first.`);
      return;
    }
    if (!d.type) {
      setError(c.id, "Choose the relation's type first.");
      return;
    }
    const [from, to] = d.swapped ? [c.to, c.from] : [c.from, c.to];
    void write(c.id, async () => {
      const r = await acceptCandidate(c.id, { type: d.type, role: d.type === "PARTICIPATED_IN" ? d.role : null, from: from.id, to: to.id, start: d.start, end: d.end });
      return `Accepted: ${r.from.name} ${relationLabel(r.type)} ${r.to.name}.`;
    });
  };

  const acceptAsProposed = (p: Proposal) => {
    const d = proposalDraftOf(p);
    void write(p.id, async () => {
      const e = await acceptProposal(p.id, d.name.trim() || p.name, kindArgument(p, d.kind));
      return `Accepted ${e.name} as a new ${p.nodeKind.toLowerCase()}.`;
    });
  };

  const merge = (p: Proposal, into: { id: string; name: string }) =>
    void write(p.id, async () => {
      const e = await mergeProposal(p.id, into.id);
      return `Merged ${p.name} into ${e.name}.`;
    });

  const reject = (item: Item, reason: string) => {
    const id = itemId(item);
    if (!reason.trim()) {
      setError(id, "Give a reason: the queue keeps it with the rejection.");
      return;
    }
    void write(id, async () => {
      if (item.kind === "candidate") {
        await rejectCandidate(id, reason.trim());
        return `Rejected the candidate: ${item.candidate.quote}`;
      }
      await rejectProposal(id, reason.trim());
      return `Rejected the proposed ${item.proposal.name}.`;
    });
  };

  /**
   * Focuses id's row once it is drawn, unless focus has moved on in the meantime: "j"
   * then "r" typed quickly opens the reason's field before the next frame, and what is
   * typed next belongs to the field, not to the queue's keys.
   */
  const focusRow = (id: string | null) => {
    const from = document.activeElement;
    requestAnimationFrame(() => {
      if (document.activeElement === from || document.activeElement === document.body) document.getElementById(rowId(id ?? ""))?.focus();
    });
  };

  const move = (by: number) => {
    const list = items();
    if (!list.length) return;
    const at = list.findIndex((i) => itemId(i) === current.value);
    const next = list[Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : at + by))];
    current.value = itemId(next);
    focusRow(current.value);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (e.key === "Escape") {
      if (rejecting.value) {
        rejecting.value = null;
      } else if (!target.closest(".review-editor")) {
        return;
      }
      e.preventDefault();
      focusRow(current.value);
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
    const item = items().find((i) => itemId(i) === current.value);
    switch (e.key) {
      case "j":
      case "ArrowDown":
        move(1);
        break;
      case "k":
      case "ArrowUp":
        move(-1);
        break;
      case "a":
        if (!writable || !item) return;
        if (item.kind === "candidate") accept(item.candidate);
        else acceptAsProposed(item.proposal);
        break;
      case "r":
        if (!writable || !item) return;
        rejecting.value = itemId(item);
        break;
      case "s":
        if (!writable || item?.kind !== "candidate") return;
        setDraft(item.candidate, { swapped: !draftOf(item.candidate).swapped });
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  if (moment.value != null) {
    return <p class="hint">The review desk works on the graph as it stands now: press “Now” to review.</p>;
  }
  if (!queue.value) return <p>{loadError.value || "Loading the review queue…"}</p>;

  const list = items();
  const all = articles();
  const open = opened.value?.id === articleId.value ? opened.value : null;
  const selected = list.find((i) => itemId(i) === current.value);
  const sentence = selected?.kind === "candidate" ? draftOf(selected.candidate) : null;
  const proposedSpans =
    open == null
      ? []
      : list.flatMap((i) =>
          i.kind === "proposal"
            ? i.proposal.mentions
                .filter((m) => m.source.id === open.id && m.start != null && m.end != null)
                .map((m) => ({ start: m.start!, end: m.end!, name: i.proposal.name }))
            : [],
        );

  return (
    <div class="review" onKeyDown={onKeyDown}>
      {loadError.value && (
        <p class="warning" role="alert">
          {loadError.value}
        </p>
      )}
      {!writable && <p class="hint">Read only: your token may not edit. Sign in with an editor's token to accept or reject.</p>}
      <div class="review-article">
        <p class="review-pick">
          <label for="review-article">Article</label>{" "}
          <select
            id="review-article"
            value={articleId.value ?? ""}
            onChange={(e) => {
              articleId.value = (e.target as HTMLSelectElement).value;
              picked.value = null;
              current.value = items()[0] ? itemId(items()[0]) : null;
              loadArticle(articleId.value).catch((err) => (loadError.value = `The article could not be read: ${err instanceof Error ? err.message : err}`));
            }}
          >
            {all.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({count(a.candidates, "candidate")}, {count(a.proposals, "proposal")})
              </option>
            ))}
          </select>
        </p>
        {all.length === 0 && <p>Nothing is waiting for review.</p>}
        {open && (
          <>
            <ArticleText opened={open} proposed={proposedSpans} sentence={sentence} lit={lit.value} articleRef={articleRef} />
            {open.unread > 0 && <p class="hint">The highlights show the first {sourceEvidenceLimit} of the article's evidence records.</p>}
            <Legend opened={open} lit={lit} />
            {writable && <AddEvidence opened={open} picked={picked.value} busy={busy.value} reload={reload} />}
          </>
        )}
      </div>
      <div class="review-queue">
        <h3 id="review-queue-heading">Queue ({count(list.length, "item")})</h3>
        <p class="hint review-keys">j/k or arrows move, Enter edits, a accepts, r rejects, s swaps the direction, Escape cancels.</p>
        <ul aria-labelledby="review-queue-heading">
          {list.map((item) => {
            const id = itemId(item);
            const isCurrent = id === current.value;
            return (
              <li key={id} class={isCurrent ? "current" : undefined}>
                <button
                  type="button"
                  id={rowId(id)}
                  class="review-row"
                  aria-current={isCurrent}
                  aria-expanded={isCurrent}
                  onClick={() => (current.value = id)}
                  onKeyDown={(e) => {
                    if (e.key !== "Enter") return;
                    e.preventDefault();
                    current.value = id;
                    requestAnimationFrame(() => document.querySelector<HTMLElement>(`#${rowId(id)} ~ .review-editor :is(select, input, button)`)?.focus());
                  }}
                >
                  {item.kind === "candidate" ? <CandidateSummary c={item.candidate} d={draftOf(item.candidate)} /> : <ProposalSummary p={item.proposal} />}
                </button>
                {isCurrent && (
                  <div class="review-editor">
                    {item.kind === "candidate" ? (
                      <CandidateEditor
                        c={item.candidate}
                        d={draftOf(item.candidate)}
                        writable={writable}
                        busy={busy.value}
                        picked={picked.value}
                        proposals={queue.value!.proposals}
                        setDraft={(change) => setDraft(item.candidate, change)}
                        accept={() => accept(item.candidate)}
                        acceptProposal={acceptAsProposed}
                        review={(pid) => {
                          current.value = pid;
                          focusRow(pid);
                        }}
                        askReason={() => (rejecting.value = id)}
                      />
                    ) : (
                      <ProposalEditor
                        p={item.proposal}
                        d={proposalDraftOf(item.proposal)}
                        writable={writable}
                        busy={busy.value}
                        setDraft={(change) => (proposalDrafts.value = { ...proposalDrafts.value, [id]: { ...proposalDraftOf(item.proposal), ...change } })}
                        accept={() => acceptAsProposed(item.proposal)}
                        merge={(into) => merge(item.proposal, into)}
                        askReason={() => (rejecting.value = id)}
                      />
                    )}
                    {rejecting.value === id && writable && <RejectForm item={item} busy={busy.value} reject={(why) => reject(item, why)} cancel={() => (rejecting.value = null)} />}
                    {errors.value[id] && (
                      <p class="warning" role="alert">
                        {errors.value[id]}
                      </p>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

function CandidateSummary({ c, d }: { c: Candidate; d: Draft }) {
  const ends = [endName(c.from, c.fromProposal), endName(c.to, c.toProposal)];
  const [from, to] = d.swapped ? [ends[1], ends[0]] : ends;
  return (
    <>
      <span class="review-type">{c.suggestedStance ? `position: ${words(c.suggestedStance)}` : d.type ? relationLabel(d.type) : "type to choose"}</span> {from} → {to}
      {d.type === "PARTICIPATED_IN" && d.role && <span class="review-role"> as {words(d.role)}</span>}
      <span class="review-confidence" title="How likely ingestion's reading is right; accepting gives the evidence this confidence">
        {" "}
        · {Math.round(c.confidence * 100)}% likely
      </span>
      <span class="review-quote">“{c.quote}”</span>
    </>
  );
}

function ProposalSummary({ p }: { p: Proposal }) {
  return (
    <>
      <span class="review-type">proposed {words(kindOf(p))}</span> {p.name}
      <span class="review-quote">{count(p.mentions.length, "mention")}</span>
    </>
  );
}

function CandidateEditor(props: {
  c: Candidate;
  d: Draft;
  writable: boolean;
  busy: boolean;
  picked: { start: number; end: number } | null;
  proposals: Proposal[];
  setDraft: (change: Partial<Draft>) => void;
  accept: () => void;
  acceptProposal: (p: Proposal) => void;
  review: (proposalId: string) => void;
  askReason: () => void;
}) {
  const { c, d, writable } = props;
  const pendingEnds = [c.from ? null : c.fromProposal, c.to ? null : c.toProposal].filter((p) => p != null);
  const field = (name: string) => `review-${name}-${c.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  if (!writable) return <p class="hint">From code point {c.start} to {c.end} of the article.</p>;
  return (
    <>
      {pendingEnds.map((pe) => {
        const p = props.proposals.find((x) => x.id === pe.id);
        return (
          <p key={pe.id} class="review-pending">
            {pe.name} is a proposed entity, not in the graph yet: accept or merge it first.{" "}
            {p && (
              <button type="button" disabled={props.busy} onClick={() => props.acceptProposal(p)}>
                Accept {pe.name} as proposed
              </button>
            )}{" "}
            <button type="button" onClick={() => props.review(pe.id)}>
              Review {pe.name}
            </button>
          </p>
        );
      })}
      <div class="review-fields">
        <label for={field("type")}>Type</label>
        <select id={field("type")} value={d.type} onChange={(e) => props.setDraft({ type: (e.target as HTMLSelectElement).value })}>
          {!d.type && <option value="">choose…</option>}
          {relationTypes.map((t) => (
            <option key={t} value={t}>
              {relationLabel(t)}
            </option>
          ))}
        </select>
        {d.type === "PARTICIPATED_IN" && (
          <>
            <label for={field("role")}>Role</label>
            <select id={field("role")} value={d.role} onChange={(e) => props.setDraft({ role: (e.target as HTMLSelectElement).value })}>
              {participantRoles.map((r) => (
                <option key={r} value={r}>
                  {words(r)}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="button" onClick={() => props.setDraft({ swapped: !d.swapped })} aria-pressed={d.swapped}>
          Swap direction (s)
        </button>
      </div>
      <div class="review-fields">
        <label for={field("start")}>Quote from code point</label>
        <input id={field("start")} type="number" min={0} value={d.start} onChange={(e) => props.setDraft({ start: Number((e.target as HTMLInputElement).value) })} />
        <label for={field("end")}>to</label>
        <input id={field("end")} type="number" min={0} value={d.end} onChange={(e) => props.setDraft({ end: Number((e.target as HTMLInputElement).value) })} />
        <button type="button" disabled={!props.picked} onClick={() => props.picked && props.setDraft({ start: props.picked.start, end: props.picked.end })}>
          Use the selected text as the quote
        </button>
      </div>
      <div class="review-actions">
        <button type="button" disabled={props.busy} onClick={props.accept}>
          Accept (a)
        </button>
        <button type="button" disabled={props.busy} onClick={props.askReason}>
          Reject… (r)
        </button>
      </div>
    </>
  );
}

function ProposalEditor(props: {
  p: Proposal;
  d: ProposalDraft;
  writable: boolean;
  busy: boolean;
  setDraft: (change: Partial<ProposalDraft>) => void;
  accept: () => void;
  merge: (into: { id: string; name: string }) => void;
  askReason: () => void;
}) {
  const { p, d } = props;
  const field = (name: string) => `review-${name}-${p.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const kinds = p.nodeKind === "ACTOR" ? actorKinds : p.nodeKind === "EVENT" ? eventKinds : placeKinds;
  if (!props.writable) {
    return <p class="hint">{p.sameAs.length > 0 ? `It may be ${p.sameAs.map((e) => e.name).join(", ")}.` : "No entity of the graph is named alike."}</p>;
  }
  return (
    <>
      <div class="review-fields">
        <label for={field("name")}>Name</label>
        <input id={field("name")} value={d.name} onInput={(e) => props.setDraft({ name: (e.target as HTMLInputElement).value })} />
        <label for={field("kind")}>Kind</label>
        <select id={field("kind")} value={d.kind} onChange={(e) => props.setDraft({ kind: (e.target as HTMLSelectElement).value })}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {words(k)}
            </option>
          ))}
        </select>
      </div>
      <div class="review-actions">
        <button type="button" disabled={props.busy} onClick={props.accept}>
          Accept as a new {p.nodeKind === "ACTOR" ? "actor" : "place"} (a)
        </button>
        <button type="button" disabled={props.busy} onClick={props.askReason}>
          Reject… (r)
        </button>
      </div>
      <MergeInto p={p} busy={props.busy} merge={props.merge} />
    </>
  );
}

/** Merging a proposal: the entities the API finds named alike first, then any found by search, of the proposal's kind. */
function MergeInto({ p, busy, merge }: { p: Proposal; busy: boolean; merge: (into: { id: string; name: string }) => void }) {
  const hits = useSignal<SearchHit[]>([]);
  const searched = useSignal("");
  const inflight = useRef<AbortController | undefined>(undefined);
  const typename = p.nodeKind === "ACTOR" ? "Actor" : "Place";
  const id = `review-merge-${p.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const find = async (text: string) => {
    inflight.current?.abort();
    if (!text.trim()) {
      hits.value = [];
      searched.value = "";
      return;
    }
    const abort = new AbortController();
    inflight.current = abort;
    try {
      const found = await search(text, abort.signal);
      if (abort.signal.aborted) return;
      hits.value = found.filter((h) => h.node.__typename === typename && !p.sameAs.some((s) => s.id === h.node.id));
      searched.value = text;
    } catch (err) {
      if (!abort.signal.aborted) notice.value = `Search failed: ${err instanceof Error ? err.message : err}`;
    }
  };
  return (
    <div class="review-merge">
      <h4>Merge into an entity the graph holds</h4>
      {p.sameAs.length > 0 && (
        <ul aria-label="Named alike">
          {p.sameAs.map((e) => (
            <li key={e.id}>
              <button type="button" disabled={busy} onClick={() => merge(e)}>
                Merge into {e.name} (named alike)
              </button>
            </li>
          ))}
        </ul>
      )}
      <label for={id}>Find an entity to merge into</label> <input id={id} type="search" onInput={(e) => void find((e.target as HTMLInputElement).value)} />
      {searched.value && (
        <ul aria-label="Found" data-searched={searched.value}>
          {hits.value.length === 0 && <li>No {typename.toLowerCase()} found.</li>}
          {hits.value.map((h) => (
            <li key={h.node.id}>
              <button type="button" disabled={busy} onClick={() => merge(h.node)}>
                Merge into {h.node.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RejectForm({ item, busy, reject, cancel }: { item: Item; busy: boolean; reject: (why: string) => void; cancel: () => void }) {
  const reason = useRef<HTMLInputElement>(null);
  const id = `review-reason-${itemId(item).replace(/[^A-Za-z0-9_-]/g, "_")}`;
  // Before the next key arrives: what the editor types after r belongs to the reason.
  useLayoutEffect(() => reason.current?.focus(), []);
  return (
    <form
      class="review-reject"
      onSubmit={(e) => {
        e.preventDefault();
        reject(reason.current!.value);
      }}
    >
      <label for={id}>Why reject {item.kind === "candidate" ? "this candidate" : item.proposal.name}?</label>
      <input id={id} ref={reason} required />
      <button type="submit" disabled={busy}>
        Reject
      </button>
      <button type="button" onClick={cancel}>
        Cancel
      </button>
    </form>
  );
}

/**
 * Runs of an article's text, each marked by the innermost mention covering it, a
 * proposed name, and the current candidate's sentence. The marks take no focus:
 * Chromium starts no text selection on a focusable element, and selecting words is how
 * quotes and evidence are given; the legend's buttons are the keyboard's way to them.
 */
function ArticleText(props: {
  opened: Opened;
  proposed: { start: number; end: number; name: string }[];
  sentence: { start: number; end: number } | null;
  lit: string | null;
  articleRef: { current: HTMLDivElement | null };
}) {
  const { opened, proposed, sentence } = props;
  const hue = hueOf(opened);
  const cuts = new Set([0, opened.points.length]);
  for (const r of [...opened.mentions, ...proposed, ...(sentence ? [sentence] : [])]) {
    cuts.add(Math.max(0, Math.min(r.start, opened.points.length)));
    cuts.add(Math.max(0, Math.min(r.end, opened.points.length)));
  }
  const at = [...cuts].sort((a, b) => a - b);
  const runs = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const [start, end] = [at[i], at[i + 1]];
    const text = opened.points.slice(start, end).join("");
    const covers = (r: { start: number; end: number }) => r.start <= start && end <= r.end;
    // Nested names ("US-Iran talks in Muscat" holds "Muscat"): the innermost names the run.
    const mention = opened.mentions.filter(covers).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    const proposal = proposed.find(covers);
    const inSentence = sentence != null && covers(sentence) ? " in-sentence" : "";
    if (mention) {
      runs.push(
        <mark
          key={start}
          data-start={start}
          class={`mention hue-${hue.get(mention.entity.id)}${inSentence}${mention.entity.id === props.lit ? " lit" : ""}`}
          data-entity={mention.entity.name}
          title={mention.entity.name}
        >
          {text}
        </mark>,
      );
    } else if (proposal) {
      runs.push(
        <mark key={start} data-start={start} class={`proposed${inSentence}`} data-entity={`${proposal.name} (proposed)`} title={`${proposal.name} (proposed)`}>
          {text}
        </mark>,
      );
    } else {
      runs.push(
        <span key={start} data-start={start} class={inSentence || undefined}>
          {text}
        </span>,
      );
    }
  }
  return (
    <>
      <h3>
        {opened.title}{" "}
        <a href={opened.url} rel="noreferrer noopener" target="_blank" class="review-url">
          (source)
        </a>
      </h3>
      <div class="review-text" ref={props.articleRef} aria-label="Article text">
        {runs}
      </div>
    </>
  );
}

/** The hue of each entity named, in order of first mention. */
function hueOf(opened: Opened): Map<string, number> {
  const hue = new Map<string, number>();
  for (const m of opened.mentions.toSorted((a, b) => a.start - b.start)) if (!hue.has(m.entity.id)) hue.set(m.entity.id, hue.size % hues);
  return hue;
}

/** The entities the article names, each a button that, focused or hovered, outlines where the text names it. */
function Legend({ opened, lit }: { opened: Opened; lit: { value: string | null } }) {
  const hue = hueOf(opened);
  const named = [...hue.keys()].map((id) => {
    const ms = opened.mentions.filter((m) => m.entity.id === id);
    return { id, name: ms[0].entity.name, n: ms.length };
  });
  return (
    <ul class="review-legend" aria-label="Entities the article names">
      {named.map((e) => (
        <li key={e.id}>
          <button
            type="button"
            class={`mention hue-${hue.get(e.id)}`}
            onFocus={() => (lit.value = e.id)}
            onMouseEnter={() => (lit.value = e.id)}
            onBlur={() => (lit.value = null)}
            onMouseLeave={() => (lit.value = null)}
          >
            {e.name} {e.n > 1 ? `×${e.n}` : ""}
          </button>
        </li>
      ))}
      <li>
        <mark class="proposed">proposed</mark>
      </li>
    </ul>
  );
}

/** Evidence from a span of the article: the words selected (or code points given), saved against a relation among the entities it names, or as a mention of one. */
function AddEvidence({ opened, picked, busy, reload }: { opened: Opened; picked: { start: number; end: number } | null; busy: boolean; reload: () => Promise<void> }) {
  const span = useSignal<{ start: number; end: number }>({ start: 0, end: 0 });
  const subject = useSignal("");
  const stance = useSignal<"SUPPORTS" | "DISPUTES">("SUPPORTS");
  const confidence = useSignal(0.5);
  const error = useSignal("");
  const saving = useSignal(false);
  useEffect(() => {
    if (picked) span.value = picked;
  }, [picked?.start, picked?.end]);
  const entities = [...new Map(opened.mentions.map((m) => [m.entity.id, m.entity])).values()];
  const isEntity = entities.some((e) => e.id === subject.value);
  const quote = opened.points.slice(span.value.start, span.value.end).join("");
  const save = async (e: Event) => {
    e.preventDefault();
    if (!subject.value) {
      error.value = "Choose what the words are evidence of.";
      return;
    }
    saving.value = true;
    error.value = "";
    try {
      const added = await addSpanEvidence(subject.value, opened.id, span.value.start, span.value.end, isEntity ? "MENTIONS" : stance.value, confidence.value);
      await reload();
      notice.value = `Saved “${added.quote}” as evidence.`;
    } catch (err) {
      error.value = refusal(err);
    } finally {
      saving.value = false;
    }
  };
  return (
    <form class="review-evidence" onSubmit={save} aria-labelledby="review-evidence-heading">
      <h4 id="review-evidence-heading">Add evidence from the text</h4>
      <p class="review-selected">{quote ? <>Words: “{quote}”</> : "Select words in the article, or give their code points."}</p>
      <div class="review-fields">
        <label for="review-evidence-start">From code point</label>
        <input id="review-evidence-start" type="number" min={0} value={span.value.start} onChange={(e) => (span.value = { ...span.value, start: Number((e.target as HTMLInputElement).value) })} />
        <label for="review-evidence-end">to</label>
        <input id="review-evidence-end" type="number" min={0} value={span.value.end} onChange={(e) => (span.value = { ...span.value, end: Number((e.target as HTMLInputElement).value) })} />
      </div>
      <div class="review-fields">
        <label for="review-evidence-subject">Evidence of</label>
        <select id="review-evidence-subject" value={subject.value} onChange={(e) => (subject.value = (e.target as HTMLSelectElement).value)}>
          <option value="">choose…</option>
          <optgroup label="Relations among the entities it names">
            {opened.relations.map((r) => (
              <option key={r.id} value={r.id}>
                {r.from.name} {relationLabel(r.type)} {r.to.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="A mention of an entity it names">
            {entities.map((en) => (
              <option key={en.id} value={en.id}>
                {en.name}
              </option>
            ))}
          </optgroup>
        </select>
        {!isEntity && (
          <>
            <label for="review-evidence-stance">which it</label>
            <select id="review-evidence-stance" value={stance.value} onChange={(e) => (stance.value = (e.target as HTMLSelectElement).value as "SUPPORTS" | "DISPUTES")}>
              <option value="SUPPORTS">supports</option>
              <option value="DISPUTES">disputes</option>
            </select>
          </>
        )}
        <label for="review-evidence-confidence">Confidence</label>
        <input
          id="review-evidence-confidence"
          type="number"
          min={0}
          max={1}
          step={0.1}
          value={confidence.value}
          onChange={(e) => (confidence.value = Number((e.target as HTMLInputElement).value))}
        />
      </div>
      <button type="submit" disabled={busy || saving.value || span.value.end <= span.value.start}>
        Save as evidence
      </button>
      {error.value && (
        <p class="warning" role="alert">
          {error.value}
        </p>
      )}
    </form>
  );
}
