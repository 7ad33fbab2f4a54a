// Words for codes the station sends. The station does the clinical work (NEWS2, due times, London
// time); this only turns enum values into the ward's language and CSS class names.
import type { AllergyStatus, BedStatus, Location, Risk, Sex } from "../generated/api";

export function sexLabel(sex: Sex): string {
  switch (sex) {
    case "male":
      return "Male";
    case "female":
      return "Female";
    case "other":
      return "Other";
    case "unknown":
      return "Sex unknown";
  }
}

/** `M`, `F`: short form for the board, where the full word is in a tooltip and for screen readers. */
export function sexShort(sex: Sex): string {
  switch (sex) {
    case "male":
      return "M";
    case "female":
      return "F";
    case "other":
      return "Other";
    case "unknown":
      return "?";
  }
}

export function ageText(age: number | null | undefined): string {
  return age == null ? "Age unknown" : `${age} y`;
}

/** "No known allergies" and "not recorded" are different clinical facts: never show one as the other. */
export function allergyStatusText(status: AllergyStatus): string {
  switch (status) {
    case "known":
      return "Allergies";
    case "none_known":
      return "No known allergies";
    case "not_recorded":
      return "Allergies not recorded: ask the patient";
  }
}

export function riskClass(risk: Risk): string {
  return `news2-risk-${risk.replace("_", "-")}`;
}

export function riskLabel(risk: Risk): string {
  switch (risk) {
    case "low":
      return "Low";
    case "low_medium":
      return "Low–medium";
    case "medium":
      return "Medium";
    case "high":
      return "High";
  }
}

/** What an empty bed row says. */
export function emptyBedText(status: BedStatus | null | undefined): string {
  switch (status) {
    case "closed":
      return "Closed";
    case "cleaning":
      return "Empty: awaiting cleaning";
    case "contaminated":
      return "Closed: infection control";
    case "open":
    case null:
    case undefined:
      return "Empty";
  }
}

/** `Ward 7 · Bay A · Bed A1`. */
export function locationText(location: Location): string {
  const parts = [location.ward_name, location.bay_name, location.bed_label ? `Bed ${location.bed_label}` : null];
  return parts.filter((part) => part != null && part !== "").join(" · ") || "No location recorded";
}
