// The parts of the test station that sign people in and record downtime forms: the desk (roster,
// session, lock), a drug chart for the fixture patient, a NEWS2 scorer and the form checks. The
// wording copies the station's (lamplight-station `session`, `forms`; lamplight-model `news2`,
// `observation::PLAUSIBLE`, `OmissionReason`) so screens are tested against the words they show;
// the clinical rules stay the station's, this only plays them well enough for unit tests.
import type {
  Action,
  ChartRow,
  DrugChartForm,
  News2Preview,
  ObservationsDraft,
  OmissionCode,
  ParameterPreview,
  Risk,
  Role,
  SessionView,
} from "../generated/api";
import { BackendError } from "./backend";

/** The roster's one nurse in tests. */
export const SAM = { id: "sjones", full_name: "Sam Jones", pin: "2468", role: "nurse" as Role };
/** A bed manager, who may move patients but not give medicines. */
export const BED_MANAGER = { id: "amorgan", full_name: "Alex Morgan", pin: "1357", role: "bed-manager" as Role };

/** The test station's clock: 14:05 on Tue 01/12/2026 (GMT, so London time is UTC). */
export const NOW_TEXT = "14:05";
export const NOT_RECOGNISED = "that name and PIN do not match an account on this PC: check both and try again";
export const NO_ROSTER = "the roster file could not be opened";
export const KEPT_IN = "memory only: this is the demo ward, and nothing is written to disk";

const MAY: Record<Role, Action[]> = {
  nurse: ["view-board", "open-record", "record-clinical", "record-bed-move", "change-mode"],
  "bed-manager": ["view-board", "open-record", "record-bed-move", "change-mode"],
  it: ["change-mode", "administer-roster"],
};

const ROLE_LABEL: Record<Role, string> = { nurse: "nurse", "bed-manager": "bed manager", it: "IT" };

interface Actor {
  session_id: string;
  account_id: string | null;
  full_name: string;
  role: Role;
  emergency_reason: string | null;
}

/** The PC's sign-in desk, as `lamplight-station::session::Sessions` behaves. */
export class Desk {
  current: Actor | null = null;
  locked = false;
  private sessions = 0;

  constructor(
    /** `null`: no roster reached this PC (the emergency sign-in is offered). */
    public roster: (typeof SAM)[] | null = [SAM, BED_MANAGER],
  ) {}

  view(): SessionView {
    const a = this.current;
    return {
      signed_in:
        a && !this.locked
          ? {
              session_id: a.session_id,
              account_id: a.account_id,
              full_name: a.full_name,
              role: a.role,
              role_label: ROLE_LABEL[a.role],
              wards: ["*"],
              emergency: a.emergency_reason != null,
              emergency_reason: a.emergency_reason,
              banner:
                a.emergency_reason != null
                  ? `EMERGENCY SIGN-IN: ${a.full_name} (${ROLE_LABEL[a.role]}), not checked against a roster (${a.emergency_reason}). Every entry is marked as such`
                  : null,
              signed_in_at: "2026-12-01T14:00:00Z",
              locks_at: "2026-12-01T14:15:00Z",
              locks_at_text: "14:15",
              may: MAY[a.role],
              locked: false,
            }
          : null,
      locked:
        a && this.locked
          ? {
              full_name: a.full_name,
              role: a.role,
              since: "2026-12-01T14:15:00Z",
              text: `Locked at 14:15 after 10 minutes idle. ${a.full_name}, sign in again to carry on where you were`,
            }
          : null,
      roster_available: this.roster != null,
      emergency_allowed: this.roster == null,
      roster_problem:
        this.roster == null
          ? `No roster has reached this PC (${NO_ROSTER}): staff sign in with the emergency sign-in, marked as such. Tell IT`
          : null,
      idle_minutes: 10,
    };
  }

  signIn(name: string, pin: string): void {
    if (this.roster == null) {
      throw refused(
        `no roster has reached this PC (${NO_ROSTER}): use the emergency sign-in (your full name, your role and why)`,
      );
    }
    const typed = name.trim().split(/\s+/).join(" ").toLowerCase();
    const account = this.roster.find((a) => a.id === typed || a.full_name.toLowerCase() === typed);
    if (!account || account.pin !== pin) throw refused(NOT_RECOGNISED);
    if (this.current?.account_id === account.id) {
      this.locked = false; // resumed: the same session id, so the window keeps its place
      return;
    }
    this.start({ account_id: account.id, full_name: account.full_name, role: account.role, emergency_reason: null });
  }

  emergencySignIn(fullName: string, role: Role, reason: string): void {
    if (this.roster != null) {
      throw refused(
        "this PC has a roster: sign in with your name and PIN. If you are not on it, ask the nurse in charge or IT to add you",
      );
    }
    const name = fullName.trim().split(/\s+/).join(" ");
    if (name.split(" ").length < 2) throw refused("the emergency sign-in needs your full name (first name and surname)");
    if (reason.trim().length < 3) throw refused("the emergency sign-in needs the reason (why there is no roster sign-in)");
    if (role === "it") throw refused("IT cannot use the emergency sign-in: it is for ward staff (nurse, bed manager)");
    const c = this.current;
    if (c && c.account_id == null && c.full_name.toLowerCase() === name.toLowerCase() && c.role === role) {
      this.locked = false;
      return;
    }
    this.start({ account_id: null, full_name: name, role, emergency_reason: reason.trim() });
  }

  signOut(): void {
    this.current = null;
    this.locked = false;
  }

  /** Who may do `action` now, or the station's refusal. */
  require(action: Action): Actor {
    if (!this.current) throw new BackendError({ code: "not_signed_in", message: "nobody is signed in on this PC: sign in first" });
    if (this.locked) {
      throw new BackendError({ code: "session_locked", message: "signed out after 10 minutes idle (at 14:15): sign in again" });
    }
    if (!MAY[this.current.role].includes(action)) {
      throw new BackendError({
        code: "not_permitted",
        message: `A ${ROLE_LABEL[this.current.role]} cannot ${action.replace("-", " ")}: ask a nurse on the ward`,
      });
    }
    return this.current;
  }

  private start(actor: Omit<Actor, "session_id">) {
    this.sessions += 1;
    this.current = { ...actor, session_id: `session-${this.sessions}` };
    this.locked = false;
  }
}

function refused(message: string): BackendError {
  return new BackendError({ code: "sign_in_refused", message });
}

export const OMISSION_CODES: OmissionCode[] = [
  { code: 1, reason: "refused", label: "Refused", needs_note: false },
  { code: 2, reason: "nil_by_mouth", label: "Nil by mouth", needs_note: false },
  { code: 3, reason: "unavailable", label: "Medicine unavailable", needs_note: false },
  { code: 4, reason: "away_from_ward", label: "Patient away from ward", needs_note: false },
  { code: 5, reason: "withheld", label: "Withheld on clinical grounds (note why)", needs_note: true },
  { code: 6, reason: "unable_to_take", label: "Unable to take or swallow", needs_note: false },
  { code: 7, reason: "self_administered", label: "Self-administered", needs_note: false },
  { code: 8, reason: "other", label: "Other (note why)", needs_note: true },
];

/** The rows of SMITH, Mary Jane's (pat-1) drug chart at 14:05: a time-critical regular medicine
 * given at 06:00, overdue at 10:00, due now at 14:00 and upcoming at 18:00; a once-only controlled
 * drug that needs a second checker; a when-required painkiller given too recently to give again
 * without a warning. */
export function chartRows(): ChartRow[] {
  const cell = (hh: string, state: ChartRow["cells"][number]["state"], mark = "", text: string | null = null) => ({
    due_at: `2026-12-01T${hh}:00:00Z`,
    due_text: `${hh}:00`,
    day_text: "Tue 01/12",
    state,
    mark,
    text,
    entry_id: null,
  });
  return [
    {
      order_id: "ord-cocareldopa",
      medicine: "Co-careldopa 25 mg/100 mg tablets",
      dose: "1 tablet",
      route: "oral",
      kind: "regular",
      schedule_text: "06:00, 10:00, 14:00, 18:00",
      time_critical: true,
      second_check: null,
      indication: "Parkinson's disease",
      instructions: null,
      further_dosage_lines: [],
      cells: [
        cell("06", "given", "JO", "Given 06:02 by RN J Okafor"),
        cell("10", "overdue"),
        cell("14", "due_now"),
        cell("18", "upcoming"),
      ],
      when_required: null,
      last_text: "Given 06:02 by RN J Okafor",
    },
    {
      order_id: "ord-morphine",
      medicine: "Morphine sulfate 10 mg/5 mL oral solution",
      dose: "5 mg",
      route: "oral",
      kind: "once_only",
      schedule_text: "once only at 14:00",
      time_critical: false,
      second_check: "controlled drug (Schedule 2)",
      indication: null,
      instructions: null,
      further_dosage_lines: [],
      cells: [cell("14", "due_now")],
      when_required: null,
      last_text: null,
    },
    {
      order_id: "ord-paracetamol",
      medicine: "Paracetamol 500 mg tablets",
      dose: "1 g",
      route: "oral",
      kind: "when_required",
      schedule_text: "PRN for pain; at least 4 h apart; max 4 in 24 h",
      time_critical: false,
      second_check: null,
      indication: "pain",
      instructions: null,
      further_dosage_lines: [],
      cells: [],
      when_required: {
        given_last_24h: 1,
        max_per_24h: 4,
        min_interval_minutes: 240,
        text: "1 of 4 in the last 24 h; last 12:15; next from 16:15",
        warning_now: "the last dose was at 12:15: the minimum interval is 4 h, so the next is due from 16:15",
      },
      last_text: "Given 12:15 by RN J Okafor",
    },
  ];
}

export function chartForm(base: Pick<DrugChartForm, "status" | "identity" | "allergies">, rows: ChartRow[]): DrugChartForm {
  return {
    ...base,
    allergy_text: base.allergies.length
      ? `ALLERGIES: ${base.allergies.map((a) => a.substance).join(", ")}`
      : "Allergies: none recorded",
    rows,
    omission_codes: structuredClone(OMISSION_CODES),
    grid_caption: `24 h back and 12 h ahead of ${NOW_TEXT}`,
  };
}

/** Initials, as the chart's box shows them (`Sam Jones` → `SJ`). */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w) && !/^(RN|Dr|Mr|Mrs|Ms)$/.test(w))
    .map((w) => w[0]!.toUpperCase())
    .join("");
}

const PLAUSIBLE: [string, string, number, number][] = [
  ["Respiration rate", "breaths/min", 0, 80],
  ["SpO2", "%", 50, 100],
  ["Systolic BP", "mmHg", 40, 300],
  ["Diastolic BP", "mmHg", 10, 200],
  ["Pulse", "beats/min", 20, 250],
  ["Temperature", "°C", 25, 45],
];

function plausible(label: string, value: number | null | undefined): string | null {
  if (value == null) return null;
  const [, unit, low, high] = PLAUSIBLE.find(([l]) => l === label)!;
  if (value >= low && value <= high) return null;
  const hint = label === "Temperature" && value >= 77 && value <= 113 ? " (that looks like Fahrenheit: enter degrees Celsius)" : "";
  return `${label} ${value} is outside ${low}–${high} ${unit}${hint}: check the reading and enter it again`;
}

const RESPONSES: Record<Risk, string> = {
  low: "Low: ward-based response",
  low_medium: "Low–medium: urgent ward-based review, minimum hourly observations",
  medium: "Medium: urgent response, minimum hourly observations",
  high: "High: emergency response, continuous monitoring",
};

const MONITORING: Record<Risk, string> = {
  low: "minimum 12-hourly",
  low_medium: "minimum hourly",
  medium: "minimum hourly",
  high: "continuous",
};

/** NEWS2 on scale 1 (RCP 2017), as `lamplight-model::news2::score` gives it. */
export function scoreDraft(draft: ObservationsDraft): News2Preview {
  const problems: string[] = [];
  const check = (label: string, v: number | null | undefined) => {
    const p = plausible(label, v);
    if (p) problems.push(p);
  };
  check("Respiration rate", draft.respiration_rate);
  check("SpO2", draft.spo2);
  check("Systolic BP", draft.systolic_bp);
  check("Diastolic BP", draft.diastolic_bp);
  check("Pulse", draft.pulse);
  let temperature: number | null = null;
  const t = draft.temperature?.trim();
  if (t) {
    const v = Number(t.replace(/°C$/, "").trim());
    if (Number.isNaN(v)) problems.push(`Temperature "${t}" is not a number: enter degrees Celsius, as 37.2`);
    else {
      check("Temperature", v);
      temperature = v;
    }
  }
  if (draft.systolic_bp != null && draft.diastolic_bp != null && draft.diastolic_bp >= draft.systolic_bp) {
    problems.push(
      `Blood pressure ${draft.systolic_bp}/${draft.diastolic_bp}: the diastolic must be below the systolic; check the reading`,
    );
  }
  const band = (v: number | null | undefined, bands: [number, number][], top: number): number | null => {
    if (v == null) return null;
    for (const [upTo, score] of bands) if (v <= upTo) return score;
    return top;
  };
  const rr = draft.respiration_rate;
  const spo2 = draft.spo2;
  const scores: [ParameterPreview["parameter"], string, number | null][] = [
    ["respiration_rate", "Respiration rate", band(rr, [[8, 3], [11, 1], [20, 0], [24, 2]], 3)],
    ["spo2", "SpO2", band(spo2, [[91, 3], [93, 2], [95, 1]], 0)],
    ["air_or_oxygen", "Air or oxygen", draft.on_oxygen == null ? null : draft.on_oxygen ? 2 : 0],
    ["systolic_bp", "Systolic BP", band(draft.systolic_bp, [[90, 3], [100, 2], [110, 1], [219, 0]], 3)],
    ["pulse", "Pulse", band(draft.pulse, [[40, 3], [50, 1], [90, 0], [110, 1], [130, 2]], 3)],
    ["consciousness", "Consciousness", draft.consciousness == null ? null : draft.consciousness === "alert" ? 0 : 3],
    ["temperature", "Temperature", band(temperature, [[35.0, 3], [36.0, 1], [38.0, 0], [39.0, 1]], 2)],
  ];
  const total = scores.reduce((sum, [, , s]) => sum + (s ?? 0), 0);
  const risk: Risk =
    total >= 7 ? "high" : total >= 5 ? "medium" : scores.some(([, , s]) => s === 3) ? "low_medium" : "low";
  const missing = scores.filter(([, , s]) => s == null).map(([, label]) => label);
  return {
    total,
    risk,
    response: RESPONSES[risk],
    monitoring: MONITORING[risk],
    complete: missing.length === 0,
    missing,
    scale_text: "SpO2 scale 1",
    spo2_scale: "scale1",
    parameters: scores.map(([parameter, label, score]) => ({ parameter, label, score })),
    problems,
  };
}

/** The NHS number's Modulus 11 check, as lamplight-model's `NhsNumber` parses it. */
export function nhsNumberProblem(text: string): string | null {
  const digits = text.replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(digits)) return "an NHS number has 10 digits";
  const sum = [...digits.slice(0, 9)].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10 || check !== Number(digits[9])) return "the check digit does not match: check every digit";
  return null;
}
