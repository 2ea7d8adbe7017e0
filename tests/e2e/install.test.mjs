// Chromium's own verdict on installability (DevTools protocol), and the manifest's icons.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, waitForServiceWorker } from "./support.mjs";

test("the PWA is installable by Chromium's own rules", async () => {
  const app = await startApp();
  try {
    await app.page.goto(`${app.base}/`);
    await app.page.locator(".ds-day").first().waitFor();
    await waitForServiceWorker(app.page);
    const cdp = await app.context.newCDPSession(app.page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, []);
    const manifest = await (await fetch(`${app.base}/manifest.webmanifest`)).json();
    for (const icon of manifest.icons) {
      const r = await fetch(`${app.base}${icon.src}`);
      assert.equal(r.status, 200, icon.src);
      assert.equal(r.headers.get("content-type"), "image/png");
    }
    assert.ok(manifest.icons.some((i) => i.purpose === "maskable"));
  } finally {
    await app.close();
  }
});
