import { render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { DataStatus, EprView, Mode } from "../generated/api";
import { EPR_NOT_ANSWERING, TestBackend, fixtures, modeView } from "../shared/test-backend";
import StatusBanner from "./StatusBanner.svelte";

const base = fixtures().wardList.status;

function show(change: Partial<DataStatus>) {
  const status = { ...base, ...change };
  render(StatusBanner, { status, backend: new TestBackend(), onstatus: vi.fn() });
  return byId("mode-banner");
}

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found;
}

const DETAIL = "Declared by Sam Jones at 14:05 Tue 01/12/2026: EPR not answering";

describe("the banner shows the PC's mode unmistakably", () => {
  it.each<[Mode, string]>([
    ["normal", "Normal: the EPR is the record"],
    ["downtime", "DOWNTIME: the EPR is not in use. Record care here or on paper"],
    ["recovery", "RECOVERY: the EPR is back. Downtime records are being returned to it"],
    ["drill", "DRILL: practice only. Nothing recorded here is real"],
  ])("in %s mode: its colour, its headline and who set it", (mode, headline) => {
    const banner = show({ mode: modeView(mode, { detail: DETAIL }) });
    expect(banner.dataset.mode, "the e2e tests and the styles key on data-mode").toBe(mode);
    expect(banner.classList.contains(`mode-${mode}`), "the colour comes from the mode's class").toBe(true);
    for (const other of ["normal", "downtime", "recovery", "drill"].filter((m) => m !== mode)) {
      expect(banner.classList.contains(`mode-${other}`), `a ${mode} banner must not look like ${other}`).toBe(false);
    }
    expect(byId("mode-headline").textContent?.trim()).toBe(headline);
    expect(byId("mode-detail").textContent).toBe(DETAIL);
    const frame = document.querySelector('[data-testid="mode-frame"]');
    if (mode === "normal") expect(frame, "normal mode needs no frame around the window").toBeNull();
    else expect(frame?.classList.contains(`frame-${mode}`), "the whole window carries the mode's colour").toBe(true);
  });

  it("puts a DRILL watermark over the whole window in a drill, hidden from screen readers (the headline says it)", () => {
    show({ mode: modeView("drill") });
    const watermark = byId("drill-watermark");
    expect(watermark.textContent).toBe("DRILL");
    expect(watermark.getAttribute("aria-hidden")).toBe("true");
    expect(watermark.closest("#mode-banner"), "fixed over the window, not inside the banner").toBeNull();
  });

  it.each<Mode>(["normal", "downtime", "recovery"])("never shows the DRILL watermark in %s mode", (mode) => {
    show({ mode: modeView(mode) });
    expect(document.getElementById("drill-watermark"), "a watermark outside a drill would make real care look like practice").toBeNull();
  });

  it("says nothing about who set the mode when nobody did (a PC that has always been normal)", () => {
    show({ mode: modeView("normal") });
    expect(document.getElementById("mode-detail")).toBeNull();
  });

  it("says plainly when the mode could not be saved or read", () => {
    show({ mode: modeView("downtime", { problem: "The mode could not be saved: disk full. A restart may not resume downtime." }) });
    const problem = byId("mode-problem");
    expect(problem.getAttribute("role")).toBe("alert");
    expect(problem.textContent).toContain("could not be saved");
  });
});

describe("the banner shows the EPR's state", () => {
  it.each<[EprView, boolean]>([
    [{ state: "answering", text: "EPR answering", checked_text: "checked 14:05:10" }, false],
    [{ state: "slow", text: "EPR slow (4.2 s to answer)", checked_text: "checked 14:05:10" }, false],
    [EPR_NOT_ANSWERING, true],
    [{ state: "not_monitored", text: "EPR not monitored on this PC", checked_text: null }, false],
  ])("%o, with when it was checked; red only when it does not answer", (epr, red) => {
    show({ epr });
    const state = byId("epr-state");
    expect(state.dataset.state).toBe(epr.state);
    expect(state.textContent).toContain(epr.text);
    if (epr.checked_text) expect(state.textContent).toContain(epr.checked_text);
    expect(state.classList.contains("epr-not-answering"), "red is kept for an EPR that does not answer").toBe(red);
    if (red) expect(state.textContent, "not by colour alone").toContain(`✕ ${epr.text}`);
  });
});

describe("the banner announces", () => {
  const planned = {
    id: "20261206T0200Z",
    text: "EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55",
    from: "2026-12-06T02:00:00Z",
    to: "2026-12-06T04:00:00Z",
    under_way: false,
  };

  it("a planned downtime ahead of it", () => {
    show({ planned });
    const line = byId("planned-downtime");
    expect(line.textContent).toContain("EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55");
    expect(line.dataset.underWay).toBe("false");
    expect(line.classList.contains("under-way")).toBe(false);
  });

  it("a planned downtime under way, more strongly", () => {
    show({ planned: { ...planned, under_way: true }, mode: modeView("downtime") });
    const line = byId("planned-downtime");
    expect(line.dataset.underWay).toBe("true");
    expect(line.classList.contains("under-way"), "a downtime under way is shown more strongly").toBe(true);
    expect(line.textContent).toContain("under way");
  });

  it("no planned downtime when there is none", () => {
    show({ planned: null });
    expect(document.getElementById("planned-downtime")).toBeNull();
  });

  it("that the window followed a newer generation, beside the data's age", () => {
    show({ updated_text: "Updated at 14:05 to generation 43 (data as of 14:04)", stamp: "data as of 14:04 Tue 01/12/2026 (1 min ago)" });
    expect(byId("data-updated").textContent).toContain("Updated at 14:05 to generation 43 (data as of 14:04)");
    expect(byId("data-age-banner").textContent, "the age stamp stays").toContain("data as of 14:04 Tue 01/12/2026 (1 min ago)");
  });

  it("nothing about an update before the window followed one", () => {
    show({ updated_text: null });
    expect(document.getElementById("data-updated")).toBeNull();
  });
});

describe("the banner offers the mode changes the station allows", () => {
  const ids = () => Array.from(document.querySelectorAll("#mode-banner button[id^='mode-action-']")).map((b) => b.id);

  it("in normal mode: declare downtime and start a drill, neither pressed for", () => {
    show({ mode: modeView("normal") });
    expect(ids()).toEqual(["mode-action-declare_downtime", "mode-action-start_drill"]);
    expect(document.querySelector("#mode-banner button.primary"), "nothing is suggested in calm normal mode").toBeNull();
    expect(document.getElementById("mode-proposal")).toBeNull();
  });

  it("a proposal of downtime as a prominent message, with Confirm downtime first and primary in it", () => {
    const proposal = "The EPR has not answered since 14:02 (3 min). If the ward cannot use the EPR, confirm downtime.";
    show({ mode: modeView("normal", { proposal }), epr: EPR_NOT_ANSWERING });
    const message = byId("mode-proposal");
    expect(message.getAttribute("role"), "a proposal is announced at once").toBe("alert");
    expect(message.textContent).toContain(proposal);
    const confirm = byId("mode-action-declare_downtime");
    expect(message.contains(confirm), "the suggested action sits in the message it answers").toBe(true);
    expect(confirm.textContent).toContain("Confirm downtime");
    expect(confirm.classList.contains("primary")).toBe(true);
    expect(ids()[0], "the suggested action comes first").toBe("mode-action-declare_downtime");
    expect(byId("mode-action-start_drill").classList.contains("primary")).toBe(false);
  });

  it("an offer of recovery during downtime, with Start recovery as its primary button", () => {
    const offer = "The EPR is answering again (since 14:20). When IT confirms it is back, start recovery.";
    show({ mode: modeView("downtime", { recovery_offer: offer, detail: DETAIL }) });
    const message = byId("mode-recovery-offer");
    expect(message.textContent).toContain(offer);
    const start = byId("mode-action-start_recovery");
    expect(message.contains(start)).toBe(true);
    expect(start.classList.contains("primary")).toBe(true);
  });

  it("a suggested action first and primary even without a message to put it in", () => {
    const mode = modeView("recovery");
    mode.actions = [
      { action: "return_to_normal", label: "Return to normal", suggested: false, needs_reason: false },
      { action: "declare_downtime", label: "Declare downtime", suggested: true, needs_reason: true },
    ];
    show({ mode });
    expect(ids()).toEqual(["mode-action-declare_downtime", "mode-action-return_to_normal"]);
    expect(byId("mode-action-declare_downtime").classList.contains("primary")).toBe(true);
  });

  it("only the actions the station sends: none in a mode with none", () => {
    const mode = modeView("drill");
    mode.actions = [];
    show({ mode });
    expect(ids()).toEqual([]);
  });

  it("before any status has arrived, says it is loading and offers nothing", () => {
    render(StatusBanner, { status: null, backend: new TestBackend(), onstatus: vi.fn() });
    expect(byId("mode-banner").dataset.mode).toBeUndefined();
    expect(screen.getByText("Loading data…")).toBeTruthy();
    expect(ids()).toEqual([]);
  });
});

describe("the banner offers the reconciliation worklist", () => {
  it.each<Mode>(["normal", "downtime", "recovery", "drill"])("in recovery only (here %s), when the window can open it", async (mode) => {
    const onworklist = vi.fn();
    render(StatusBanner, { status: { ...base, mode: modeView(mode) }, backend: new TestBackend(), onstatus: vi.fn(), onworklist });
    const button = document.getElementById("open-worklist");
    if (mode !== "recovery") {
      expect(button, "only recovery files downtime entries to the EPR").toBeNull();
      return;
    }
    expect(button?.textContent).toContain("Reconcile");
    button!.click();
    expect(onworklist).toHaveBeenCalledOnce();
  });

  it("not without a window to open it in", () => {
    show({ mode: modeView("recovery") });
    expect(document.getElementById("open-worklist")).toBeNull();
  });
});
