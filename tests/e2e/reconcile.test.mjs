// Recovery in the real window, against a real FHIR server as the EPR: a ward staged from it, downtime
// declared by a person (the EPR stays up), a nurse signed in with the roster records a note; a person
// starts recovery, the worklist shows the note ready, one press files it, the EPR then holds exactly
// one Communication with a Lamplight filing identifier for that patient, and the PC returns to
// normal. And a measurement, not an assertion: the press to "filed" on screen. Then a second
// downtime: a dose given, its time corrected in the worklist's editor, filed: the EPR then holds
// exactly one MedicationAdministration for it, at the corrected time.
//
// Every id used is one the UI's components give (ui/src; their vitest tests pin them). Synthetic data only.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { openApp, signIn, waitForText, WAIT_MS, withFailureShot } from "./session.mjs";

const cli = process.env.LAMPLIGHT_CLI;
const here = dirname(fileURLToPath(import.meta.url));
// The repository's start script: it prefers CI's prebuilt server in ../shared, else finds or builds one.
const serverTools = process.env.LAMPLIGHT_FHIR_SERVER_TOOLS ?? join(here, "../../tools/fhir-server");
const WARD = "WD8";
const NURSE = { name: "Sam Jones", pin: "4829" };
/** The identifier system of what Lamplight files (lamplight_model::reconcile::FILING_ID_SYSTEM). */
const FILING_ID_SYSTEM = "urn:lamplight:downtime-entry";

let dir;
let url;
let browser;

function lamplight(args, input) {
  return execFileSync(cli, args, {
    encoding: "utf8",
    input,
    stdio: [input == null ? "ignore" : "pipe", "pipe", "pipe"],
  }).trim();
}

/** A FHIR call to the server itself (not through Lamplight): its JSON, or a thrown error with the body. */
async function fhir(path, init = {}) {
  const response = await fetch(`${url}${path}`, {
    ...init,
    headers: { accept: "application/fhir+json", "content-type": "application/fhir+json", ...init.headers },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

before(async () => {
  assert.ok(cli, "LAMPLIGHT_CLI is not set: run this through tests/e2e/run.sh");
  const start = join(serverTools, "start");
  assert.ok(
    existsSync(start),
    `no FHIR test server at ${serverTools}: run this from a clone of Lamplight (tools/fhir-server), or set ` +
      "LAMPLIGHT_FHIR_SERVER_TOOLS to a folder with its start and stop scripts",
  );
  dir = mkdtempSync(join(tmpdir(), "lamplight-e2e-reconcile-"));
  url = execFileSync(start, ["", join(dir, "fhir")], { encoding: "utf8" }).trim();

  // The demo ward, loaded into the EPR as one transaction, then staged from the EPR.
  lamplight(["demo", "--beds", "56", "--seed", "5", "--out", join(dir, "site.json")]);
  const loaded = await fhir("", { method: "POST", body: readFileSync(join(dir, "site.json"), "utf8") });
  assert.equal(loaded.resourceType, "Bundle", "the server answers the transaction with a bundle");
  const recipient = lamplight(["keygen", "--out", join(dir, "ward.key")]);
  lamplight(["stage", "--from", url, "--ward", WARD, "--recipient", recipient, "--vault", join(dir, "vault")]);
  lamplight(
    ["roster", "add", "--vault", join(dir, "vault"), "--identity", join(dir, "ward.key"),
      "--name", NURSE.name, "--role", "nurse", "--ward", WARD],
    `${NURSE.pin}\n`,
  );
  mkdirSync(join(dir, "ward-folder"));
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  if (dir) {
    if (existsSync(join(dir, "fhir", "pid"))) {
      try {
        execFileSync(join(serverTools, "stop"), [join(dir, "fhir")]);
      } catch {}
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

const guarded = (name, body) => withFailureShot(() => browser, name, body);

const shown = async (selector) => {
  const element = await browser.$(selector);
  return (await element.isExisting()) && (await element.isDisplayed());
};

/** A mode change through the banner: the action's button, then its form (who, and why when asked). */
async function changeMode(action, by, reason) {
  const button = await browser.$(`#mode-action-${action}`);
  await button.waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: `the banner never offered #mode-action-${action}` });
  await button.click();
  await browser.$(`#mode-form[data-action="${action}"]`).waitForDisplayed({ timeout: WAIT_MS });
  await browser.$("#mode-by").setValue(by);
  if (reason != null) await browser.$("#mode-reason").setValue(reason);
  await browser.$("#mode-submit").click();
}

/** The count the worklist shows for `outcome`. */
async function count(outcome) {
  return Number((await browser.$(`#worklist-counts [data-count="${outcome}"] strong`).getText()).trim());
}

test("recovery: the note recorded in downtime is ready, one press files it once to the EPR, the PC returns to normal", () =>
  guarded("reconcile", async () => {
    browser = await openApp([
      "--vault", join(dir, "vault"), "--identity", join(dir, "ward.key"), "--ward", WARD,
      "--pc", "PC1", "--ward-folder", join(dir, "ward-folder"),
      "--epr", url, "--refresh-secs", "0", "--health-secs", "1", "--health-timeout-secs", "2",
    ]);
    await browser.$("#mode-banner[data-mode='normal']").waitForExist({ timeout: WAIT_MS });
    await browser.$("#epr-state[data-state='answering']").waitForExist({ timeout: WAIT_MS });

    // Downtime, declared by a person (the EPR still answers: a declared downtime, not a proposal).
    await changeMode("declare_downtime", "Ruth Adeyemi", "EPR down for an upgrade");
    await browser.$("#mode-banner[data-mode='downtime']").waitForExist({ timeout: WAIT_MS });
    await waitForText(browser, "#mode-detail", /Ruth Adeyemi/, "who declared downtime is shown");

    // A nurse records a note for the first patient on the board.
    assert.match(await signIn(browser, NURSE), /Sam Jones/);
    const row = await browser.$("#ward-board tr[data-patient-id]");
    await row.waitForExist({ timeout: WAIT_MS });
    const patientId = await row.getAttribute("data-patient-id");
    await row.$('[data-testid="patient-name"]').click();
    await browser.$("#patient-view").waitForExist({ timeout: WAIT_MS });
    await browser.$("#open-note").click();
    await browser.$("#note-text").waitForDisplayed({ timeout: WAIT_MS });
    await browser.$("#note-text").setValue("e2e reconcile: settled overnight, eating and drinking");
    await browser.$("#note-save").click();
    const saved = await browser.$("#entry-saved[data-entry-id]");
    await saved.waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: "the note was not saved (no #entry-saved)" });
    const entryId = await saved.getAttribute("data-entry-id");
    assert.ok(entryId, "#entry-saved gives the entry's id");

    // The EPR answers: recovery, started by a person.
    await browser.$("#epr-state[data-state='answering']").waitForExist({ timeout: WAIT_MS });
    const offer = await browser
      .$("#mode-recovery-offer")
      .waitForDisplayed({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    console.log(`in downtime with the EPR answering, the banner ${offer ? "offers recovery (#mode-recovery-offer)" : "shows no recovery offer"}`);
    await changeMode("start_recovery", "Ruth Adeyemi");
    await browser.$("#mode-banner[data-mode='recovery']").waitForExist({ timeout: WAIT_MS });

    // The worklist: the note is ready.
    await browser.$("#open-worklist").click();
    if (await shown("#sign-in-name")) await signIn(browser, NURSE);
    await browser.$("#worklist").waitForDisplayed({ timeout: WAIT_MS });
    const entry = `.worklist-entry[data-entry-id="${entryId}"]`;
    await browser
      .waitUntil(async () => (await browser.$(entry).isExisting()) || (await shown("#worklist-error")), { timeout: WAIT_MS })
      .catch(async () => {
        // Still "Reading the EPR…" means the station's call never answered the window.
        const busy = (await shown("#worklist-busy")) ? await browser.$("#worklist-busy").getText() : "nothing under way";
        throw new Error(`the note ${entryId} never showed in the worklist (after ${WAIT_MS} ms the worklist says: ${busy})`);
      });
    if (await shown("#worklist-error")) {
      const error = await browser.$("#worklist-error");
      assert.fail(`the worklist could not be read: ${await error.getAttribute("data-code")}: ${await error.getText()}`);
    }
    assert.equal(await browser.$(entry).getAttribute("data-outcome"), "ready", "the note needs nobody: ready");
    assert.equal(await count("ready"), 1, "one entry ready");
    assert.equal(await count("needs_person"), 0, "none needs a person");

    // One press files it.
    const file = await browser.$("#worklist-file-ready");
    assert.ok(await file.isEnabled(), "#worklist-file-ready is offered");
    const pressed = Date.now();
    await file.click();
    await browser.waitUntil(
      async () =>
        (await browser.$(`${entry}[data-outcome="filed"]`).isExisting()) || (await shown("#worklist-error")),
      { timeout: WAIT_MS, interval: 50, timeoutMsg: `the note ${entryId} never showed as filed` },
    );
    const took = Date.now() - pressed;
    if (await shown("#worklist-error")) {
      const error = await browser.$("#worklist-error");
      assert.fail(`filing failed: ${await error.getAttribute("data-code")}: ${await error.getText()}`);
    }
    console.log(`measured: File ready pressed -> the note shown filed in the real window in ${took} ms`);
    const filing = await waitForText(browser, "#worklist-filing", /Filed 1 entry to the EPR/, "the filing report");
    assert.equal(await filing.getAttribute("data-stopped"), "false", "the filing ran to the end");
    assert.equal(await count("filed"), 1, "one entry filed");
    assert.equal(await count("ready"), 0, "nothing left ready");
    await browser.$("#worklist-done").waitForDisplayed({ timeout: WAIT_MS });

    // The EPR itself: exactly one Communication with a Lamplight filing identifier, for that patient.
    const query = new URLSearchParams({ identifier: `${FILING_ID_SYSTEM}|`, _count: "100" });
    const found = await fhir(`/Communication?${query}`);
    const filed = (found.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === "Communication");
    assert.equal(filed.length, 1, `exactly one Communication filed: ${JSON.stringify(filed.map((r) => r.id))}`);
    assert.equal(filed[0].subject?.reference, `Patient/${patientId}`, "filed for the patient the note was for");
    assert.ok(
      filed[0].identifier?.some((i) => i.system === FILING_ID_SYSTEM && i.value),
      "it carries its Lamplight filing identifier",
    );

    // Back to normal, through the worklist's button (the banner's action and its form).
    await browser.$("#worklist-return-to-normal").click();
    await browser.$('#mode-form[data-action="return_to_normal"]').waitForDisplayed({ timeout: WAIT_MS });
    await browser.$("#mode-by").setValue("Ruth Adeyemi");
    await browser.$("#mode-submit").click();
    await browser.$("#mode-banner[data-mode='normal']").waitForExist({ timeout: WAIT_MS });
    await browser.$("#worklist").waitForExist({ reverse: true, timeout: WAIT_MS, timeoutMsg: "the worklist stayed open in normal mode" });
  }));

/** London wall-clock `YYYY-MM-DD HH:MM` of an instant (as the worklist's form writes times). */
function londonMinute(instant) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** `YYYY-MM-DD HH:MM` moved `minutes` on the wall clock (no clock change in a few minutes). */
function wallClockPlus(text, minutes) {
  const at = new Date(`${text.replace(" ", "T")}:00Z`);
  return new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 16).replace("T", " ");
}

/** Gives one dose from the drug chart of a patient on the board (due now, overdue, or when
 *  required); returns { patientId, entryId }. */
async function giveADose() {
  const ids = await browser.execute(() =>
    Array.from(document.querySelectorAll("#ward-board tr[data-patient-id]"))
      .sort((a, b) => Number(!a.querySelector('[data-testid="due-medicine"]')) - Number(!b.querySelector('[data-testid="due-medicine"]')))
      .map((r) => r.dataset.patientId),
  );
  for (const patientId of ids.slice(0, 8)) {
    if (!(await shown("#ward-board")) && (await shown("#back-to-board"))) await browser.$("#back-to-board").click();
    const row = await browser.$(`#ward-board tr[data-patient-id="${patientId}"]`);
    await row.waitForExist({ timeout: WAIT_MS });
    await row.$('[data-testid="patient-name"]').click();
    await browser.$("#open-drug-chart").waitForDisplayed({ timeout: WAIT_MS });
    await browser.$("#open-drug-chart").click();
    await browser.$("#drug-chart-form").waitForDisplayed({ timeout: WAIT_MS });
    // The test moves the given time 7 minutes earlier, and a dose for a box may be given from an
    // hour before it is due (lamplight_model::medication::COVER_BEFORE): a box due more than 50
    // minutes from now would refuse the correction, so only nearer boxes (or when-required doses)
    // are taken. (CI once gave a 03:00 dose at 02:05, and the edit to 01:58 was rightly refused.)
    let target = null;
    for (const selector of [
      '#drug-chart-form button.dose-cell[data-state="overdue"]',
      '#drug-chart-form button.dose-cell[data-state="due_now"]',
      "#drug-chart-form button.prn-give",
    ]) {
      for (const found of await browser.$$(selector)) {
        const due = await found.getAttribute("data-due-at");
        if (!due || Date.parse(due) - Date.now() <= 50 * 60_000) {
          target = found;
          break;
        }
      }
      if (target) break;
    }
    if (!target) {
      await browser.$("#back-to-board").click();
      continue;
    }
    const before = (await shown("#entry-saved")) ? await browser.$("#entry-saved").getAttribute("data-entry-id") : null;
    await target.click();
    await browser.$("#dose-dialog").waitForDisplayed({ timeout: WAIT_MS });
    if (await shown("#dose-checked-by")) await browser.$("#dose-checked-by").setValue("Jo Bloggs");
    await browser.$("#dose-given").click();
    let entryId = null;
    await browser.waitUntil(
      async () => {
        if (await shown("#confirm-warning")) {
          console.log(`warning gone past on giving the dose: ${await browser.$("#confirm-warning").getText()}`);
          await browser.$("#confirm-warning-go").click();
          return false;
        }
        if (await shown("#entry-error")) throw new Error(`the dose was refused: ${await browser.$("#entry-error").getText()}`);
        const saved = await browser.$("#entry-saved[data-entry-id]");
        if ((await saved.isExisting()) && (await saved.getAttribute("data-entry-id")) !== before) {
          entryId = await saved.getAttribute("data-entry-id");
          return true;
        }
        return false;
      },
      { timeout: WAIT_MS, interval: 100, timeoutMsg: "the dose was never saved (no new #entry-saved)" },
    );
    if (await shown("#dose-dialog")) await browser.$("#dose-cancel").click();
    await browser.$("#back-to-board").click();
    return { patientId, entryId };
  }
  throw new Error("no patient among the first 8 on the board has a dose due, overdue or when required");
}

test("recovery: a dose's time corrected in the worklist's editor is what the EPR gets, filed once", () =>
  guarded("reconcile-edit", async () => {
    assert.ok(browser, "the first test opened the window");
    await browser.$("#mode-banner[data-mode='normal']").waitForExist({ timeout: WAIT_MS });
    await changeMode("declare_downtime", "Ruth Adeyemi", "EPR down again for the second part of the upgrade");
    await browser.$("#mode-banner[data-mode='downtime']").waitForExist({ timeout: WAIT_MS });
    await signIn(browser, NURSE);
    await browser.$("#ward-board tr[data-patient-id]").waitForExist({ timeout: WAIT_MS });
    const dose = await giveADose();
    assert.ok(dose.entryId, "the dose was saved with an entry id");

    await browser.$("#epr-state[data-state='answering']").waitForExist({ timeout: WAIT_MS });
    await changeMode("start_recovery", "Ruth Adeyemi");
    await browser.$("#mode-banner[data-mode='recovery']").waitForExist({ timeout: WAIT_MS });
    await browser.$("#open-worklist").click();
    if (await shown("#sign-in-name")) await signIn(browser, NURSE);
    await browser.$("#worklist").waitForDisplayed({ timeout: WAIT_MS });
    const entry = `.worklist-entry[data-entry-id="${dose.entryId}"]`;
    await browser.waitUntil(
      async () => (await browser.$("#worklist-counts").isExisting()) || (await shown("#worklist-error")),
      { timeout: WAIT_MS, timeoutMsg: "the worklist never showed its counts" },
    );
    if (await shown("#worklist-error")) assert.fail(`the worklist could not be read: ${await browser.$("#worklist-error").getText()}`);
    if (!(await browser.$(entry).isExisting())) await browser.$("#worklist-only-open").click();
    await browser.$(entry).waitForExist({ timeout: WAIT_MS, timeoutMsg: `the dose ${dose.entryId} is not in the worklist` });
    console.log(`the dose in the worklist: ${await browser.$(entry).getAttribute("data-outcome")}`);

    const atBefore = await browser.$(`${entry} .at`).getText();
    // The editor: the time as the form has it, moved 7 minutes earlier, saved.
    await browser.$(`${entry} button.decide-edit`).click();
    const time = await browser.$(`${entry} form.edit-form #edit-time`);
    await time.waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: "the editor did not open with a time" });
    const recorded = await time.getValue();
    assert.match(recorded, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, `the form's time is a London date and time: ${recorded}`);
    const corrected = wallClockPlus(recorded, -7);
    await time.setValue(corrected);
    await browser.$(`${entry} button.edit-save`).click();
    await browser.waitUntil(
      async () => {
        if (await shown(`${entry} .edit-warning`)) {
          console.log(`warning confirmed on the edit: ${await browser.$(`${entry} .edit-warning`).getText()}`);
          await browser.$(`${entry} button.edit-confirm`).click();
          return false;
        }
        if (await shown(`${entry} .edit-error`)) throw new Error(`the edit was refused: ${await browser.$(`${entry} .edit-error`).getText()}`);
        return (await shown(`${entry} .was-text`)) || (await shown("#worklist-error"));
      },
      { timeout: WAIT_MS, interval: 100, timeoutMsg: "the edit never showed as kept (.was-text)" },
    );
    if (await shown("#worklist-error")) assert.fail(`the edit failed: ${await browser.$("#worklist-error").getText()}`);
    assert.match(await browser.$(`${entry} .text`).getText(), /Will be filed as edited/, "the row says the edit will be filed");
    assert.match(await browser.$(`${entry} .was-text`).getText(), /^Recorded as: /, "and what was recorded");
    assert.match(await browser.$("#worklist-saved").getText(), /will be filed as edited/, "the status line says so");
    assert.equal(await browser.$(`${entry}`).getAttribute("data-outcome"), "ready", "the edited dose is ready to file");
    assert.ok(
      (await browser.$(`${entry} .at`).getText()).startsWith(corrected.slice(11)),
      "the row's time is the one that will be filed, the edit's",
    );
    console.log(`the row's time: ${atBefore} before the edit, ${await browser.$(`${entry} .at`).getText()} after (recorded ${recorded}, corrected ${corrected})`);

    // Filed: the EPR holds exactly one administration from Lamplight, at the corrected time.
    await browser.$("#worklist-file-ready").click();
    await browser.waitUntil(
      async () => (await browser.$(`${entry}[data-outcome="filed"]`).isExisting()) || (await shown("#worklist-error")),
      { timeout: WAIT_MS, interval: 100, timeoutMsg: `the dose ${dose.entryId} never showed as filed` },
    );
    if (await shown("#worklist-error")) assert.fail(`filing failed: ${await browser.$("#worklist-error").getText()}`);
    const query = new URLSearchParams({ identifier: `${FILING_ID_SYSTEM}|`, _count: "100" });
    const found = await fhir(`/MedicationAdministration?${query}`);
    const filed = (found.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === "MedicationAdministration");
    assert.equal(filed.length, 1, `exactly one MedicationAdministration filed for the dose: ${JSON.stringify(filed.map((r) => r.id))}`);
    assert.equal(filed[0].subject?.reference, `Patient/${dose.patientId}`, "filed for the patient given the dose");
    assert.ok(filed[0].effectiveDateTime, `the administration has an effectiveDateTime: ${JSON.stringify(filed[0])}`);
    assert.equal(
      londonMinute(filed[0].effectiveDateTime),
      corrected,
      `the EPR has the corrected time ${corrected}, not the one first recorded (${recorded}): ${filed[0].effectiveDateTime}`,
    );
    console.log(`filed: MedicationAdministration/${filed[0].id} effectiveDateTime ${filed[0].effectiveDateTime} (corrected ${corrected} London)`);
  }));
