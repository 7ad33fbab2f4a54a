// How a screen asks for a person to sign in: the window shows the sign-in screen over what is
// open (keeping it, and its place), and once someone has signed in runs `then` (the patient they
// opened, the paper they asked to print). Given by App; a screen without it (a unit test of the
// screen alone) just shows the station's refusal.
import { getContext, setContext } from "svelte";

export type AskSignIn = (then?: () => void) => void;

const KEY = Symbol("lamplight-ask-sign-in");

export function provideSignIn(ask: AskSignIn): void {
  setContext(KEY, ask);
}

export function askSignIn(): AskSignIn | null {
  return getContext<AskSignIn | undefined>(KEY) ?? null;
}

/** Calls `run` at most once per `everyMs` (session activity: once per 30 s is enough to keep a
 * session open, and no more traffic than that). */
export function throttle(run: () => void, everyMs: number, now: () => number = () => Date.now()): () => void {
  let last = -Infinity;
  return () => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    run();
  };
}
