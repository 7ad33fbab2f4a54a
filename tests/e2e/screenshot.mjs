// Saves a picture of the board on the demo ward (for the README): node screenshot.mjs <file.png>
import { failureShot, openApp, screenshot, waitForText } from "./session.mjs";

const file = process.argv[2];
if (!file) throw new Error("usage: node screenshot.mjs <file.png>");
const browser = await openApp();
try {
  await waitForText(browser, '#ward-board [data-testid="ward-bed-count"]', /\d+ beds/, "board");
  await browser.$('#ward-board [data-testid="patient-name"]').waitForExist({ timeout: 30_000 });
  console.log(`saved ${await screenshot(browser, file)}`);
} catch (error) {
  console.error(`screenshot of the window: ${await screenshot(browser, failureShot("readme-screenshot")).catch(() => "none")}`);
  throw error;
} finally {
  await browser.deleteSession().catch(() => {});
}
