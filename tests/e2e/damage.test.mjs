// Damage reports with photos, offline on a phone: a photo from the "camera" (a PNG the test
// makes itself) scaled on the device to ≤ 1600 px, saved with its report as one step, shown
// from its stored bytes in the log and in customer mode, still there after a reload; a file
// that is not an image, is corrupt or is 50 MB, refused with a message and nothing typed lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, rmSync } from "node:fs";
import { startApp, waitForServiceWorker, smallTapTargets, png, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { DamagePage } from "./pages/job.mjs";

const JOB = "J-1001";

test("a damage report with a photo, offline, in the log and customer mode, after a reload", { timeout: 180_000 }, async () => {
  const app = await startApp();
  try {
    await new TodayPage(app.page, app.base).goto();
    await waitForServiceWorker(app.page);
    await app.goOffline();

    const damage = new DamagePage(app.page, app.base);
    await damage.goto(JOB);
    assert.deepEqual(await smallTapTargets(app.page), []);
    const text = "花瓶底座碰裂 <script>window.__pwned=1</script>\u202E";
    await damage.describe(text, "120.50");

    // Not an image, and an "image" that is not one: refused, with a message; nothing lost.
    await damage.addPhoto({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo") });
    assert.equal(await damage.problem(), "这不是图片文件，请拍照或选择照片");
    await damage.addPhoto({ name: "broken.jpg", mimeType: "image/jpeg", buffer: Buffer.from("\xff\xd8 corrupt") });
    assert.match(await damage.problem(), /照片无法读取/);
    // A 50 MB "photo" (a real JPEG header, then padding) is refused before it is read.
    // (A file, not a buffer: Playwright passes buffers only up to 50 MB.)
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x20);
    huge.set([0xff, 0xd8, 0xff, 0xe0], 0);
    writeFileSync(`${OUT}huge.jpg`, huge);
    const t0 = Date.now();
    await app.page.locator("[data-damage-photo]").setInputFiles(`${OUT}huge.jpg`);
    await app.page.locator("[data-photo-problem]", { hasText: "30 MB" }).waitFor();
    assert.equal(await damage.problem(), "照片文件太大（超过 30 MB），请换一张");
    assert.ok(Date.now() - t0 < 20_000, "refused without hanging");
    rmSync(`${OUT}huge.jpg`);
    assert.equal(await damage.picked().count(), 0);
    assert.equal(await app.page.locator("[data-damage-description]").inputValue(), text);

    // A large photo is scaled on the phone: the long edge to 1600 px.
    await damage.addPhoto({ name: "camera.png", mimeType: "image/png", buffer: png(2400, 1200) });
    assert.equal(await damage.picked().count(), 1);
    await app.page.screenshot({ path: `${OUT}damage-form.png` });
    await damage.save();
    assert.equal(await app.page.locator("[data-damage-saved]").count(), 1);
    assert.equal(await damage.picked().count(), 0, "the form is cleared once saved");

    assert.equal(await damage.reportsShown(1), 1);
    assert.match(await damage.reports().first().innerText(), /花瓶底座碰裂 <script>/);
    assert.deepEqual(await damage.photoSizes('.ds-log__item[data-kind="damage"]'), [[1600, 800]]);
    await app.page.screenshot({ path: `${OUT}damage-log.png` });

    // After a reload (offline) the report and its photo's bytes are still there.
    await app.page.reload();
    await damage.loaded();
    assert.equal(await damage.reportsShown(1), 1);
    assert.deepEqual(await damage.photoSizes('.ds-log__item[data-kind="damage"]'), [[1600, 800]]);

    // The customer sees the damage they are asked to accept, with its photo.
    await app.page.evaluate((job) => localStorage.setItem("doorstep.customer", JSON.stringify(job)), JOB);
    await app.page.reload();
    await app.page.locator("[data-customer-damage]").waitFor();
    assert.match(await app.page.locator("[data-customer-damage]").innerText(), /花瓶底座碰裂/);
    assert.deepEqual(await damage.photoSizes("[data-customer-damage]"), [[1600, 800]]);
    await app.page.screenshot({ path: `${OUT}damage-customer.png` });

    assert.equal(await app.page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
