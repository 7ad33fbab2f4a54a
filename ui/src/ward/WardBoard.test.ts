import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import { TestBackend, fixtures } from "../shared/test-backend";
import WardBoard from "./WardBoard.svelte";

// The compact view is remembered per PC: every test starts from a PC that never chose.
beforeEach(() => localStorage.clear());

async function showBoard(backend = new TestBackend()) {
  render(App, { backend });
  await screen.findByText("SMITH, Mary Jane");
  return backend;
}

function row(bedId: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-bed-id="${bedId}"]`);
  if (!found) throw new Error(`no row for ${bedId}`);
  return found;
}

describe("the ward board", () => {
  it("shows one row per bed, empty and closed beds included, and patients waiting for a bed apart", async () => {
    await showBoard();
    const beds = document.querySelectorAll('[data-testid="bed-row"]');
    expect(beds.length, "one bed row per bed of the ward").toBe(5);
    expect(document.querySelector('[data-testid="ward-bed-count"]')?.getAttribute("data-beds")).toBe("5");
    expect(document.querySelectorAll('[data-testid="unallocated-row"]').length).toBe(1);
    expect(row("bed-a3").textContent).toContain("Empty");
    expect(row("bed-b2").textContent).toContain("Closed");
    expect(row("bed-a1").textContent).toContain("943 476 5919");
    expect(row("bed-b1").textContent).toContain("No NHS number");
  });

  it("colours NEWS2 by risk band and says when a score is incomplete", async () => {
    await showBoard();
    const news2 = (bedId: string) => row(bedId).querySelector('[data-testid="news2"]')!;
    expect(news2("bed-a1").classList.contains("news2-risk-high")).toBe(true);
    expect(news2("bed-b1").classList.contains("news2-risk-medium")).toBe(true);
    expect(news2("bed-a2").classList.contains("news2-risk-low")).toBe(true);
    expect(news2("bed-a2").textContent).toContain("incomplete");
    expect(news2("bed-a1").textContent, "a complete score is not marked incomplete").not.toContain("incomplete");
    const waiting = document.querySelector('[data-testid="unallocated-row"] [data-testid="news2"]')!;
    expect(waiting.classList.contains("news2-risk-low-medium")).toBe(true);
  });

  it("tells the three allergy states apart", async () => {
    await showBoard();
    const allergy = (bedId: string) => row(bedId).querySelector('[data-testid="allergy-status"]')!;
    expect(allergy("bed-a1").textContent).toContain("Penicillin, Latex");
    expect(allergy("bed-a1").classList.contains("allergy-known"), "known allergies are shown in red").toBe(true);
    expect(allergy("bed-a2").textContent).toContain("No known allergies");
    expect(allergy("bed-b1").textContent).toContain("Allergies not recorded");
    expect(allergy("bed-b1").textContent).not.toContain("No known allergies");
  });

  it("marks overdue and time-critical medicines", async () => {
    await showBoard();
    const [overdue, due] = Array.from(row("bed-a1").querySelectorAll('[data-testid="due-medicine"]'));
    expect(overdue!.classList.contains("overdue")).toBe(true);
    expect(overdue!.textContent).toContain("OVERDUE");
    expect(overdue!.querySelector('[data-testid="time-critical"]'), "time-critical medicines carry ⏱").not.toBeNull();
    expect(due!.querySelector('[data-testid="time-critical"]')).toBeNull();
    expect(due!.classList.contains("overdue")).toBe(false);
    expect(row("bed-a1").textContent).toContain("Full blood count");
  });

  it("opens a patient with Enter and returns to the same row with Escape", async () => {
    const backend = await showBoard();
    const a2 = row("bed-a2");
    a2.focus();
    await fireEvent.keyDown(a2, { key: "Enter" });
    await screen.findByRole("heading", { level: 1, name: "JONES, Peter" });
    expect(document.getElementById("ward-board")).toBeNull();
    expect(document.getElementById("data-age-banner"), "the banner stays on every screen").not.toBeNull();

    await fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(document.activeElement?.getAttribute("data-bed-id")).toBe("bed-a2"));
    expect(backend.calls).toContain("patient_view pat-2");
  });

  it("moves between patients with the arrow keys, skipping empty beds", async () => {
    await showBoard();
    row("bed-a2").focus();
    await fireEvent.keyDown(row("bed-a2"), { key: "ArrowDown" });
    expect(document.activeElement?.getAttribute("data-bed-id"), "A3 is empty: the next patient is in B1").toBe("bed-b1");
    await fireEvent.keyDown(row("bed-b1"), { key: "ArrowUp" });
    expect(document.activeElement?.getAttribute("data-bed-id")).toBe("bed-a2");
  });

  it("opens a patient on click", async () => {
    await showBoard();
    await fireEvent.click(row("bed-a1"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
  });

  it("offers a ward picker only when there is more than one ward", async () => {
    await showBoard();
    expect(document.getElementById("ward-picker")).toBeNull();
  });

  it("shows the station's message, not a blank screen, when the board cannot be loaded", async () => {
    const data = fixtures();
    data.boards = {};
    render(App, { backend: new TestBackend(data) });
    const panel = await screen.findByRole("alert");
    expect(panel.textContent).toContain('no ward with id "ward-7"');
    expect(panel.textContent).toContain("not_found");
  });

  it("starts in the full view", async () => {
    await showBoard();
    const board = document.getElementById("ward-board")!;
    expect(board.getAttribute("data-compact")).toBe("false");
    expect(document.getElementById("board-compact-toggle")?.getAttribute("aria-pressed")).toBe("false");
  });

  it("shows no #admit-patient when not given onAdmit (a role that may not admit)", async () => {
    const data = fixtures();
    render(WardBoard, {
      backend: new TestBackend(data),
      wards: data.wardList.wards,
      wardId: data.wardList.wards[0]!.id,
      onward: () => {},
      onopen: () => {},
      onstatus: () => {},
    });
    await screen.findByText("SMITH, Mary Jane");
    expect(document.getElementById("admit-patient")).toBeNull();
    expect(document.getElementById("board-compact-toggle"), "the view toggle is there for everyone").not.toBeNull();
  });

  it("shows #admit-patient when given onAdmit, and calls it", async () => {
    const data = fixtures();
    const onAdmit = vi.fn();
    render(WardBoard, {
      backend: new TestBackend(data),
      wards: data.wardList.wards,
      wardId: data.wardList.wards[0]!.id,
      onward: () => {},
      onopen: () => {},
      onstatus: () => {},
      onAdmit,
    });
    await screen.findByText("SMITH, Mary Jane");
    const admit = document.getElementById("admit-patient")!;
    expect(admit.tagName).toBe("BUTTON");
    await fireEvent.click(admit);
    expect(onAdmit).toHaveBeenCalledOnce();
  });
});

describe("the compact board", () => {
  async function compactBoard() {
    const backend = await showBoard();
    await fireEvent.click(document.getElementById("board-compact-toggle")!);
    await waitFor(() => expect(document.getElementById("ward-board")?.getAttribute("data-compact")).toBe("true"));
    return backend;
  }

  it("keeps one row per bed, each on one line of cells, with the same ids as the full view", async () => {
    await compactBoard();
    const beds = document.querySelectorAll('[data-testid="bed-row"]');
    expect(beds.length).toBe(5);
    expect(document.querySelectorAll('[data-testid="unallocated-row"]').length).toBe(1);
    for (const tr of document.querySelectorAll("#ward-board tbody tr")) {
      expect(tr.classList.contains("compact"), "every row is drawn compact").toBe(true);
    }
    expect(document.querySelectorAll("#ward-board thead th").length, "six columns, no pending tests").toBe(6);
    expect(row("bed-a3").textContent).toContain("Empty");
    expect(row("bed-b2").textContent).toContain("Closed");
    expect(row("bed-a1").querySelector('[data-testid="patient-name"]')?.textContent).toBe("SMITH, Mary Jane");
    expect(row("bed-a1").textContent).toContain("84 y");
    const waiting = document.querySelector('[data-testid="unallocated-row"] td.bed')!;
    expect(waiting.textContent?.trim(), "a patient waiting for a bed says so in the bed column").toBe("No bed");
  });

  it("shows allergies by substance, and says plainly when they are not recorded", async () => {
    await compactBoard();
    const allergy = (bedId: string) => row(bedId).querySelector('[data-testid="allergy-status"]')!;
    expect(allergy("bed-a1").textContent).toContain("⚠");
    expect(allergy("bed-a1").textContent).toContain("Penicillin, Latex");
    expect(allergy("bed-a1").classList.contains("allergy-known")).toBe(true);
    expect(allergy("bed-b1").textContent).toContain("Allergies not recorded");
    expect(allergy("bed-b1").textContent).not.toContain("No known allergies");
    expect(allergy("bed-a2").textContent).toContain("No known allergies");
  });

  it("shows NEWS2 in its band's colour and in words, and the alert badges", async () => {
    await compactBoard();
    const news2 = (bedId: string) => row(bedId).querySelector('[data-testid="news2"]')!;
    expect(news2("bed-a1").classList.contains("news2-risk-high")).toBe(true);
    expect(row("bed-a1").querySelector('[data-testid="news2-words"]')?.textContent).toBe("High");
    expect(news2("bed-b1").classList.contains("news2-risk-medium")).toBe(true);
    expect(row("bed-b1").querySelector('[data-testid="news2-words"]')?.textContent).toBe("Medium");
    const badges = Array.from(row("bed-a1").querySelectorAll(".badge")).map((b) => b.textContent);
    expect(badges).toEqual(["DNACPR", "Falls"]);
  });

  it("puts overdue medicines first and loud, time-critical ones marked", async () => {
    await compactBoard();
    const meds = Array.from(row("bed-a1").querySelectorAll('[data-testid="due-medicine"]'));
    expect(meds.length).toBe(2);
    expect(meds[0]!.classList.contains("overdue")).toBe(true);
    expect(meds[0]!.textContent).toContain("OVERDUE");
    expect(meds[0]!.textContent).toContain("Co-careldopa");
    expect(meds[0]!.querySelector('[data-testid="time-critical"]')).not.toBeNull();
    expect(meds[1]!.classList.contains("overdue")).toBe(false);
    expect(meds[1]!.textContent).not.toContain("OVERDUE");
  });

  it("is remembered on this PC, and the full view comes back with the toggle", async () => {
    await compactBoard();
    expect(localStorage.getItem("lamplight.board.compact")).toBe("true");
    document.body.innerHTML = "";
    await showBoard();
    expect(document.getElementById("ward-board")?.getAttribute("data-compact"), "remembered after a restart").toBe("true");
    await fireEvent.click(document.getElementById("board-compact-toggle")!);
    await waitFor(() => expect(document.getElementById("ward-board")?.getAttribute("data-compact")).toBe("false"));
    expect(localStorage.getItem("lamplight.board.compact")).toBe("false");
    expect(document.querySelectorAll("#ward-board thead th").length).toBe(7);
  });

  it("opens a patient from a compact row, and keeps the keyboard moves", async () => {
    await compactBoard();
    row("bed-a2").focus();
    await fireEvent.keyDown(row("bed-a2"), { key: "ArrowDown" });
    expect(document.activeElement?.getAttribute("data-bed-id")).toBe("bed-b1");
    await fireEvent.click(row("bed-a1"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
  });
});
