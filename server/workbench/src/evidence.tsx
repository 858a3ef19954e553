// The evidence panel: every evidence record of the selected relation, supporting and
// disputing side by side, each quote highlighted inside its source text. Escape closes it.
import { useSignal } from "@preact/signals";
import { useEffect, useId, useLayoutEffect, useRef } from "preact/hooks";
import { claimHistory, type ClaimVersion, type Evidence, relation, type RelationDetail, sourceText } from "./api";
import { RetractRelation } from "./edit";
import { selectedRelation } from "./state";
import { relationLabel } from "./style";
import { count, inContext } from "./text";

/** Code points of source text shown either side of a quote. */
const contextPoints = 240;

export function EvidencePanel() {
  const id = selectedRelation.value;
  const detail = useSignal<RelationDetail | null>(null);
  const error = useSignal("");
  const close = useRef<HTMLButtonElement>(null);

  // A layout effect, so that closing hands the focus back in the same commit that removes
  // the panel: a plain effect's cleanup runs after the next paint, and until then the
  // focus would sit on the document body.
  useLayoutEffect(() => {
    if (!id) return;
    const opener = document.activeElement as HTMLElement | null;
    let current = true;
    detail.value = null;
    error.value = "";
    relation(id).then(
      (r) => {
        if (!current) return;
        if (r) detail.value = r;
        else error.value = "This relation is no longer in the graph.";
      },
      (err) => {
        if (current) error.value = err instanceof Error ? err.message : String(err);
      },
    );
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        selectedRelation.value = null;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      current = false;
      document.removeEventListener("keydown", onKey);
      if (opener?.isConnected) opener.focus();
    };
  }, [id]);

  if (!id) return null;
  const r = detail.value;
  const supporting = r?.evidence.filter((e) => e.stance !== "DISPUTES") ?? [];
  const disputing = r?.evidence.filter((e) => e.stance === "DISPUTES") ?? [];
  return (
    <section class="evidence" role="region" aria-labelledby="evidence-heading">
      <header>
        <h2 id="evidence-heading">{r ? `${r.from.name} ${relationLabel(r.type)} ${r.to.name}` : "Evidence"}</h2>
        <button type="button" ref={close} onClick={() => (selectedRelation.value = null)} aria-label="Close the evidence panel (Escape)">
          ×
        </button>
      </header>
      {error.value && <p role="alert">{error.value}</p>}
      {!r && !error.value && <p>Loading…</p>}
      {r && (
        <>
          <dl class="facts">
            {r.role && <Fact name="Role" value={r.role.toLowerCase()} />}
            {(r.validFrom || r.validTo) && <Fact name="Valid" value={`${r.validFrom ?? "…"} – ${r.validTo ?? "…"}`} />}
            <Fact name="Contested" value={r.contested ? "yes: some evidence disputes it" : "no"} />
            <Fact name="Corroboration" value={`${count(r.corroboration.sources, "source")}, ${count(r.corroboration.publishers, "publisher")}`} />
            <Fact name="First seen" value={r.corroboration.firstSeen ?? "unknown"} />
            <Fact name="Last seen" value={r.corroboration.lastSeen ?? "unknown"} />
          </dl>
          <RetractRelation key={r.id} id={r.id} sentence={`${r.from.name} ${relationLabel(r.type)} ${r.to.name}`} />
          <div class="stances">
            <EvidenceColumn title="Supporting" records={supporting} />
            <EvidenceColumn title="Disputing" records={disputing} />
          </div>
          <ClaimHistory key={r.id} claim={r} />
        </>
      )}
    </section>
  );
}

export function Fact({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}

/** One side of the evidence, supporting or disputing; the stance matrix shows positions' evidence with it too. */
export function EvidenceColumn({ title, records }: { title: string; records: Evidence[] }) {
  const heading = useId();
  return (
    <section aria-labelledby={heading}>
      <h3 id={heading}>
        {title} ({records.length})
      </h3>
      {records.length === 0 ? <p class="hint">None.</p> : <ol>{records.map((e) => <EvidenceRecord key={e.id} evidence={e} />)}</ol>}
    </section>
  );
}

function EvidenceRecord({ evidence: e }: { evidence: Evidence }) {
  // undefined while the source text loads; null when there is none to show, and the
  // quote shows between its prefix and suffix.
  const points = useSignal<string[] | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    sourceText(e.source.id).then(
      (text) => current && (points.value = text == null ? null : Array.from(text)),
      () => current && (points.value = null),
    );
    return () => {
      current = false;
    };
  }, [e.source.id]);
  const publisher = e.source.publisher;
  return (
    <li class="record" data-evidence={e.id}>
      <Quote evidence={e} points={points.value} />
      <dl class="facts">
        <Fact name="Source" value={e.source.title} />
        <dt>Address</dt>
        <dd>{/^https?:\/\//.test(e.source.url) ? <a href={e.source.url} rel="noreferrer noopener" target="_blank">{e.source.url}</a> : e.source.url}</dd>
        <Fact name="Publisher" value={publisher ? `${publisher.name} (reliability ${publisher.reliability ?? "not graded"})` : "unknown"} />
        {e.source.publishedAt && <Fact name="Published" value={e.source.publishedAt} />}
        <Fact name="Credibility" value={e.credibility == null ? "not graded" : String(e.credibility)} />
        <Fact name="Confidence" value={e.confidence.toFixed(2)} />
        <Fact name="Attributed to" value={e.attributedTo?.name ?? "the source itself"} />
        <Fact name="Method" value={e.method} />
        <Fact name="Recorded" value={e.recordedAt} />
        {e.note && <Fact name="Note" value={e.note} />}
      </dl>
    </li>
  );
}

/** The quote inside its source text at its code point offsets, or between its prefix and suffix. */
function Quote({ evidence: e, points }: { evidence: Evidence; points: string[] | null | undefined }) {
  if (points && e.start != null && e.end != null && e.end <= points.length) {
    const c = inContext(points, e.start, e.end, contextPoints);
    return (
      <blockquote class="in-source">
        {c.cutBefore && "… "}
        {c.before}
        <mark>{c.quote}</mark>
        {c.after}
        {c.cutAfter && " …"}
        {c.quote !== e.quote && <p class="warning">The source text at these offsets differs from the quote.</p>}
      </blockquote>
    );
  }
  return (
    <blockquote class="in-source">
      {e.prefix && `… ${e.prefix}`}
      <mark>{e.quote}</mark>
      {e.suffix && `${e.suffix} …`}
      <p class="hint">{points === undefined ? "Loading the source text…" : "The quote's place in the source text is not known."}</p>
    </blockquote>
  );
}

/**
 * The claim's history: every version of the relation and of its evidence records, oldest
 * first, with who wrote it and which fields changed. Asked for when opened: most readers
 * want the evidence, not its history.
 */
function ClaimHistory({ claim }: { claim: RelationDetail }) {
  const versions = useSignal<ClaimVersion[] | null>(null);
  const error = useSignal("");
  const asked = useSignal(false);
  const load = () => {
    if (asked.value) return;
    asked.value = true;
    claimHistory(
      claim.id,
      claim.evidence.map((e) => e.id),
    ).then(
      (v) => (versions.value = v),
      (err) => (error.value = err instanceof Error ? err.message : String(err)),
    );
  };
  const what = (v: ClaimVersion) => (v.record === claim.id ? "the relation" : `evidence from ${claim.evidence.find((e) => e.id === v.record)?.source.title ?? v.record}`);
  return (
    <details class="history" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && load()}>
      <summary>History of the claim and its evidence</summary>
      {error.value && <p role="alert">{error.value}</p>}
      {asked.value && !versions.value && !error.value && <p>Loading…</p>}
      {versions.value && (
        <ol class="versions">
          {versions.value.map((v, i) => (
            <li key={i} data-record={v.record}>
              <time dateTime={v.at}>{v.at}</time> {v.author}: {v.change.toLowerCase()} {what(v)}
              {v.change === "UPDATED" && v.changed.length > 0 && ` (${v.changed.join(", ")})`}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
