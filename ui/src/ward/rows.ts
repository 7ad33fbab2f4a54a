// Keys and wording for board rows, kept out of the markup so they can be tested alone.
import type { BoardRow } from "../generated/api";

/** A stable key for a row: its bed, or its patient when they have no bed. Used to return focus. */
export function rowKey(row: BoardRow): string {
  return row.bed_id ?? `patient:${row.patient?.patient_id ?? row.bed_label}`;
}

/** Rows that are beds (occupied or not), as opposed to patients waiting for a bed. */
export function isBed(row: BoardRow): boolean {
  return row.bed_id != null;
}
