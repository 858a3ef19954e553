// The search box: results as you type, "/" focuses it, Enter or a click puts the chosen
// entity on the canvas. Each keystroke sends its search at once and aborts the one still
// in flight: the API answers a search in milliseconds even at a million relations, and a
// debounce would add its whole wait to every answer.
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { search, type SearchHit } from "./api";
import { place } from "./graph";
import { moment, notice } from "./state";
import { entityStyles } from "./style";
import { markRanges } from "./text";

export function SearchBox() {
  const input = useRef<HTMLInputElement>(null);
  const hits = useSignal<SearchHit[]>([]);
  const active = useSignal(0);
  const open = useSignal(false);
  const searched = useSignal("");
  const inflight = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const focusOnSlash = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", focusOnSlash);
    return () => document.removeEventListener("keydown", focusOnSlash);
  }, []);

  // Results found at another moment are not the graph's now: type again to search this one.
  const at = moment.value;
  useEffect(() => {
    inflight.current?.abort();
    hits.value = [];
    open.value = false;
    searched.value = "";
  }, [at]);

  const run = async (text: string) => {
    inflight.current?.abort();
    if (text.trim() === "") {
      hits.value = [];
      open.value = false;
      return;
    }
    const abort = new AbortController();
    inflight.current = abort;
    try {
      const found = await search(text, abort.signal);
      // Aborted after its answer came (a pick, or the next keystroke): it is not shown.
      if (abort.signal.aborted) return;
      hits.value = found;
      active.value = 0;
      searched.value = text;
      open.value = true;
    } catch (err) {
      if (!abort.signal.aborted) notice.value = `Search failed: ${err instanceof Error ? err.message : err}`;
    }
  };

  const onInput = (e: Event) => {
    void run((e.target as HTMLInputElement).value);
  };

  const pick = (hit: SearchHit | undefined) => {
    if (!hit) return;
    // A search still in flight would open the results again over the canvas.
    inflight.current?.abort();
    place(hit.node);
    open.value = false;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const n = hits.value.length;
    switch (e.key) {
      case "ArrowDown":
        if (n) active.value = (active.value + 1) % n;
        open.value = n > 0;
        break;
      case "ArrowUp":
        if (n) active.value = (active.value + n - 1) % n;
        break;
      case "Enter": {
        const text = (e.target as HTMLInputElement).value;
        if (text === searched.value) {
          if (open.value) pick(hits.value[active.value]);
          break;
        }
        // Typed faster than the results came: search for what is typed now and take
        // its best match, not a result of what was typed before.
        void run(text).then(() => searched.value === text && pick(hits.value[0]));
        break;
      }
      case "Escape":
        open.value = false;
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const showList = open.value && hits.value.length > 0;
  return (
    <div class="search" role="search">
      <label for="search-input">Search</label>
      <input
        id="search-input"
        ref={input}
        type="text"
        autocomplete="off"
        spellcheck={false}
        placeholder="Names, aliases, words of the sources — press / to come here"
        role="combobox"
        aria-autocomplete="list"
        aria-controls="search-results"
        aria-expanded={showList}
        aria-activedescendant={showList ? `search-hit-${active.value}` : undefined}
        onInput={onInput}
        onKeyDown={onKeyDown}
      />
      {open.value && hits.value.length === 0 && <p class="search-empty">Nothing matches “{searched.value}”.</p>}
      <ul id="search-results" role="listbox" aria-label="Search results" hidden={!showList} data-searched={searched.value}>
        {hits.value.map((hit, i) => (
          <li
            key={hit.node.id}
            id={`search-hit-${i}`}
            data-entity={hit.node.id}
            role="option"
            aria-selected={i === active.value}
            class={i === active.value ? "active" : ""}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(hit)}
          >
            <span class="hit-name">{hit.node.name}</span>
            <span class="hit-kind">
              <span class="dot" style={{ background: entityStyles[hit.node.__typename].color }} aria-hidden="true" />
              {entityStyles[hit.node.__typename].label}
            </span>
            {hit.snippet && (hit.field !== "NAME" || hit.snippet !== hit.node.name) && (
              <span class="hit-snippet">
                <span class="hit-field">{hit.field.toLowerCase()}:</span>{" "}
                {markRanges(hit.snippet, hit.highlights).map((run, j) => (run.marked ? <mark key={j}>{run.text}</mark> : run.text))}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
