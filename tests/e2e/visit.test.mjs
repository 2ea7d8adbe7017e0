// The visit on the phone, offline: each stage's checklist, gates that say what is missing,
// the closing steps, exactly-once taps, and reopening the app on the step the worker was on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, waitForServiceWorker, smallTapTargets, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";
import { VisitPage } from "./pages/visit.mjs";

test("a visit stage by stage, offline; reopening lands on the step", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    await waitForServiceWorker(app.page);
    await app.goOffline();

    // From the job's overview to its first stage.
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1001");
    await app.page.locator('[data-action="continue"]').click();
    const visit = new VisitPage(app.page, app.base);
    await visit.loaded("depart");
    assert.equal(new URL(app.page.url()).pathname, "/job/J-1001/depart");
    assert.equal(await visit.current(), "depart");
    // Nothing ticked: leaving is refused, and the gate says what is missing.
    assert.equal(await visit.closingStep().isDisabled(), true);
    assert.match(await visit.gate(), /^暂不能出发：还有 11 项未完成$/);
    assert.deepEqual(await smallTapTargets(app.page), []);
    await app.page.screenshot({ path: `${OUT}visit-depart.png` });

    // Five taps within 300 ms on one item record one tick.
    await app.page.evaluate(() => {
      const b = document.querySelector('.ds-check[data-item="pre.uniform"]');
      for (let i = 0; i < 5; i++) b.click();
    });
    await app.page.locator('.ds-check[data-item="pre.uniform"][aria-checked="true"]').waitFor();
    await visit.tickRequired();
    // The list is done, but the kit taken is not recorded yet.
    assert.equal(await visit.closingStep().isDisabled(), true);
    assert.equal(await visit.gate(), "请先清点并记录所带工具");
    await visit.kitCard().click();
    await app.page.locator('[data-action="kit-out"]').waitFor();
    assert.equal(await visit.count("rag"), "6", "prefilled with the kit's count");
    await visit.less("rag");
    await visit.less("rag");
    assert.equal(await visit.kitStatus(), "工具不全：抹布 应带 6，实带 4");
    await visit.more("rag");
    await visit.more("rag");
    assert.equal(await visit.kitStatus(), "全队工具齐全");
    await app.page.screenshot({ path: `${OUT}visit-kit.png` });
    await app.page.locator('[data-action="kit-out"]').click();
    await visit.loaded("depart");
    // The stage screen may show before the saved kit is read back: wait for it, not a snapshot.
    await app.page.locator('[data-kit-card="done"]').waitFor({ timeout: 10_000 });
    assert.equal(await visit.closingStep().isDisabled(), false);
    // Five taps on "leave" record one departure, and the arrival stage opens.
    await app.page.evaluate(() => {
      const b = document.querySelector('[data-action="milestone"]');
      for (let i = 0; i < 5; i++) b.click();
    });
    await visit.loaded("arrive");
    assert.equal(await visit.current(), "arrive");

    // Two arrival items, then the app is closed and opened again at its start page.
    await visit.toggle("arr.knock");
    await visit.toggle("arr.greet");
    await visit.toggle("arr.greet"); // un-ticked again: a new step, the latest counts
    const page2 = await app.context.newPage();
    await app.page.close();
    app.page = page2;
    page2.on("pageerror", (e) => app.errors.push(String(e)));
    await page2.goto(`${app.base}/`);
    const again = new VisitPage(page2, app.base);
    await again.loaded("arrive");
    assert.equal(new URL(page2.url()).pathname, "/job/J-1001/arrive");
    assert.deepEqual(await again.ticked(), ["arr.knock"]);

    // The rest of the way to the after-service stage.
    await again.tickRequired();
    await again.close("service");
    await again.tickRequired();
    await again.close("after");
    assert.equal(await again.current(), "after");
    assert.equal(await again.gate(), "暂不能请客户签字，尚未完成：提醒客户检查贵重物品；向客户展示工具箱内物品");
    await again.toggle("after.remind_valuables");
    await again.toggle("after.show_toolbox");
    assert.equal(await again.gate(), "请先当着客户的面清点工具");
    // The count back, turned to the customer: one rag short, the mop broken.
    await again.kitCard().click();
    await page2.locator('[data-customer-facing="kit"] [data-action="kit-in"]').waitFor();
    assert.equal(await again.count("D001-rag-good"), "6");
    await again.less("D001-rag-good");
    await again.less("D001-mop-good");
    await again.more("D001-mop-damaged");
    await page2.locator('[data-action="kit-in"]').click();
    await page2.locator("[data-incidents]").waitFor();
    assert.deepEqual(await page2.locator("[data-incident]").allTextContents(), ["拖把 损坏 ×1，责任人 D001", "缺少 抹布 ×1，责任人 D001"]);
    assert.deepEqual(await smallTapTargets(page2), []);
    await page2.screenshot({ path: `${OUT}visit-kit-return.png` });
    await again.goto("J-1001", "after");
    assert.equal(await again.gate(), "请先按标准价目表确认收费");
    // The charge: a lower amount needs a reason and an approver; poor quality is borne by a worker.
    await page2.locator("[data-charge-card]").click();
    const quote = Number(await page2.locator("[data-quote]").getAttribute("data-quote"));
    assert.ok(quote > 0);
    await page2.locator('[data-action="charge-differs"]').click();
    await page2.locator("[data-charge-amount]").fill("12,5");
    await page2.locator('[data-action="charge-deviation"]').click();
    await page2.getByText("请输入金额，如 128 或 128.50").waitFor();
    const less = ((quote - 5000) / 100).toFixed(2);
    await page2.locator("[data-charge-amount]").fill(less);
    await page2.locator("[data-charge-reason]").fill("厨房油污未清干净 <script>alert(1)</script>");
    await page2.locator('[data-action="charge-deviation"]').click();
    await page2.getByText("差额说明缺少批准人").waitFor();
    await page2.locator("[data-charge-approver]").fill("王主管");
    await page2.locator("[data-charge-cause]").selectOption("D001");
    await page2.locator('[data-action="charge-deviation"]').click();
    await page2.locator("[data-charge-recorded]").waitFor();
    assert.equal(await page2.locator("[data-charge-recorded]").getAttribute("data-flagged"), "true");
    assert.match(await page2.locator("[data-liability]").textContent(), /^D001 承担质量差额 ¥50\.00$/);
    assert.equal(await page2.locator("script").filter({ hasText: "alert(1)" }).count(), 0, "hostile text stays text");
    await page2.screenshot({ path: `${OUT}visit-charge.png` });
    await again.goto("J-1001", "after");
    assert.equal(await page2.locator(".ds-actions .ds-gate").count(), 0, "the signature gate is open");
    await page2.screenshot({ path: `${OUT}visit-after.png` });

    // A done stage is read-only; the overview says the job is in progress.
    await again.goto("J-1001", "depart");
    assert.equal(await again.item("pre.uniform").isDisabled(), true);
    const overview = new JobPage(page2, app.base);
    await overview.goto("J-1001");
    assert.equal(await overview.status(), "InProgress");
    assert.equal(await page2.locator(".ds-progress__stage[aria-current=step]").getAttribute("data-stage"), "after");
    // The records: one tick of the uniform, one departure, despite the repeated taps.
    await overview.goto("J-1001", "log");
    const log = await overview.logItems().allTextContents();
    assert.equal(log.filter((l) => l.includes("穿着统一工作服")).length, 1, log.join("\n"));
    assert.equal(log.filter((l) => l.startsWith("出发")).length, 1, log.join("\n"));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
