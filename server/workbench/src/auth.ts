// Who the workbench speaks for: the bearer token held for this tab (sessionStorage, so
// it goes when the tab closes) and the viewer the server says it names. api.ts sends the
// token with every request; signin.tsx asks for one when the server wants it.
import { computed, signal } from "@preact/signals";

const storageKey = "eventgraph.token";

/** The bearer token sent with every request; null sends none. */
export const token = signal<string | null>(sessionStorage.getItem(storageKey));

export interface Viewer {
  name: string | null;
  role: "READER" | "EDITOR" | "ADMIN";
  canWrite: boolean;
  tokensRequired: boolean;
}

/** The caller as the server sees them; null until it has answered, or while a token is needed. */
export const viewer = signal<Viewer | null>(null);

/**
 * Why the server wants a (different) token, when it refused one of our requests as
 * UNAUTHENTICATED; null while it does not.
 */
export const signInReason = signal<string | null>(null);

/** Whether editing actions show: the viewer may write. */
export const canWrite = computed(() => viewer.value?.canWrite ?? false);

/** Holds a token for this tab (null forgets it). */
export function holdToken(value: string | null): void {
  if (value) sessionStorage.setItem(storageKey, value);
  else sessionStorage.removeItem(storageKey);
  token.value = value;
}
