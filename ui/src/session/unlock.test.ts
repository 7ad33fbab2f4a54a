// A PC whose key is protected by a passphrase opens locked: the window asks for the passphrase, says
// when it is wrong and lets the person try again, and shows the ward once it is right.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../App.svelte";
import { TestBackend } from "../shared/test-backend";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`nothing has the id #${id}`);
  return found as T;
}

async function showPrompt(backend: TestBackend) {
  render(App, { backend, statusEveryMs: 20 });
  await waitFor(() => byId("unlock-form"));
}

async function tryPassphrase(text: string) {
  const field = byId<HTMLInputElement>("unlock-passphrase");
  await waitFor(() => expect(field.disabled, "the field takes a try").toBe(false));
  await fireEvent.input(field, { target: { value: text } });
  await fireEvent.submit(byId("unlock-form"));
}

describe("the passphrase prompt", () => {
  it("asks in words a nurse or IT understands, in a field that keeps nothing, and shows no patient", async () => {
    await showPrompt(TestBackend.locked("correct horse"));
    expect(byId("unlock").textContent).toContain(
      "This PC's key is protected by a passphrase. IT or the nurse in charge enters it to open the ward's data.",
    );
    const field = byId<HTMLInputElement>("unlock-passphrase");
    expect(field.type, "the passphrase is never shown").toBe("password");
    expect(field.getAttribute("autocomplete"), "nor remembered by the browser").toBe("off");
    expect(document.activeElement, "ready to type").toBe(field);
    expect(document.getElementById("ward-board"), "no ward before the key opens").toBeNull();
    expect(document.getElementById("error-panel"), "locked is not an error").toBeNull();
    expect(document.getElementById("status-problem"), "nor a problem to warn of").toBeNull();
  });

  it("says a wrong passphrase is wrong, clears it, and opens the ward with the right one", async () => {
    const backend = TestBackend.locked("correct horse");
    await showPrompt(backend);

    await tryPassphrase("correct h0rse");
    const error = await waitFor(() => byId("unlock-error"));
    expect(error.dataset.code).toBe("wrong_passphrase");
    expect(error.textContent).toContain("does not open this PC's key (1 wrong try)");
    expect(error.textContent, "never echoed").not.toContain("h0rse");
    expect(byId<HTMLInputElement>("unlock-passphrase").value, "cleared after each try").toBe("");
    await waitFor(() => expect(document.activeElement?.id, "ready for the next try").toBe("unlock-passphrase"));

    await tryPassphrase("correct horse");
    await screen.findByText("SMITH, Mary Jane");
    expect(document.getElementById("unlock-form"), "the prompt is gone").toBeNull();
    expect(backend.calls.filter((c) => c.startsWith("unlock_identity"))).toEqual(["unlock_identity", "unlock_identity"]);
  });

  it("after several wrong tries, counts down to the next one and takes no try before it", async () => {
    const backend = TestBackend.locked("correct horse");
    backend.unlockWaitSeconds = 1;
    await showPrompt(backend);
    for (const guess of ["a", "b", "c"]) await tryPassphrase(guess);

    const wait = await waitFor(() => byId("unlock-wait"));
    expect(wait.textContent).toContain("the next one can be made in 1 s");
    expect(byId("unlock-error").textContent).toContain("3 wrong tries");
    expect(byId<HTMLButtonElement>("unlock-submit").disabled, "no try during the wait").toBe(true);
    expect(byId<HTMLInputElement>("unlock-passphrase").disabled).toBe(true);

    await waitFor(() => expect(document.getElementById("unlock-wait")).toBeNull(), { timeout: 3_000 });
    await tryPassphrase("correct horse");
    await screen.findByText("SMITH, Mary Jane");
  });
});
