// Signing in: when the server wants a bearer token for reads (or refused the one held),
// a form asks for one in place of the workbench; once signed in, the header names the
// viewer and their role, with a way to sign out. The token stays in this tab's
// sessionStorage; api.ts sends it.
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { APIError, whoAmI } from "./api";
import { holdToken, signInReason, token, viewer } from "./auth";
import { foundPaths, graph, graphVersion, notice, pathFrom, pathTo, selectedEntity, selectedRelation } from "./state";

/** Asks the server who the token held (if any) names; a refusal shows the sign-in form. */
export async function startSession(): Promise<void> {
  try {
    viewer.value = await whoAmI();
    signInReason.value = null;
  } catch (err) {
    // UNAUTHENTICATED has set signInReason; anything else is the notice's to tell.
    if (!(err instanceof APIError && err.code === "UNAUTHENTICATED")) notice.value = `The server did not answer: ${err instanceof Error ? err.message : err}`;
  }
}

/** Forgets the token and everything shown with it, and asks for a token again. */
function signOut(): void {
  holdToken(null);
  viewer.value = null;
  selectedRelation.value = null;
  selectedEntity.value = null;
  pathFrom.value = null;
  pathTo.value = null;
  foundPaths.value = null;
  graph.clear();
  graphVersion.value++;
  notice.value = "Signed out.";
  void startSession();
}

const roleNames = { READER: "reader", EDITOR: "editor", ADMIN: "admin" } as const;

/**
 * Who is signed in, in the header; nothing where the server checks no tokens. Where
 * reads are open (serve --open-reads), a caller without a token may sign in to edit.
 */
export function Account() {
  const v = viewer.value;
  if (!v?.tokensRequired) return null;
  if (!token.value) {
    return (
      <div class="account">
        <span>Reading without a token</span>
        <button type="button" onClick={() => (signInReason.value = "editing needs an editor's token")}>
          Sign in
        </button>
      </div>
    );
  }
  return (
    <div class="account">
      <span>
        Signed in as <strong>{v.name}</strong> ({roleNames[v.role]}
        {v.canWrite ? ", may edit" : ", read only"})
      </span>
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}

function unknownToken(reason: string | null): string {
  return `The server does not know that token (${reason ?? "refused"}). Check it and try again.`;
}

/** The sign-in form, shown in place of the workbench while the server wants a token. */
export function SignIn() {
  const input = useRef<HTMLInputElement>(null);
  const busy = useSignal(false);
  // Why the last token sent was refused; a token held when the form opened was.
  const refused = useSignal(token.value != null ? unknownToken(signInReason.value) : "");
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = input.current!.value.trim();
    if (!value) return;
    busy.value = true;
    holdToken(value);
    try {
      viewer.value = await whoAmI();
      signInReason.value = null;
      notice.value = `Signed in as ${viewer.value.name}.`;
    } catch (err) {
      holdToken(null);
      const message = err instanceof Error ? err.message : String(err);
      refused.value = err instanceof APIError && err.code === "UNAUTHENTICATED" ? unknownToken(message) : `Signing in failed: ${message}`;
      input.current?.select();
    } finally {
      busy.value = false;
    }
  };

  return (
    <div class="signin" role="dialog" aria-modal="true" aria-labelledby="signin-heading">
      <form onSubmit={submit}>
        <h2 id="signin-heading">Sign in</h2>
        <p>
          {viewer.value ? "Anyone may read here; editing needs an editor's bearer token." : "This eventgraph server needs a bearer token to read the graph."} Ask whoever runs it for
          one; it is kept in this tab only, until you sign out or close it.
        </p>
        {refused.value && (
          <p class="warning" role="alert">
            {refused.value}
          </p>
        )}
        <label for="signin-token">Bearer token</label>
        <input id="signin-token" ref={input} type="password" autocomplete="off" spellcheck={false} required />
        <button type="submit" disabled={busy.value}>
          Sign in
        </button>
        {viewer.value && (
          <button type="button" onClick={() => (signInReason.value = null)}>
            Go on reading without a token
          </button>
        )}
      </form>
    </div>
  );
}
