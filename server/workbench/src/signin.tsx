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

/** Who is signed in, in the header; nothing where the server checks no tokens. */
export function Account() {
  const v = viewer.value;
  if (!v?.tokensRequired) return null;
  return (
    <div class="account">
      <span>
        Signed in as <strong>{v.name ?? "anonymous"}</strong> ({roleNames[v.role]}
        {v.canWrite ? ", may edit" : ", read only"})
      </span>
      {token.value && (
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      )}
    </div>
  );
}

/** The sign-in form, shown in place of the workbench while the server wants a token. */
export function SignIn() {
  const input = useRef<HTMLInputElement>(null);
  const busy = useSignal(false);
  // A token was sent and refused, rather than none sent.
  const refused = useSignal(token.value != null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = input.current!.value.trim();
    if (!value) return;
    busy.value = true;
    holdToken(value);
    await startSession();
    busy.value = false;
    if (viewer.value) {
      notice.value = `Signed in as ${viewer.value.name ?? "anonymous"}.`;
      return;
    }
    holdToken(null);
    refused.value = true;
    input.current?.select();
  };

  return (
    <div class="signin" role="dialog" aria-modal="true" aria-labelledby="signin-heading">
      <form onSubmit={submit}>
        <h2 id="signin-heading">Sign in</h2>
        <p>This eventgraph server needs a bearer token to read the graph. Ask whoever runs it for one; it is kept in this tab only, until you sign out or close it.</p>
        {refused.value && (
          <p class="warning" role="alert">
            The server does not know that token ({signInReason.value}). Check it and try again.
          </p>
        )}
        <label for="signin-token">Bearer token</label>
        <input id="signin-token" ref={input} type="password" autocomplete="off" spellcheck={false} required />
        <button type="submit" disabled={busy.value}>
          Sign in
        </button>
      </form>
    </div>
  );
}
