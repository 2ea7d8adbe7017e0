// Nested routes, deep links, the back button and page titles, with the network off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, waitForServiceWorker, smallTapTargets, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";

test("nested job screens work offline by deep link, tabs and the back button", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    const listTitle = await app.page.title();
    await waitForServiceWorker(app.page);
    await app.goOffline();

    // A deep link straight into a nested screen, never visited before, offline.
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1004", "log");
    assert.equal(await app.page.locator(".ds-empty").textContent(), "本机还没有此工单的记录");
    assert.equal(await job.tab("记录").getAttribute("aria-current"), "page");
    assert.notEqual(await app.page.title(), listTitle, "each route has its own title");
    assert.match(await app.page.title(), /J-1004/);
    assert.deepEqual(await smallTapTargets(app.page), []);
    await app.page.screenshot({ path: `${OUT}job-log-empty.png` });

    // The overview tab, record the call, then the records tab lists it.
    await job.tab("概况").click();
    await app.page.waitForURL(/\/job\/J-1004$/);
    await job.loaded();
    await job.confirm("明早九点半到");
    await job.tab("记录").click();
    await app.page.waitForURL(/\/job\/J-1004\/log$/);
    await job.logItems().first().waitFor();
    assert.equal(await job.logItems().count(), 1);
    assert.match(await job.logItems().first().textContent(), /电话确认.*明早九点半到/s);

    // Back goes to the overview, back again to the list.
    await app.page.goBack();
    await app.page.waitForURL(/\/job\/J-1004$/);
    await job.loaded();
    assert.equal(await job.status(), "Confirmed");
    await app.page.goBack();
    await app.page.goBack();
    await today.loaded();

    // Reload of a nested route offline, and an unknown path.
    await app.page.goto(`${app.base}/job/J-1004/log`);
    await job.logItems().first().waitFor();
    await app.page.goto(`${app.base}/no/such/page`);
    await app.page.locator(".ds-empty", { hasText: "页面不存在" }).waitFor();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("a job card opens its job inside the app, and the loading line is gone once it runs", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    assert.equal(await app.page.locator("#ds-splash").count(), 0, "index.html's loading line is replaced by the app");
    assert.equal(await today.heading(), "我的工单");
    // A plain link the router follows: the same document, no page load.
    await app.page.evaluate(() => (window.__sameDocument = true));
    const id = await app.page.locator(".ds-job-card").first().getAttribute("data-job");
    await today.openJob(id);
    await app.page.waitForURL(new RegExp(`/job/${id}$`));
    await new JobPage(app.page, app.base).loaded();
    assert.equal(await app.page.evaluate(() => window.__sameDocument), true, "opened without reloading the page");
    // The bottom nav (mounted a task after the page) is there and leads back.
    await app.page.locator(`.ds-bottom-nav a[href="/"]`).click();
    await today.loaded();
    assert.equal(await app.page.evaluate(() => window.__sameDocument), true);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
