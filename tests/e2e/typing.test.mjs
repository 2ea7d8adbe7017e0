// A write elsewhere (another tab here; sync later) refreshes what it touches and never
// resets a note being typed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";

test("a document written by another tab leaves the note being typed", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    await today.openJob("J-1004");
    const job = new JobPage(app.page, app.base);
    await job.loaded();
    await job.noteInput().click();
    await app.page.keyboard.type("客户要求周六上午");

    // The other tab records the call of J-1001.
    const other = await app.context.newPage();
    const otherJob = new JobPage(other, app.base);
    await otherJob.goto("J-1001");
    await otherJob.confirm("来自另一个标签页");
    await other.close();

    // This tab learned of it (the list shows J-1001 confirmed once we go there) while the
    // note, its caret and focus stayed as they were.
    await app.page.keyboard.type("，带梯子");
    assert.equal(await job.noteInput().inputValue(), "客户要求周六上午，带梯子");
    assert.equal(await app.page.evaluate(() => document.activeElement?.tagName), "TEXTAREA");
    await app.page.goBack();
    await today.loaded();
    await app.page.locator('.ds-job-card[data-job="J-1001"] [data-status="Confirmed"]').waitFor({ timeout: 5000 });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
