// Acceptance and customer mode on the phone, offline: the sign-off chain (worker, team
// supervisor and office supervisor with their own PINs, customer), a failed customer round,
// rework and the second acceptance; customer mode locked across reload, back and a typed
// address, left only with the worker's PIN, the customer's draft surviving a reload; signed
// records verified when opened (a changed byte flagged); hostile text inert.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, waitForServiceWorker, smallTapTargets, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { SettingsPage } from "./pages/settings.mjs";
import { VisitPage } from "./pages/visit.mjs";
import { AcceptPage, CustomerPage, drawOn } from "./pages/accept.mjs";

const JOB = "J-1001";
const WORKER_PIN = "480275";
const HOSTILE = `<img src=x onerror="window.__pwned=1">王女士 <script>window.__pwned=2</script> 😀\u202E\u200Bمرحبا`;

/** Rewrites the stored text of document `id` (both its revisions and its body), bypassing the app. */
async function tamper(page, id, from, to) {
  return page.evaluate(
    async ({ id, from, to }) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("doorstep");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const changed = await new Promise((ok, fail) => {
        const tx = db.transaction("docs", "readwrite");
        const docs = tx.objectStore("docs");
        const get = docs.get(id);
        let n = 0;
        get.onsuccess = () => {
          const rec = get.result;
          if (!rec) return fail(new Error(`no stored document ${id}`));
          const j = rec.j.split(from).join(to);
          const w = rec.w.split(from).join(to);
          n = (j !== rec.j) + (w !== rec.w);
          docs.put({ ...rec, j, w });
        };
        tx.oncomplete = () => ok(n);
        tx.onerror = () => fail(tx.error);
      });
      db.close();
      return changed;
    },
    { id, from, to },
  );
}

test("acceptance with a failed round, rework and customer mode, offline", { timeout: 240_000 }, async () => {
  const app = await startApp();
  const dialogs = [];
  try {
    app.page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss();
    });
    await new TodayPage(app.page, app.base).goto();
    await waitForServiceWorker(app.page);
    await app.goOffline();

    // PINs on this phone: the worker's and the two supervisors' own.
    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    assert.equal(await settings.setPin(WORKER_PIN), "PIN 已保存");
    assert.equal(await settings.setPin("135792", "135792", "team_supervisor"), "PIN 已保存");
    assert.equal(await settings.setPin("246813", "246813", "office_supervisor"), "PIN 已保存");

    const visit = new VisitPage(app.page, app.base);
    const accept = new AcceptPage(app.page, app.base);
    const customer = new CustomerPage(app.page, app.base);
    await visit.toAcceptance(JOB);
    await app.page.locator('[data-next="sign"]').click();
    await accept.loaded();

    // 1. The worker's self-check: an empty pad cannot be submitted.
    await accept.waitAwaiting("WorkerSelfCheck");
    assert.deepEqual(await smallTapTargets(app.page), []);
    await accept.pass();
    assert.equal(await accept.problem(), "请先签名");
    await accept.signOff("[data-sign-off]");
    // 2. The team supervisor, with their own PIN (a wrong one is refused).
    await accept.waitAwaiting("TeamSupervisor");
    await accept.unlock("张主管", "111111");
    assert.equal(await app.page.locator("[data-pin-wrong]").textContent(), "PIN 不正确");
    await accept.unlock("张主管", "135792");
    await app.page.screenshot({ path: `${OUT}accept-supervisor.png` });
    await accept.signOff("[data-sign-off]");
    // 3. The office supervisor.
    await accept.waitAwaiting("OfficeSupervisor");
    await accept.unlock("李主管", "246813");
    await accept.signOff("[data-sign-off]");
    // 4. The customer: the phone is handed over.
    await accept.waitAwaiting("Customer");
    await accept.handOver();
    await customer.loaded();
    assert.equal(customer.path(), `/job/${JOB}/customer`);
    // Everything but the customer's screen is inert and hidden; no phone number shows.
    assert.equal(await app.page.locator(".ds-bottom-nav").getAttribute("inert"), "");
    assert.equal(await app.page.locator(".ds-page-head--job").getAttribute("inert"), "");
    assert.equal(await app.page.locator(".ds-bottom-nav").isVisible(), false);
    const shown = await app.page.locator("[data-customer-mode]").innerText();
    assert.doesNotMatch(shown, /1[3-9]\d{9}/, "no phone number in customer mode");
    assert.match(shown, /D001/, "the worker's badge");
    assert.ok(Number(await app.page.locator("[data-customer-charged]").getAttribute("data-customer-charged")) > 0);
    const small60 = await app.page.evaluate(() =>
      [...document.querySelectorAll('[data-action="customer-pass"], [data-action="customer-fail"], [data-score-n]')]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.width < 60 || r.height < 60).length,
    );
    assert.equal(small60, 0, "the customer's sign and confirm targets are ≥ 60 px");
assert.deepEqual(await smallTapTargets(app.page), []);
    const size = await app.page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("[data-customer-mode]")).fontSize));
    assert.ok(size >= 18, `customer text ${size}px`);

    // The customer starts: hostile name and remarks, a score, one stroke; then a reload.
    await customer.fill({ name: HOSTILE, remarks: `${HOSTILE} ${"长".repeat(1000)}`, score: 2 });
    await customer.sign();
    await app.page.screenshot({ path: `${OUT}customer-mode.png` });
    await app.page.reload();
    await customer.loaded();
    assert.equal(customer.path(), `/job/${JOB}/customer`, "locked across a reload");
    assert.equal(await customer.score(), "Some(2)", "the draft's score survives the reload");
    assert.equal(await customer.strokes(), "1", "the draft's stroke survives the reload");
    assert.equal(await app.page.locator("[data-customer-name]").inputValue(), HOSTILE);
    // The back button and a typed address stay on the customer's screen.
    await app.page.goBack().catch(() => {});
    await app.page.waitForTimeout(300);
    assert.equal(customer.path(), `/job/${JOB}/customer`, "locked against the back button");
    await app.page.goto(`${app.base}/job/${JOB}/depart`);
    await customer.loaded();
    assert.equal(customer.path(), `/job/${JOB}/customer`, "locked against a typed address");
    await app.page.goto(`${app.base}/settings`);
    await customer.loaded();
    assert.equal(customer.path(), `/job/${JOB}/customer`, "settings too");

    // The customer fails the windows (signed); the round's record is sealed.
    await customer.fill({ items: "窗户有水印\n镜子" });
    await customer.notSatisfied();
    await app.page.locator('[data-record][data-verified="ok"]').first().waitFor();
    // Leaving needs the worker's PIN: a wrong one keeps the lock.
    assert.equal(await customer.leave("999999"), `/job/${JOB}/customer`);
    assert.equal(await app.page.locator("[data-pin-wrong]").textContent(), "PIN 不正确");
    assert.equal(await customer.leave(WORKER_PIN), `/job/${JOB}/sign`);
    await accept.loaded();
    assert.equal(await app.page.locator(".ds-bottom-nav").getAttribute("inert"), null, "the worker's screens are back");

    // Rework of every failed item, then the second acceptance: the customer alone.
    await app.page.locator("[data-rework]").waitFor();
    assert.deepEqual(await app.page.locator("[data-rework-item]").evaluateAll((b) => b.map((e) => e.dataset.reworkItem)), ["窗户有水印", "镜子"]);
    await accept.reworkAll();
    await accept.waitAwaiting("Customer");
    assert.equal(await accept.round(), "2");
    await accept.handOver();
    await customer.loaded();
    assert.equal(await app.page.locator("[data-customer-round]").getAttribute("data-customer-round"), "2");
    assert.equal(await customer.strokes(), "0", "the first round's draft is gone");
    await customer.fill({ name: "王女士", remarks: "返工后满意", score: 5 });
    // An empty pad cannot be submitted.
    await app.page.locator('[data-action="customer-pass"]').click();
    assert.equal(await app.page.locator("[data-problem]").textContent(), "请先签名");
    await customer.sign();
    await customer.satisfied();
    assert.equal(await customer.leave(WORKER_PIN), `/job/${JOB}/sign`);
    await app.page.locator('[data-accept="accepted"]').waitFor();

    // Two signed records, both intact; hostile text stayed text.
    await app.page.reload();
    await app.page.locator('[data-accept="accepted"]').waitFor();
    assert.equal(await accept.records().count(), 2);
    assert.deepEqual(await accept.records().evaluateAll((r) => r.map((e) => e.dataset.verified)), ["ok", "ok"]);
    const failed = await app.page.locator('[data-record] [data-outcome="fail"] [data-record-failed]').textContent();
    assert.equal(failed, "窗户有水印、镜子");
    const signer = await app.page.locator('[data-record] [data-signoff="Customer"] [data-signer]').first().textContent();
    assert.equal(signer, HOSTILE.trim(), "hostile text intact");
    assert.equal(await app.page.evaluate(() => window.__pwned), undefined, "hostile text inert");
    assert.equal(await app.page.locator("[data-record] img").count(), 0);
    assert.ok((await app.page.locator("[data-record] svg path").count()) >= 5, "each signature drawn from its strokes");
    assert.deepEqual(dialogs, []);
    await app.page.screenshot({ path: `${OUT}accept-done.png`, fullPage: true });

    // A changed byte of a stored record is flagged when it is opened.
    const ids = await accept.records().evaluateAll((r) => r.map((e) => e.dataset.record));
    assert.equal(await tamper(app.page, ids[1], '"satisfaction":5', '"satisfaction":4'), 2);
    await app.page.reload();
    await app.page.locator('[data-record][data-verified="changed"]').waitFor();
    assert.deepEqual(await accept.records().evaluateAll((r) => r.map((e) => e.dataset.verified)), ["ok", "changed"]);
    assert.match(await app.page.locator("[data-tampered]").textContent(), /^警告：此记录已被改动，哈希不符/);
    await app.page.screenshot({ path: `${OUT}accept-tampered.png`, fullPage: true });
    // The browser was asked to keep the data at the first signed record.
    await settings.goto();
    await app.page.locator("[data-persisted]").waitFor();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
