// What a worker records survives a reload, hostile text stays inert and intact, and the
// privacy rule hides addresses that are not yet due.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, smallTapTargets, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";
import { SettingsPage } from "./pages/settings.mjs";

const HOSTILE = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> 客户要求‮反向‬ 🧽🧹 ${"长".repeat(300)}`;

test("a confirmation written before a reload is there after it", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    await today.openJob("J-1001");
    const job = new JobPage(app.page, app.base);
    await job.loaded();
    assert.equal(await job.status(), "Assigned");
    assert.deepEqual(await smallTapTargets(app.page), []);
    await app.page.screenshot({ path: `${OUT}job-zh.png` });
    await job.confirm(HOSTILE);

    await app.page.reload();
    await job.loaded();
    assert.equal(await job.status(), "Confirmed");
    const text = await job.confirmation();
    assert.ok(text.includes(HOSTILE), "the note comes back exactly as typed");
    assert.equal(await app.page.evaluate(() => window.__xss), undefined, "hostile text did not run");
    assert.equal(await app.page.locator(".ds-job img").count(), 0, "hostile markup was not parsed");
    assert.equal(await job.primaryButton().count(), 0, "a recorded call cannot be recorded again");
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("language switch to English is remembered; other worker sees their own jobs", async () => {
  const app = await startApp();
  try {
    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    await settings.chooseLanguage("English");
    await settings.switchWorker("D003");
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    assert.equal(await today.heading(), "My jobs");
    assert.equal(await app.page.getAttribute("html", "lang"), "en");
    assert.deepEqual(await today.jobIds(0), []);
    assert.deepEqual(await today.jobIds(1), ["J-1005"]);
    await app.page.screenshot({ path: `${OUT}today-en.png` });
    // Another worker's job is not shown to D003, even by a direct link.
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1001");
    assert.equal(await app.page.locator(".ds-job").count(), 0);
    assert.match(await app.page.locator(".ds-error").textContent(), /J-1001/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("a job two days out shows the district but not yet the address or phone", async () => {
  const app = await startApp();
  try {
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1002");
    assert.match(await job.address(), /张杨路 88 弄/);
    assert.equal(await app.page.locator(".ds-tel").count(), 1);
    await job.goto("J-1007");
    assert.equal(await job.address(), "服务前一天起显示详细地址");
    assert.equal(await app.page.locator(".ds-tel").count(), 0);
    assert.equal(await app.page.locator(".ds-job").textContent().then((t) => t.includes("赵先生")), false, "the name is masked");
    assert.match(await app.page.locator(".ds-job").textContent(), /赵\*\*/);
    assert.match(await app.page.locator(".ds-job").textContent(), /浦东新区/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
