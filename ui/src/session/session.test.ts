// Sign-in in the window: the board stays up for everyone; opening a patient asks who is there and
// then opens them; a wrong PIN is said; the emergency sign-in when no roster reached the PC; a lock
// keeps the nurse's place (patient and form) for when they sign in again.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../App.svelte";
import { TestBackend } from "../shared/test-backend";
import { NOT_RECOGNISED } from "../shared/test-station";

const POLL_MS = 20;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found as T;
}

async function showBoard(backend: TestBackend, activityEveryMs = 30_000) {
  render(App, { backend, statusEveryMs: POLL_MS, activityEveryMs });
  await screen.findByText("SMITH, Mary Jane");
  return backend;
}

function row(bedId: string): HTMLElement {
  return document.querySelector<HTMLElement>(`[data-bed-id="${bedId}"]`)!;
}

async function type(id: string, value: string) {
  await fireEvent.input(byId<HTMLInputElement>(id), { target: { value } });
}

async function signIn(name: string, pin: string) {
  await type("sign-in-name", name);
  await type("sign-in-pin", pin);
  await fireEvent.click(byId("sign-in-submit"));
}

describe("signing in", () => {
  it("keeps the board up for nobody signed in, asks on opening a patient, says a wrong PIN, then opens the patient", async () => {
    const backend = await showBoard(TestBackend.withSessions());
    expect(byId("sign-in-open").textContent).toContain("Sign in");
    await fireEvent.click(row("bed-a1"));
    await waitFor(() => byId("sign-in"));
    expect(byId("ward-board").closest("[hidden]"), "the board is hidden under the sign-in").not.toBeNull();
    expect(byId<HTMLInputElement>("sign-in-pin").type, "the PIN is masked").toBe("password");

    await signIn("Sam Jones", "1111");
    await waitFor(() => expect(byId("sign-in-error").textContent).toBe(NOT_RECOGNISED));
    expect(byId<HTMLInputElement>("sign-in-pin").value, "the PIN is cleared").toBe("");
    expect(backend.calls.some((c) => c.startsWith("patient_view")), "no record opened").toBe(false);

    await type("sign-in-pin", "2468");
    await fireEvent.click(byId("sign-in-submit"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
    expect(byId("session-user").textContent).toContain("Sam Jones");
    expect(byId("session-user").textContent).toContain("nurse");
    expect(document.getElementById("emergency-banner")).toBeNull();
  });

  it("signs in from the board's button, and out again", async () => {
    await showBoard(TestBackend.withSessions());
    await fireEvent.click(byId("sign-in-open"));
    await signIn("sjones", "2468");
    await waitFor(() => byId("session-user"));
    expect(document.getElementById("sign-in")).toBeNull();
    await fireEvent.click(byId("sign-out"));
    await waitFor(() => byId("sign-in-open"));
    expect(document.getElementById("session-user")).toBeNull();
  });

  it("offers the emergency sign-in when no roster reached the PC, says why, and marks the session", async () => {
    const backend = await showBoard(TestBackend.withSessions({ roster: false }));
    await fireEvent.click(byId("sign-in-open"));
    expect(byId("roster-problem").textContent).toContain("No roster has reached this PC");
    expect(document.getElementById("sign-in-name"), "no roster, no PIN sign-in").toBeNull();
    await type("emergency-name", "Alex");
    await type("emergency-reason", "roster missing, EPR down");
    await fireEvent.click(byId("emergency-submit"));
    await waitFor(() => expect(byId("sign-in-error").textContent).toContain("your full name"));
    await type("emergency-name", "Alex Demo-Nurse");
    await fireEvent.change(byId("emergency-role"), { target: { value: "bed_manager" } });
    await fireEvent.click(byId("emergency-submit"));
    const banner = await waitFor(() => byId("emergency-banner"));
    expect(banner.textContent).toContain("EMERGENCY SIGN-IN: Alex Demo-Nurse (bed manager)");
    expect(backend.desk!.current!.role).toBe("bed-manager");
  });

  it("locks after idle, and resuming returns to the same patient and form", async () => {
    const backend = await showBoard(TestBackend.withSessions({ signedIn: true }));
    await fireEvent.click(row("bed-a1"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
    await fireEvent.click(byId("open-drug-chart"));
    await waitFor(() => expect(document.querySelectorAll(".chart-row").length).toBe(3));

    backend.lockSession();
    const locked = await waitFor(() => byId("session-locked"));
    expect(locked.textContent).toContain("Sam Jones, sign in again to carry on where you were");
    expect(byId("drug-chart-form").closest("[hidden]"), "the record is hidden while locked").not.toBeNull();
    expect(byId<HTMLInputElement>("sign-in-name").value, "the locked person's name is filled in").toBe("Sam Jones");
    expect(document.getElementById("sign-in-cancel"), "a locked session cannot be stepped past").toBeNull();

    await type("sign-in-pin", "2468");
    await fireEvent.click(byId("sign-in-submit"));
    await waitFor(() => expect(document.getElementById("sign-in")).toBeNull());
    expect(byId("drug-chart-form").closest("[hidden]"), "the same form, shown again").toBeNull();
    expect(byId("patient-name").textContent).toBe("SMITH, Mary Jane");
  });

  it("another person signing in on a locked PC starts from the board", async () => {
    const backend = await showBoard(TestBackend.withSessions({ signedIn: true }));
    await fireEvent.click(row("bed-a1"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
    backend.lockSession();
    await waitFor(() => byId("session-locked"));
    await signIn("Alex Morgan", "1357");
    await waitFor(() => expect(byId("session-user").textContent).toContain("Alex Morgan"));
    expect(document.getElementById("patient-view")).toBeNull();
  });

  it("hides what the person's role may not do", async () => {
    await showBoard(TestBackend.withSessions());
    await fireEvent.click(row("bed-a1"));
    await signIn("Alex Morgan", "1357");
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
    expect(document.getElementById("open-observations"), "a bed manager does not record observations").toBeNull();
    expect(document.getElementById("open-note")).toBeNull();
    expect(byId("open-transfer")).not.toBeNull();
  });

  it("says the person is still there at most once per interval", async () => {
    const backend = await showBoard(TestBackend.withSessions({ signedIn: true }), 60_000);
    const activity = () => backend.calls.filter((c) => c === "session_activity").length;
    await fireEvent.keyDown(document.body, { key: "a" });
    await fireEvent.pointerDown(document.body);
    await fireEvent.keyDown(document.body, { key: "b" });
    expect(activity()).toBe(1);
  });

  it("asks nobody to sign in where the station has no sessions (a bundle read alone)", async () => {
    await showBoard(new TestBackend());
    expect(document.getElementById("sign-in-open")).toBeNull();
    await fireEvent.click(row("bed-a1"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
  });
});

describe("printing a patient's paper", () => {
  it("asks for a sign-in, then shows what was asked for", async () => {
    const backend = await showBoard(TestBackend.withSessions());
    await fireEvent.click(screen.getByTestId("print-drug_chart"));
    await waitFor(() => byId("sign-in"));
    await signIn("Sam Jones", "2468");
    await waitFor(() => screen.getByTestId("print-preview"));
    expect(backend.calls.filter((c) => c.startsWith("print_preview drug_chart"))).toHaveLength(2);
  });

  it("needs nobody signed in for the census", async () => {
    await showBoard(TestBackend.withSessions());
    await fireEvent.click(screen.getByTestId("print-census"));
    await waitFor(() => screen.getByTestId("print-preview"));
    expect(document.getElementById("sign-in")).toBeNull();
  });
});

describe("after a save", () => {
  it("lists the entry with the patient's downtime entries, with who recorded it", async () => {
    await showBoard(TestBackend.withSessions({ signedIn: true }));
    await fireEvent.click(row("bed-a1"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
    await fireEvent.click(byId("open-note"));
    await type("note-text", "Comfortable overnight");
    await fireEvent.click(byId("note-save"));
    await waitFor(() => byId("entry-saved"));
    await fireEvent.click(byId("form-close"));
    const entry = await waitFor(() => {
      const found = document.querySelector<HTMLElement>("#downtime-entries .downtime-entry");
      expect(found).not.toBeNull();
      return found!;
    });
    expect(entry.textContent).toContain("Nursing note");
    expect(entry.textContent).toContain("by Sam Jones");
    expect(entry.textContent).toContain("downtime entry");
  });
});

describe("a PC locked on the board", () => {
  it("keeps the board up, says it is locked, and signing in again is one button away", async () => {
    const backend = await showBoard(TestBackend.withSessions({ signedIn: true }));
    backend.lockSession();
    await waitFor(() => expect(byId("sign-in-open").textContent).toContain("Sign in again"));
    expect(byId("ward-board").closest("[hidden]"), "the whiteboard stays").toBeNull();
    await fireEvent.click(row("bed-a1"));
    const locked = await waitFor(() => byId("session-locked"));
    expect(locked.textContent).toContain("Locked at 14:15");
    await type("sign-in-pin", "2468");
    await fireEvent.click(byId("sign-in-submit"));
    await screen.findByRole("heading", { level: 1, name: "SMITH, Mary Jane" });
  });
});

describe("admitting a patient", () => {
  it("asks who is there, takes the admission, and opens the new patient with what was saved", async () => {
    const backend = await showBoard(TestBackend.withSessions());
    await fireEvent.click(byId("admit-patient"));
    await signIn("Sam Jones", "2468");
    await waitFor(() => byId("admit-family"));
    await type("admit-family", "Brown");
    await type("admit-given", "Ada");
    await type("admit-nhs", "9434765918");
    await fireEvent.click(byId("admit-save"));
    await waitFor(() => expect(byId("entry-error").textContent).toContain("NHS number entered is not valid"));
    await type("admit-nhs", "");
    await fireEvent.click(byId("admit-save"));
    await screen.findByRole("heading", { level: 1, name: "BROWN, Ada" });
    expect(byId("entry-saved").textContent).toContain("admitted as DT-PC1-0001");
    expect(backend.calls).toContain("patient_view DT-PC1-0001");
  });
});
