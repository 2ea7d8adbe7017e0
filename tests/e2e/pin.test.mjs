// The device PIN: easy or mistyped PINs are refused in plain words; a good one is kept only
// as a salted hash (its digits appear nowhere in the device's storage).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, indexedDbText } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { SettingsPage } from "./pages/settings.mjs";

test("setting the device PIN keeps only a salted hash", async () => {
  const app = await startApp();
  try {
    await new TodayPage(app.page, app.base).goto();
    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    await app.page.waitForFunction(() => document.querySelector("[data-pin-set]")?.dataset.pinSet === "Some(false)");
    assert.equal(await settings.setPin("123456"), "PIN 太容易被猜到（如 111111、123456），请换一个");
    assert.equal(await settings.setPin("4802"), "PIN 须为 6 位数字");
    assert.equal(await settings.setPin("480275", "480276"), "两次输入的 PIN 不一致");
    assert.equal(await settings.setPin("480275"), "PIN 已保存");
    await app.page.waitForFunction(() => document.querySelector("[data-pin-set]")?.dataset.pinSet === "Some(true)");
    assert.equal(await app.page.locator('[data-pin=""] [data-pin-input="1"]').inputValue(), "", "the entry is cleared");
    const stored = await indexedDbText(app.page);
    assert.match(stored, /\\"hash\\":\\"[0-9a-f]{64}\\",\\"rounds\\":60000,\\"salt\\":\\"[0-9a-f]{32}\\"/);
    assert.doesNotMatch(stored, /480275/);
    assert.doesNotMatch(JSON.stringify(await app.page.evaluate(() => ({ ...localStorage }))), /480275/);
    // Still set after a reload.
    await settings.goto();
    await app.page.waitForFunction(() => document.querySelector("[data-pin-set]")?.dataset.pinSet === "Some(true)");
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
