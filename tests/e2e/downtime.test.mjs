// The issue's "done when", in the real window on a real sealed vault with a roster and a ward
// folder: a nurse signs in with the roster (a wrong PIN is refused), opens a patient and their drug
// chart, a scanned wristband of another patient stops the entry, a dose is given and saved, a set
// of observations shows its NEWS2 before it is saved; after a restart both are still there. A
// second PC sharing the ward folder (the real `lamplight` command line as PC2) sees the dose within
// 5 s, and the window sees PC2's entry within 5 s. And a benchmark, not an assertion: press to
// "saved" on screen, 20 times, written to target/bench/given-to-saved.json.
//
// Every id used is one the UI's components give (ui/src; their vitest tests pin them).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { fullView, openApp, signIn, waitForText, WAIT_MS, withFailureShot } from "./session.mjs";

const cli = process.env.LAMPLIGHT_CLI;
const here = dirname(fileURLToPath(import.meta.url));
const WARD = "WD8";
const NURSE = { name: "Sam Jones", pin: "4829" };
/** How soon the other PC must see an entry (the issue's promise). */
const PEER_MS = 5_000;

let dir;
let browser;
/** The patient the tests record for, and what was recorded. */
const chosen = { patientId: null, name: null, nhsDigits: null, otherNhsDigits: null };
const recorded = { doseId: null, doseOrder: null, doseDueAt: null, obsId: null, doseMs: null, obsMs: null };

function lamplight(args, input) {
  return execFileSync(cli, args, {
    encoding: "utf8",
    input,
    stdio: [input == null ? "ignore" : "pipe", "pipe", "pipe"],
  }).trim();
}

const vault = (pc) => join(dir, `vault-${pc}`);
const appArgs = () => [
  "--vault", vault("PC1"), "--identity", join(dir, "ward.key"), "--ward", WARD,
  "--pc", "PC1", "--ward-folder", join(dir, "ward-folder"),
];
/** PC2 reading the ward folder as its station does: the ids it sees. */
function pc2Sees() {
  const out = lamplight([
    "journal", "--vault", vault("PC2"), "--identity", join(dir, "ward.key"),
    "--pc", "PC2", "--ward-folder", join(dir, "ward-folder"), "--json",
  ]);
  return JSON.parse(out).map((row) => row.id);
}

before(() => {
  assert.ok(cli, "LAMPLIGHT_CLI is not set: run this through tests/e2e/run.sh");
  dir = mkdtempSync(join(tmpdir(), "lamplight-e2e-downtime-"));
  // The snapshot ten hours old (an outage that long): doses have fallen due since, whatever the
  // hour the test runs at (the night's rounds are eight hours apart).
  const at = new Date(Date.now() - 10 * 3600_000).toISOString().slice(0, 16) + ":00Z";
  lamplight(["demo", "--beds", "56", "--seed", "5", "--at", at, "--out", join(dir, "site.json")]);
  const recipient = lamplight(["keygen", "--out", join(dir, "ward.key")]);
  // Two PCs of the same ward: each its own vault (the same ward key), one shared ward folder.
  for (const pc of ["PC1", "PC2"]) {
    lamplight(["stage", "--from", join(dir, "site.json"), "--recipient", recipient, "--vault", vault(pc), "--ward", WARD]);
  }
  lamplight(
    ["roster", "add", "--vault", vault("PC1"), "--identity", join(dir, "ward.key"),
      "--name", NURSE.name, "--role", "nurse", "--ward", WARD],
    `${NURSE.pin}\n`,
  );
  mkdirSync(join(dir, "ward-folder"));
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const guarded = (name, body) => withFailureShot(() => browser, name, body);

const shown = async (selector) => {
  const element = await browser.$(selector);
  return (await element.isExisting()) && (await element.isDisplayed());
};

/** Back to the board from wherever the window is (Escape closes a form, then the patient). */
async function toBoard() {
  for (let i = 0; i < 4 && !(await shown("#ward-board")); i++) {
    await browser.keys("Escape");
    await browser.pause(200);
  }
  await browser.$('#ward-board [data-testid="patient-name"]').waitForExist({ timeout: WAIT_MS });
}

/** Opens a patient from the board by id (or by the row's bed label). */
async function openPatient({ patientId, bedLabel }) {
  await toBoard();
  const row = patientId
    ? await browser.$(`#ward-board tr[data-patient-id="${patientId}"]`)
    : await browser.$(`//tr[td[contains(@class,"bed")]/span[contains(@class,"bed-label") and normalize-space()="${bedLabel}"]]`);
  await row.waitForExist({ timeout: WAIT_MS, timeoutMsg: `no board row for ${patientId ?? `bed ${bedLabel}`}` });
  await row.$('[data-testid="patient-name"]').click();
  await browser.$("#patient-view").waitForExist({ timeout: WAIT_MS });
  return row;
}

/** Clicks `button` (an #open-… action of the patient view) unless `form` is already open. */
async function openForm(button, form) {
  if (await shown(form)) return;
  if (!(await shown(button))) await openPatient({ patientId: chosen.patientId });
  await browser.$(button).click();
  await browser.$(form).waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: `${button} did not open ${form}` });
}

async function savedId() {
  const saved = await browser.$("#entry-saved");
  return (await saved.isExisting()) ? saved.getAttribute("data-entry-id") : null;
}

/**
 * Waits for the outcome of a save pressed after `previous` was the last saved id: a warning to go
 * past (confirmed once), a new `#entry-saved`, or an `#entry-error`. Returns { id, ms, text } or
 * { error, code }.
 */
async function outcome(previous, { confirm = true } = {}) {
  let result = null;
  await browser.waitUntil(
    async () => {
      if (confirm && (await shown("#confirm-warning"))) {
        console.log(`warning gone past: ${await browser.$("#confirm-warning").getText()}`);
        await browser.$("#confirm-warning-go").click();
        return false;
      }
      const id = await savedId();
      if (id && id !== previous && (await shown("#entry-saved"))) {
        const saved = await browser.$("#entry-saved");
        result = { id, ms: Number(await saved.getAttribute("data-saved-ms")), text: await saved.getText() };
        return true;
      }
      if (await shown("#entry-error")) {
        const error = await browser.$("#entry-error");
        result = { error: await error.getText(), code: await error.getAttribute("data-code") };
        return true;
      }
      return false;
    },
    { timeout: WAIT_MS, interval: 50, timeoutMsg: "neither #entry-saved (a new data-entry-id) nor #entry-error appeared" },
  );
  return result;
}

/** The cell to give: due now, else overdue (a late dose fills its own box); in a regular row when
 *  there is one. An upcoming dose more than an hour ahead is not due yet, and the station says so. */
async function doseCell() {
  for (const state of ["due_now", "overdue"]) {
    for (const kind of ['[data-kind="regular"]', ""]) {
      const cells = await browser.$$(`#drug-chart-form .chart-row${kind} button.dose-cell[data-state="${state}"]`);
      if (cells.length > 0) return cells[0];
    }
  }
  throw new Error("the drug chart has no dose that is due now or overdue");
}

async function scan(digits) {
  const input = await browser.$("#scan-wristband");
  await input.waitForExist({ timeout: WAIT_MS, timeoutMsg: "no #scan-wristband on the drug chart" });
  await input.setValue(digits);
  await browser.keys("Enter");
}

test("roster sign-in on a ward PC: a wrong PIN is refused, the right one signs the nurse in", () =>
  guarded("downtime-sign-in", async () => {
    browser = await openApp(appArgs());
    await waitForText(browser, "#data-age-banner", /Snapshot generation 1/, "banner");
    await browser.$('#ward-board [data-testid="patient-name"]').waitForExist({ timeout: WAIT_MS });
    const refusal = await signIn(browser, { name: NURSE.name, pin: "9157", expectError: true });
    assert.ok(refusal.length > 0, "a wrong PIN says why it was refused");
    assert.ok(!(await shown("#session-user")), "nobody is signed in after a wrong PIN");
    assert.ok(!(await shown("#emergency-name")), "a PC with a roster offers no emergency sign-in");
    const user = await signIn(browser, NURSE);
    assert.match(user, /Sam Jones/, "the banner names who is signed in");
  }));

test("a scanned wristband of another patient stops the entry; a dose given is saved and PC2 sees it within 5 s", () =>
  guarded("downtime-dose", async () => {
    // The full view (NHS numbers are not on the compact one), whatever this profile remembered.
    await fullView(browser);
    // A patient with a medicine due (not overdue when there is one), and another patient's wristband.
    const pick = await browser.execute(() => {
      const rows = Array.from(document.querySelectorAll('#ward-board tr[data-patient-id]'));
      const digits = (r) => r.querySelector('[data-testid="nhs-number"]')?.textContent?.replace(/\D/g, "") ?? "";
      const withNhs = rows.filter((r) => digits(r).length === 10);
      const due = (r, overdue) => r.querySelector(`[data-testid="due-medicine"]${overdue ? "" : '[data-overdue="false"]'}`);
      const row = withNhs.find((r) => due(r, false)) ?? withNhs.find((r) => due(r, true)) ?? withNhs[0];
      const other = withNhs.find((r) => r !== row);
      return {
        patientId: row?.dataset.patientId,
        name: row?.querySelector('[data-testid="patient-name"]')?.textContent,
        nhsDigits: row ? digits(row) : null,
        otherNhsDigits: other ? digits(other) : null,
      };
    });
    assert.ok(pick.patientId && pick.otherNhsDigits, `two patients with NHS numbers on the board: ${JSON.stringify(pick)}`);
    Object.assign(chosen, pick);

    await openPatient({ patientId: chosen.patientId });
    await openForm("#open-drug-chart", "#drug-chart-form");
    assert.ok(await shown("#form-allergies"), "the allergies are on the form");

    // Another patient's wristband: a big STOP, and nothing can be saved.
    await scan(chosen.otherNhsDigits);
    await browser.$('#scan-result[data-state="mismatch"]').waitForExist({ timeout: WAIT_MS, timeoutMsg: "no mismatch shown" });
    const before = await savedId();
    await (await doseCell()).click();
    const given = await browser.$("#dose-given");
    if ((await given.isExisting()) && (await given.isDisplayed()) && (await given.isEnabled())) {
      if (await shown("#dose-checked-by")) await browser.$("#dose-checked-by").setValue("Jo Bloggs");
      await given.click();
      // Refused by the window or the station; a warning is never gone past here.
      const blocked = await browser
        .waitUntil(async () => (await savedId()) !== before || (await shown("#entry-error")), { timeout: 3_000 })
        .catch(() => false);
      assert.equal(await savedId(), before, "nothing may be saved after another patient's wristband was scanned");
      if (blocked && (await shown("#entry-error"))) {
        assert.equal(await browser.$("#entry-error").getAttribute("data-code"), "wrong_patient");
        console.log(`after another patient's wristband: ${await browser.$("#entry-error").getText()}`);
      } else {
        console.log("after another patient's wristband: Given did nothing (no save, no error)");
      }
    } else {
      console.log("after another patient's wristband: the Given button is not offered");
    }
    // Close the dose dialog (Escape would close the chart too when focus is on the error outside it).
    if (await shown("#dose-dialog")) await browser.$("#dose-cancel").click();
    await browser.$("#drug-chart-form").waitForDisplayed({ timeout: WAIT_MS });

    // The right wristband: confirmed, and the dose is given.
    await scan(chosen.nhsDigits);
    await browser.$('#scan-result[data-state="confirmed"]').waitForExist({ timeout: WAIT_MS, timeoutMsg: "no confirmation shown" });
    const cell = await doseCell();
    recorded.doseDueAt = await cell.getAttribute("data-due-at");
    recorded.doseOrder = await (await cell.$("./ancestor::*[contains(@class,'chart-row')]")).getAttribute("data-order-id");
    await cell.click();
    await browser.$("#dose-dialog").waitForDisplayed({ timeout: WAIT_MS });
    if (await shown("#dose-checked-by")) await browser.$("#dose-checked-by").setValue("Jo Bloggs");
    await browser.$("#dose-given").click();
    const saved = await outcome(before);
    assert.ok(saved.id, `the dose was saved, not refused: ${saved.error} (${saved.code})`);
    recorded.doseId = saved.id;
    recorded.doseMs = saved.ms;
    const savedAt = Date.now();
    assert.match(saved.text, /shared with the ward/, "saved says it is kept in the journal and shared");

    // PC2 (the real command line on its own vault) reads the ward folder until it has the dose.
    let seenAfter = null;
    while (Date.now() - savedAt < PEER_MS + 5_000) {
      if (pc2Sees().includes(saved.id)) {
        seenAfter = Date.now() - savedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`measured: dose saved on PC1 -> seen by PC2 (lamplight journal) in ${seenAfter ?? "never"} ms`);
    assert.ok(seenAfter != null && seenAfter < PEER_MS, `PC2 must see the dose within ${PEER_MS} ms (took ${seenAfter ?? "longer than 10 s"})`);

    const state = await browser
      .$(`#drug-chart-form .chart-row[data-order-id="${recorded.doseOrder}"] button.dose-cell[data-due-at="${recorded.doseDueAt}"]`)
      .getAttribute("data-state");
    assert.equal(state, "given", "the grid shows the dose given at once");
  }));

test("observations show NEWS2 as they are typed, before they are saved", () =>
  guarded("downtime-obs", async () => {
    await openForm("#open-observations", "#obs-form");
    const values = { "#obs-rr": "24", "#obs-spo2": "93", "#obs-systolic": "100", "#obs-diastolic": "60", "#obs-pulse": "115", "#obs-temp": "38.5" };
    for (const [id, value] of Object.entries(values)) await browser.$(id).setValue(value);
    await browser.$("#obs-oxygen").selectByAttribute("value", "air");
    await browser.$("#obs-acvpu").selectByAttribute("value", "alert");
    // RR 24 (2), SpO2 93 on air (2 + 0), systolic 100 (2), pulse 115 (2), alert (0), 38.5 °C (1):
    // 9 on SpO2 scale 1. The patient is the one the dose went to, chosen by what is due at the
    // hour the test runs, and may be on scale 2 (a prescribed target of 88-92%), where 93% on air
    // scores 0: then 7. The form says which scale it used; both are high risk.
    await browser.waitUntil(async () => (await browser.$(".live .scale").isExisting()), {
      timeout: WAIT_MS,
      timeoutMsg: "the live NEWS2 never said which SpO2 scale it used",
    });
    const scale2 = /scale 2/i.test(await browser.$(".live .scale").getText());
    const expected = scale2 ? 7 : 9;
    await waitForText(browser, "#news2-total", new RegExp(`^\\s*${expected}\\b`), `NEWS2 total before saving (SpO2 scale ${scale2 ? 2 : 1})`);
    assert.equal(await browser.$("#news2-band").getAttribute("data-risk"), "high", `${expected} is high risk`);
    const before = await savedId();
    await browser.$("#obs-save").click();
    const saved = await outcome(before);
    assert.ok(saved.id, `the observations were saved: ${saved.error} (${saved.code})`);
    recorded.obsId = saved.id;
    recorded.obsMs = saved.ms;
  }));

test("benchmark: press to saved on screen, 20 entries (BENCH line and target/bench/given-to-saved.json)", () =>
  guarded("downtime-bench", async () => {
    const ms = [];
    let previous = await savedId();
    for (let i = 1; i <= 20; i++) {
      await openForm("#open-note", "#note-text");
      await browser.$("#note-text").setValue(`e2e benchmark note ${i} of 20`);
      await browser.$("#note-save").click();
      const saved = await outcome(previous);
      assert.ok(saved.id, `note ${i} was saved: ${saved.error} (${saved.code})`);
      assert.ok(Number.isFinite(saved.ms) && saved.ms >= 0, `#entry-saved[data-saved-ms] is a number of ms, not ${saved.ms}`);
      ms.push(saved.ms);
      previous = saved.id;
    }
    const sorted = [...ms].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    const median = (sorted[9] + sorted[10]) / 2;
    const p90 = at(0.9);
    console.log(`BENCH given-to-saved median=${median.toFixed(1)} ms p90=${p90.toFixed(1)} ms n=${ms.length}`);
    console.log(`measured: the one dose given -> saved ${recorded.doseMs} ms; the observations -> saved ${recorded.obsMs} ms`);
    const out = join(here, "../../target/bench");
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, "given-to-saved.json"),
      `${JSON.stringify(
        {
          what: "nursing note: Save pressed -> saved drawn on screen (in the page: #entry-saved[data-saved-ms])",
          n: ms.length,
          median_ms: median,
          p90_ms: p90,
          samples_ms: ms,
          dose_given_ms: recorded.doseMs,
          observations_ms: recorded.obsMs,
          at: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
  }));

/** PC2 records one synthetic entry into `folder` from `pcVault`: { id, kind, bed } (the line's words). */
function pc2Records(pcVault, folder) {
  // Its station puts PC2 into a drill first: every entry is marked as practice.
  const line = lamplight([
    "demo-entries", "--vault", pcVault, "--identity", join(dir, "ward.key"), "--count", "1",
    "--pc", "PC2", "--ward", WARD, "--ward-folder", folder,
  ]);
  const match = /^(\S+) (\S+) \S+ BED (\S+)/.exec(line);
  assert.ok(match, `demo-entries says which bed it recorded for: ${line}`);
  return { id: match[1], kind: match[2], bed: match[3] };
}

test("an entry PC2 records reaches this window within 5 s", () =>
  guarded("downtime-peer", async () => {
    // A rehearsal on copies of PC2's vault and the ward folder says which patient the entry will be
    // for (demo-entries is seeded), so the nurse is already on that patient when PC2 records it and
    // what is measured is the ward folder and the window, not a nurse's clicks.
    cpSync(vault("PC2"), join(dir, "rehearsal-vault"), { recursive: true });
    cpSync(join(dir, "ward-folder"), join(dir, "rehearsal-folder"), { recursive: true });
    const expected = pc2Records(join(dir, "rehearsal-vault"), join(dir, "rehearsal-folder"));
    await openPatient({ bedLabel: expected.bed });
    await browser.$("#downtime-entries").waitForExist({ timeout: WAIT_MS });

    const entry = pc2Records(vault("PC2"), join(dir, "ward-folder"));
    const recordedAt = Date.now();
    if (entry.bed !== expected.bed) {
      console.log(`the rehearsal said bed ${expected.bed}, PC2 recorded for bed ${entry.bed}: opening that one (its time includes the clicks)`);
      await openPatient({ bedLabel: entry.bed });
    }
    await browser.waitUntil(
      async () =>
        browser.execute(
          (id) =>
            Array.from(document.querySelectorAll("#downtime-entries .downtime-entry")).some(
              (e) => e.getAttribute("data-entry-id") === id,
            ),
          entry.id,
        ),
      { timeout: PEER_MS + 10_000, interval: 50, timeoutMsg: `PC2's ${entry.kind} entry ${entry.id} never showed in #downtime-entries` },
    );
    const took = Date.now() - recordedAt;
    console.log(`measured: ${entry.kind} recorded on PC2 (saved, fsync'd) -> shown on the open patient in PC1's window in ${took} ms`);
    assert.ok(took < PEER_MS, `PC2's entry must show within ${PEER_MS} ms, took ${took}`);
    const text = await browser.$(`#downtime-entries .downtime-entry[data-entry-id="${entry.id}"]`).getText();
    assert.match(text, /PC2/, `the entry says the PC it was recorded on: ${text}`);
  }));

test("after a restart on the same vault, the dose and the observations are still there", () =>
  guarded("downtime-restart", async () => {
    assert.ok(recorded.doseId && recorded.obsId, "the earlier tests recorded a dose and observations");
    await browser.deleteSession();
    browser = await openApp(appArgs());
    await browser.$('#ward-board [data-testid="patient-name"]').waitForExist({ timeout: WAIT_MS });
    await signIn(browser, NURSE);
    await openPatient({ patientId: chosen.patientId });

    const entries = await browser.$("#downtime-entries");
    await entries.waitForExist({ timeout: WAIT_MS, timeoutMsg: "no #downtime-entries on the patient" });
    const texts = await browser.$$("#downtime-entries .downtime-entry").map((e) => e.getText());
    const ids = await browser.$$("#downtime-entries .downtime-entry").map((e) => e.getAttribute("data-entry-id"));
    assert.ok(texts.length >= 22, `the dose, the observations and 20 notes are listed: ${texts.length} entries`);
    assert.ok(texts.every((t) => /downtime entry/i.test(t)), "each says it is a downtime entry");
    assert.ok(ids.includes(recorded.doseId), `the dose ${recorded.doseId} is listed (by data-entry-id)`);
    assert.ok(ids.includes(recorded.obsId), `the observations ${recorded.obsId} are listed (by data-entry-id)`);
    assert.ok(texts.some((t) => /Sam Jones/.test(t)), "the entries say who recorded them");

    await browser.$("#open-drug-chart").click();
    await browser.$("#drug-chart-form").waitForDisplayed({ timeout: WAIT_MS });
    const cell = await browser.$(
      `#drug-chart-form .chart-row[data-order-id="${recorded.doseOrder}"] button.dose-cell[data-due-at="${recorded.doseDueAt}"]`,
    );
    await cell.waitForExist({ timeout: WAIT_MS, timeoutMsg: "the dose's cell is not on the chart after the restart" });
    assert.equal(await cell.getAttribute("data-state"), "given", "the dose is still given after the restart");
  }));
