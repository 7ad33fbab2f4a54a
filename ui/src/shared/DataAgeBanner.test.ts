import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import DataAgeBanner from "./DataAgeBanner.svelte";
import App from "../App.svelte";
import { TestBackend, fixtures } from "./test-backend";

const status = fixtures().wardList.status;

describe("the data-age banner", () => {
  it("shows the stamp and, for the built-in ward, says the patients are synthetic", () => {
    render(DataAgeBanner, { status });
    const banner = document.getElementById("data-age-banner")!;
    expect(banner.textContent).toContain("data as of 03:01 Wed 04/11/2026 (12 min ago)");
    expect(screen.getByText("DEMO DATA — synthetic patients")).toBeTruthy();
    expect(banner.classList.contains("stale"), "fresh data must not look stale").toBe(false);
  });

  it("turns red and says STALE once the data is older than the threshold", () => {
    render(DataAgeBanner, { status: { ...status, stale: true, age_minutes: 95, stamp: "data as of 03:01 (95 min ago)" } });
    const banner = document.getElementById("data-age-banner")!;
    expect(banner.classList.contains("stale"), "stale data must turn the banner red").toBe(true);
    expect(screen.getByText("STALE")).toBeTruthy();
    expect(banner.textContent).toContain("Older than 60 min");
  });

  it("names every problem with the data itself, in red, such as a newer snapshot that could not be opened", () => {
    const warning = "Newer snapshot (generation 2) could not be opened, so older data is shown: damaged";
    render(DataAgeBanner, { status: { ...status, source: "snapshot", warnings: [warning] } });
    const banner = document.getElementById("data-age-banner")!;
    expect(screen.getByTestId("data-warning").textContent).toContain("generation 2");
    expect(banner.classList.contains("stale"), "older data than expected must not look normal").toBe(true);
  });

  it("does not call a staged snapshot demo data", () => {
    render(DataAgeBanner, { status: { ...status, source: "snapshot", source_label: "Staged from the EPR" } });
    expect(document.getElementById("data-age-banner")!.textContent).not.toContain("DEMO DATA");
  });
});

describe("every screen", () => {
  it("carries the banner, red when the station says the data is stale", async () => {
    render(App, { backend: TestBackend.withStatus({ stale: true }) });
    await screen.findByText("SMITH, Mary Jane");
    const banner = document.getElementById("data-age-banner")!;
    expect(banner.classList.contains("stale")).toBe(true);
    expect(banner.textContent).toContain("STALE");
  });
});
