// Damage reports with photos, offline on a phone: a photo from the "camera" (a PNG the test
// makes itself) scaled on the device to ≤ 1600 px, saved with its report as one step, shown
// from its stored bytes in the log and in customer mode, still there after a reload; a file
// that is not an image, is corrupt or is 50 MB, refused with a message and nothing typed lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateSync, crc32 } from "node:zlib";
import { writeFileSync, rmSync } from "node:fs";
import { startApp, waitForServiceWorker, smallTapTargets, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { DamagePage } from "./pages/job.mjs";

const JOB = "J-1001";

/** A `w`×`h` RGB PNG: a colour gradient, so the encoder has something to do. */
function png(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x++) {
      raw[row + 1 + x * 3] = (x * 255) / w;
      raw[row + 2 + x * 3] = (y * 255) / h;
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

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

    assert.equal(await damage.reports().count(), 1);
    assert.match(await damage.reports().first().innerText(), /花瓶底座碰裂 <script>/);
    assert.deepEqual(await damage.photoSizes('.ds-log__item[data-kind="damage"]'), [[1600, 800]]);
    await app.page.screenshot({ path: `${OUT}damage-log.png` });

    // After a reload (offline) the report and its photo's bytes are still there.
    await app.page.reload();
    await damage.loaded();
    assert.equal(await damage.reports().count(), 1);
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
