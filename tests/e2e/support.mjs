// Shared set-up of the end-to-end tests: serve dist/ on loopback, start Debian's Chromium
// with a persistent profile (service workers and installability need one) at a phone
// viewport, and collect page errors so a test can assert there were none.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { deflateSync, crc32 } from "node:zlib";
import { serve } from "../../tools/serve.mjs";
import { FLAGS, CHROMIUM, freshProfileDir } from "../../tools/chromium.mjs";
import { localTls } from "../../tools/tls.mjs";

export const PHONE = { width: 390, height: 844 };
export const OUT = new URL("../../.e2e-out/", import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });

/// `couch`: a sync server's URL, proxied at /couch (as `make run` serves the app).
/// `https`: served over HTTPS and HTTP/2 as the bench serves it (tools/tls.mjs).
export async function startApp({ locale = "zh-CN", couch = null, https = false } = {}) {
  const tls = https ? localTls() : null;
  const server = await serve(new URL("../../dist", import.meta.url).pathname, 0, "127.0.0.1", { couch, tls });
  const base = `${https ? "https" : "http"}://127.0.0.1:${server.address().port}`;
  const context = await chromium.launchPersistentContext(freshProfileDir(), {
    executablePath: CHROMIUM,
    headless: true,
    args: tls ? [...FLAGS, tls.chromeFlag] : FLAGS,
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

/** Every visible tap target smaller than `min` CSS px in either dimension (the audit's first
 * check alone). */
export async function smallTapTargets(page, min = UX.target) {
  return uxProblems(page, { only: "targets", target: min });
}

/** What a finger can tap: links, buttons, form fields, and the labels that stand for a box or a file picker. */
export const TAP_TARGETS =
  "a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=checkbox], label:has(> input[type=checkbox], > input[type=radio], > input[type=file])";

/** The numbers of ../shared/ux.md, as the audit checks them. */
export const UX = {
  target: 48, // every tap target, CSS px, both dimensions
  bigTarget: 60, // the customer's sign, confirm and score controls (`bigTargets`)
  gap: 8, // between two tap targets, edge to edge
  text: 17, // every text on the worker's screens
  customerText: 18, // every text on a customer's screen (`CUSTOMER_SCREENS`)
  contrast: 4.5, // every text, secondary and white-on-colour included
};

/** Screens turned to the customer: customer mode and the kit counted back in front of them. */
export const CUSTOMER_SCREENS = "[data-customer-mode], [data-customer-facing]";

const auditShots = new Map();

/**
 * The UX audit of the screen on show: a full-page screenshot `${OUT}${prefix}-NN-${name}.png`
 * (NN counts the audits of this run), then every breach of ../shared/ux.md's numbers (see
 * `uxProblems`); throws with the list when there is one.
 */
export async function uxAudit(page, { name, bigTargets = [], prefix = "flow" } = {}) {
  const n = (auditShots.get(prefix) || 0) + 1;
  auditShots.set(prefix, n);
  await page.screenshot({ path: `${OUT}${prefix}-${String(n).padStart(2, "0")}-${name}.png`, fullPage: true });
  const problems = await uxProblems(page, { bigTargets });
  if (problems.length) throw new Error(`UX audit of "${name}": ${problems.length} problem(s)\n  - ${problems.join("\n  - ")}`);
  return problems;
}

/**
 * Every breach of ../shared/ux.md on the page, as readable lines. Checked on everything
 * visible (not `display:none`, `visibility:hidden`, `opacity:0` or inside `[inert]`), the
 * whole page, not only the part scrolled into view:
 * - tap targets (`TAP_TARGETS`) under 48 × 48 CSS px; those matching a `bigTargets` selector
 *   under 60 × 60 (a selector that matches nothing visible is a problem too); two targets
 *   less than 8 px apart (edge to edge; not a field inside its label, not a fixed or sticky
 *   bar against what scrolls under it);
 * - text under 17 px (18 px on `CUSTOMER_SCREENS`): every non-blank text node, and the typed
 *   text and placeholders of form fields. Nothing is exempt: ux.md names no smaller caption
 *   size, so secondary text, chips and counters are held to the body size as well;
 * - contrast under 4.5:1 (WCAG 2 relative luminance) for the same texts: the foreground is
 *   the computed colour (a field's placeholder its `::placeholder` colour) blended by its
 *   alpha over the background; the background is the ancestors' background-colours from the
 *   element up to the first opaque one, composited over white. Not seen: text drawn by CSS
 *   (`::before`), in SVG or canvas, over a background image, or under a partial `opacity`.
 * `only: "targets"` stops after the first check; `target` changes its 48 px.
 */
export async function uxProblems(page, { bigTargets = [], only = null, target = UX.target } = {}) {
  return page.evaluate(
    ({ UX, TAP_TARGETS, CUSTOMER_SCREENS, bigTargets, only }) => {
      const out = [];
      const seen = new Set();
      const add = (line) => {
        if (seen.has(line)) return;
        seen.add(line);
        out.push(line);
      };
      const visible = (el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && !el.closest("[inert]");
      const describe = (el) => {
        const data = [...el.attributes].find((a) => a.name.startsWith("data-"));
        const cls = [...el.classList].map((c) => "." + c).join("");
        return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}${data ? `[${data.name}${data.value ? `="${data.value.slice(0, 30)}"` : ""}]` : ""}`;
      };
      const snippet = (t) => JSON.stringify(t.replace(/\s+/g, " ").trim().slice(0, 30));
      const label = (el) => snippet(el.textContent || el.value || el.placeholder || el.getAttribute("aria-label") || "");
      const size = (r) => `${Math.round(r.width)}×${Math.round(r.height)}`;

      // (a) Tap targets.
      const big = new Set();
      for (const sel of bigTargets) {
        const found = [...document.querySelectorAll(sel)].filter(visible);
        if (!found.length) add(`big target "${sel}" matches nothing visible`);
        found.forEach((e) => big.add(e));
      }
      const targets = [];
      for (const el of new Set([...document.querySelectorAll(TAP_TARGETS), ...big])) {
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        targets.push({ el, r });
        const min = big.has(el) ? UX.bigTarget : UX.target;
        if (r.width < min || r.height < min) add(`tap target ${size(r)} < ${min}×${min}: ${describe(el)} ${label(el)}`);
      }

      if (only === "targets") return out;

      // Room between targets: edge to edge, of targets that scroll together (a fixed or
      // sticky bar moves over the others), one not inside the other (a label and its field).
      const layer = (el) => {
        for (let e = el; e; e = e.parentElement) if (/fixed|sticky/.test(getComputedStyle(e).position)) return e;
        return null;
      };
      targets.forEach((t) => (t.layer = layer(t.el)));
      for (let i = 0; i < targets.length; i++) {
        for (let j = i + 1; j < targets.length; j++) {
          const [a, b] = [targets[i], targets[j]];
          if (a.layer !== b.layer || a.el.contains(b.el) || b.el.contains(a.el)) continue;
          const dx = Math.max(0, Math.max(a.r.left, b.r.left) - Math.min(a.r.right, b.r.right));
          const dy = Math.max(0, Math.max(a.r.top, b.r.top) - Math.min(a.r.bottom, b.r.bottom));
          const gap = Math.hypot(dx, dy);
          if (gap < UX.gap - 0.5) add(`targets ${Math.round(gap)} px apart < ${UX.gap}: ${describe(a.el)} ${label(a.el)} and ${describe(b.el)} ${label(b.el)}`);
        }
      }

      // (b) and (c): every visible text, with the element that styles it.
      const rgba = (c) => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return { r, g, b, a };
      };
      const over = (top, under) => ({
        r: top.r * top.a + under.r * (1 - top.a),
        g: top.g * top.a + under.g * (1 - top.a),
        b: top.b * top.a + under.b * (1 - top.a),
        a: 1,
      });
      const background = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
          const c = rgba(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0) {
            layers.push(c);
            if (c.a >= 1) break;
          }
        }
        return layers.reduceRight((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
      };
      const luminance = ({ r, g, b }) => {
        const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      };
      const hex = ({ r, g, b }) => "#" + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
      const checkText = (el, text, color, fontSize) => {
        const min = el.closest(CUSTOMER_SCREENS) ? UX.customerText : UX.text;
        const px = parseFloat(fontSize);
        if (px < min) add(`text ${px}px < ${min}px: ${describe(el)} ${snippet(text)}`);
        const bg = background(el);
        if (!rgba(color)) return add(`colour not understood: ${describe(el)} ${color}`);
        const fg = over(rgba(color), bg);
        const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < UX.contrast) add(`contrast ${ratio.toFixed(2)}:1 < ${UX.contrast}:1: ${describe(el)} ${snippet(text)} — ${hex(fg)} on ${hex(bg)}`);
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.data.trim() || !el || el.closest("option, script, style, template") || !visible(el)) continue;
        range.selectNodeContents(node);
        if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
        const cs = getComputedStyle(el);
        checkText(el, node.data, cs.color, cs.fontSize);
      }
      // What a field shows: its value (a select: the chosen option), else its placeholder.
      for (const el of document.querySelectorAll("input:not([type=hidden], [type=file], [type=checkbox], [type=radio]), textarea, select")) {
        if (!visible(el)) continue;
        const cs = getComputedStyle(el);
        const shown = el.tagName === "SELECT" ? el.selectedOptions[0]?.textContent || "" : el.value;
        if (shown.trim()) checkText(el, shown, cs.color, cs.fontSize);
        else if (el.placeholder) checkText(el, el.placeholder, getComputedStyle(el, "::placeholder").color, cs.fontSize);
      }
      return out;
    },
    { UX: { ...UX, target }, TAP_TARGETS, CUSTOMER_SCREENS, bigTargets, only },
  );
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

/** The stored documents whose id starts with `prefix`, read from IndexedDB (not through the
 * app): `[{ id, body }]` in id order, `body` the winner's body as stored (attachment stubs);
 * a record without a stored body is left out. */
export async function storedDocs(page, prefix) {
  return page.evaluate(
    async (prefix) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("doorstep");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const range = IDBKeyRange.bound(prefix, prefix + "\uffff");
      const all = await new Promise((ok, fail) => {
        const r = db.transaction("docs").objectStore("docs").getAll(range);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      db.close();
      return all.filter((rec) => rec.w).map((rec) => ({ id: rec.id, body: JSON.parse(rec.w) }));
    },
    prefix,
  );
}

/** The bytes IndexedDB's `atts` store holds under `digest` (`md5-…`), or null. */
export async function storedAttachment(page, digest) {
  const b64 = await page.evaluate(
    async (digest) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("doorstep");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const v = await new Promise((ok, fail) => {
        const r = db.transaction("atts").objectStore("atts").get(digest);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      db.close();
      if (v == null) return null;
      const bytes = v instanceof Uint8Array ? v : new Uint8Array(v instanceof Blob ? await v.arrayBuffer() : v);
      let s = "";
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    },
    digest,
  );
  return b64 === null ? null : Buffer.from(b64, "base64");
}

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

/** A `w`×`h` RGB PNG, as a camera would hand over a photo: a colour gradient, so the
 * encoder has something to do. */
export function png(w, h) {
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
