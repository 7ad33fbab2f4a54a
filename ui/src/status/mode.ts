// What the banner does with the station's mode view: which buttons go where, and what the form
// starts with. The station decides what is possible (`ModeView.actions`); nothing here adds a rule.
import type { ModeActionView, ModeView } from "../generated/api";

/** The reason a confirmed proposal starts with: the station proposes downtime only for this. */
export const PROPOSAL_REASON = "EPR not answering";

/** The actions in the order the banner offers them: the suggested ones first, then as the station sent them. */
export function orderedActions(mode: ModeView): ModeActionView[] {
  return [...mode.actions.filter((a) => a.suggested), ...mode.actions.filter((a) => !a.suggested)];
}

/** The message a suggested action answers (a proposal of downtime, an offer of recovery), if any. */
export function callToAction(mode: ModeView): "proposal" | "recovery_offer" | null {
  if (!mode.actions.some((a) => a.suggested)) return null;
  if (mode.proposal) return "proposal";
  if (mode.recovery_offer) return "recovery_offer";
  return null;
}

/** What the form's Reason starts with: "EPR not answering" when a person confirms the station's proposal. */
export function reasonPrefill(mode: ModeView, action: ModeActionView): string {
  return action.needs_reason && action.suggested && mode.proposal ? PROPOSAL_REASON : "";
}
