// Saving a filled form, the same way on every form: the wristband scan goes with it (and a
// mismatch blocks it), a warning the station asks a person to confirm is shown with "go" and
// "cancel" (go resends with the warning's code), and "saved" says what was kept where, with the
// time from the press to "saved" on screen (`data-saved-ms`, for the benchmark).
import { tick } from "svelte";
import type { EntryForm, RecordOutcome } from "../generated/api";
import { BackendError, needsSignIn, type Backend } from "../shared/backend";

/** The last wristband scanned on a patient's forms. */
export interface Scan {
  state: "confirmed" | "mismatch";
  scanned: string;
  text: string;
}

export interface Saved {
  outcome: RecordOutcome;
  /** Milliseconds from the press to "saved" drawn; `null` until it has been drawn once. */
  ms: number | null;
}

export interface Pending {
  message: string;
  warning: string;
  entry: EntryForm;
  confirmed: string[];
}

export interface RecorderOptions {
  backend: Backend;
  /** The wristband last confirmed for this patient, sent with every entry. */
  scanned?: () => string | null;
  /** Why saving is blocked now (a wristband that does not match), or null. */
  blocked?: () => string | null;
  /** After a save, before "saved" is shown: reload what the form shows (the grid's new state). */
  onsaved?: (outcome: RecordOutcome) => void | Promise<void>;
  /** The station wants a person signed in (again). */
  onsignin?: () => void;
  /** The station refused the entry as another patient's (the wristband scanned is not theirs). */
  onwrongpatient?: (message: string) => void;
}

export class Recorder {
  saved = $state.raw<Saved | null>(null);
  error = $state.raw<BackendError | null>(null);
  pending = $state.raw<Pending | null>(null);
  busy = $state(false);

  constructor(private readonly options: RecorderOptions) {}

  /** Records `entry`; `started` is `performance.now()` at the press of the button. */
  async record(entry: EntryForm, started = performance.now(), confirmed: string[] = []): Promise<RecordOutcome | null> {
    if (this.busy) return null;
    const blocked = this.options.blocked?.() ?? null;
    if (blocked) {
      this.saved = null;
      this.error = new BackendError({ code: "wrong_patient", message: blocked });
      return null;
    }
    this.busy = true;
    this.error = null;
    this.saved = null;
    this.pending = null;
    try {
      const outcome = await this.options.backend.recordEntry({
        entry,
        scanned: this.options.scanned?.() ?? null,
        confirmed_warnings: confirmed,
        corrects: null,
      });
      await this.options.onsaved?.(outcome);
      this.saved = { outcome, ms: null };
      await tick();
      this.saved = { outcome, ms: Math.round(performance.now() - started) };
      return outcome;
    } catch (reason) {
      const error = BackendError.from(reason);
      if (error.code === "needs_confirmation" && error.warning) {
        this.pending = { message: error.message, warning: error.warning, entry, confirmed };
      } else {
        this.error = error;
        if (needsSignIn(error.code)) this.options.onsignin?.();
        if (error.code === "wrong_patient") this.options.onwrongpatient?.(error.message);
      }
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** The person has read the warning and goes past it: the same entry, with its code confirmed. */
  async go(started = performance.now()): Promise<RecordOutcome | null> {
    const pending = this.pending;
    if (!pending) return null;
    this.pending = null;
    return this.record(pending.entry, started, [...pending.confirmed, pending.warning]);
  }

  cancel(): void {
    this.pending = null;
  }

  clear(): void {
    this.saved = null;
    this.error = null;
    this.pending = null;
  }
}

/** Now as London wall-clock time (`14:05`), the time a form's fields start with. */
export function nowHHMM(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/London" }).format(now);
}

/** A whole number typed in a field, `null` when empty, `NaN` when it is not one. */
export function wholeNumber(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** What every form of one patient is given by the patient view. */
export interface FormContext {
  backend: Backend;
  patientId: string;
  /** The signed-in person's name (the "given by" a dose starts with), when known. */
  me: string | null;
  scanned: () => string | null;
  blocked: () => string | null;
  onsignin: () => void;
  onwrongpatient: (message: string) => void;
  /** Whether the person may record care (a bed manager may look at the chart, not give doses). */
  mayRecordClinical: boolean;
  /** An entry was saved for this patient: the patient view follows (its downtime entries). */
  onsaved: (outcome: RecordOutcome) => void;
  onclose: () => void;
}

/** A recorder for one form of `ctx`'s patient; `reload` runs after a save, before "saved" shows. */
export function recorderFor(ctx: FormContext, reload?: () => Promise<void>): Recorder {
  return new Recorder({
    backend: ctx.backend,
    scanned: ctx.scanned,
    blocked: ctx.blocked,
    onsignin: ctx.onsignin,
    onwrongpatient: ctx.onwrongpatient,
    onsaved: async (outcome) => {
      await reload?.();
      ctx.onsaved(outcome);
    },
  });
}

/** A form's keydown handler: Escape closes it (unless something inside already took the key). */
export function escapeCloses(close: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  };
}
