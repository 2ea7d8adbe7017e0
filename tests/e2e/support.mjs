// Shared set-up of the end-to-end tests: serve dist/ on loopback, start Debian's Chromium
// with a persistent profile (service workers and installability need one) at a phone
// viewport, and collect page errors so a test can assert there were none.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { serve } from "../../tools/serve.mjs";
import { FLAGS, CHROMIUM, freshProfileDir } from "../../tools/chromium.mjs";

export const PHONE = { width: 390, height: 844 };
export const OUT = new URL("../../.e2e-out/", import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

/// `couch`: a sync server's URL, proxied at /couch (as `make run` serves the app).
export async function startApp({ locale = "zh-CN", couch = null } = {}) {
  const server = await serve(new URL("../../dist", import.meta.url).pathname, 0, "127.0.0.1", { couch });
  const base = `http://127.0.0.1:${server.address().port}`;
  const context = await chromium.launchPersistentContext(freshProfileDir(), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    timezoneId: "Asia/Shanghai",
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(m.text()) && errors.push(m.text()));
  return {
    base,
    context,
    page,
    errors,
    /** Cuts the network for real: the server goes away and the browser is offline. */
    async goOffline() {
      await context.setOffline(true);
      await new Promise((ok) => server.close(ok));
      server.closeAllConnections?.();
    },
    async close() {
      await context.close();
      server.close();
      server.closeAllConnections?.();
    },
  };
}

/** Polls `check` every 250 ms until it gives a truthy value (returned), or fails after `ms`. */
export async function until(what, check, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

/** Waits until a service worker controls the page (it precached the app by then). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener("controllerchange", ok, { once: true }));
    }
  });
}

/** Every visible tap target smaller than `min` CSS px in either dimension. */
export async function smallTapTargets(page, min = 48) {
  return page.evaluate((min) => {
    const out = [];
    for (const el of document.querySelectorAll("a, button, input, select, [role=button]")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < min || r.height < min) out.push(`${el.tagName} "${el.textContent.trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  }, min);
}

/** Everything the app stored in IndexedDB (every store of every database), as one text. */
export async function indexedDbText(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok, fail) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
        out.push(JSON.stringify(all));
      }
      db.close();
    }
    return out.join("\n");
  });
}

/** Writes `value` under `key` into the app's database, bypassing the app (to damage a record). */
/** Damages the stored text of document `id` in place (its other fields, e.g. its index key, kept). */
export async function rawDamage(page, id, text = "{not json") {
  await page.evaluate(
    async ({ id, text }) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("doorstep");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      await new Promise((ok, fail) => {
        const tx = db.transaction("docs", "readwrite");
        const docs = tx.objectStore("docs");
        const get = docs.get(id);
        get.onsuccess = () => {
          if (!get.result) return fail(new Error(`no stored document ${id}`));
          // Both texts of the record: its revisions (`j`) and its winner's body (`w`).
          docs.put({ ...get.result, j: text, w: text });
        };
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
      });
      db.close();
    },
    { id, text },
  );
}

