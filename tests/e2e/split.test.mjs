// Code splitting: the settings page is a lazy route in its own wasm chunk. `/` renders
// without fetching it; the bottom nav's link to settings fetches it and the page renders;
// the service worker precaches it, so settings opens offline, even never visited before.
// The visit's screens are a module apart from the job's overview and records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startApp, waitForServiceWorker } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";

const build = JSON.parse(readFileSync(new URL("../../dist/build.json", import.meta.url), "utf8"));

/** The files of the device's first run (`device_work_…`), loaded with the first screen there. */
function firstRunFiles() {
  return Object.entries(build.lazy).filter(([split]) => /^device_work_/.test(split)).flatMap(([, files]) => files);
}

/** The chunk files the settings route loads (build.json: split point → chunk files). */
function settingsChunks() {
  // Chunks shared with the first run (the device's first open loads it and the demo seed)
  // are not settings' own.
  const seed = firstRunFiles();
  const files = Object.entries(build.lazy).filter(([split]) => split === "settings").flatMap(([, files]) => files).filter((f) => !seed.includes(f));
  assert.ok(files.length > 0, `no lazy chunk for the settings route in build.json: ${JSON.stringify(build.lazy)}`);
  for (const f of files) assert.ok(build.chunks.some((c) => c.file === f), `${f} is listed with its size`);
  return files;
}

/** The paths (without the leading slash) of the requests `page` makes. */
function requestLog(page) {
  const log = [];
  page.on("request", (r) => log.push(new URL(r.url()).pathname.slice(1)));
  return log;
}

test("/ does not fetch the settings chunk; the nav link does, and settings reloads offline", async () => {
  const chunks = settingsChunks();
  const app = await startApp();
  try {
    const requests = requestLog(app.page);
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    await app.page.locator(".ds-job-card").first().waitFor();
    await waitForServiceWorker(app.page);
    assert.ok(requests.includes(build.wasm), "the main module is fetched");
    for (const c of chunks) assert.ok(!requests.includes(c), `${c} not fetched by /`);
    // Nor anything of the office's board that only it loads.
    const others = Object.entries(build.lazy).filter(([split]) => split !== "office").flatMap(([, files]) => files);
    const office = (build.lazy.office || []).filter((f) => !others.includes(f));
    assert.ok(office.length > 0, "the office's board has a module of its own");
    for (const c of office) assert.ok(!requests.includes(c), `${c} (office) not fetched by /`);

    await app.page.locator(`.ds-bottom-nav a[href="/settings"]`).click();
    await app.page.locator(".ds-segmented").waitFor();
    assert.equal(new URL(app.page.url()).pathname, "/settings");
    for (const c of chunks) assert.ok(requests.includes(c), `${c} fetched for /settings`);
    assert.equal(await app.page.locator("h1").first().textContent(), "设置");

    await app.goOffline();
    const served = [];
    app.page.on("response", (r) => served.push([new URL(r.url()).pathname.slice(1), r.status(), r.fromServiceWorker()]));
    await app.page.reload();
    await app.page.locator(".ds-segmented").waitFor();
    for (const c of chunks) assert.deepEqual(served.find(([f]) => f === c), [c, 200, true], `${c} from the service worker`);
    // The lazy page works, not only shows: the language switch re-renders it in English.
    await app.page.getByRole("button", { name: "English", exact: true }).click();
    await app.page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("a lazy route never visited online opens offline from the precache", async () => {
  const chunks = settingsChunks();
  const app = await startApp();
  try {
    const requests = requestLog(app.page);
    await new TodayPage(app.page, app.base).goto();
    await waitForServiceWorker(app.page);
    await app.goOffline();
    await app.page.goto(`${app.base}/settings`);
    await app.page.locator(".ds-segmented").waitFor();
    for (const c of chunks) assert.equal(requests.filter((r) => r === c).length, 1, `${c} fetched once, offline`);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

/** The files only the visit's screens load (not the job's overview, nor the first run). */
function visitOnlyChunks() {
  const seed = firstRunFiles();
  const job = build.lazy.job || [];
  const files = (build.lazy.visit || []).filter((f) => !job.includes(f) && !seed.includes(f));
  assert.ok(files.length > 0, `the visit has a module of its own: ${JSON.stringify(build.lazy)}`);
  return files;
}

/** The files `boot.js` asked the browser to preload on this page. */
function preloaded(page) {
  return page.evaluate(() => [...document.querySelectorAll('link[rel="preload"]')].map((l) => new URL(l.href).pathname.slice(1)));
}

test("a job's overview does not fetch the visit's module; its continue button does; a deep link to a stage preloads it", async () => {
  const visit = visitOnlyChunks();
  const app = await startApp();
  try {
    const requests = requestLog(app.page);
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    await today.openJob("J-1001");
    await app.page.locator(".ds-job").waitFor();
    for (const c of visit) assert.ok(!requests.includes(c), `${c} (visit) not fetched by the job's overview`);

    await app.page.locator('[data-action="continue"]').click();
    await app.page.locator('.ds-checklist[data-phase="depart"]').waitFor();
    for (const c of visit) assert.ok(requests.includes(c), `${c} fetched for the visit's first stage`);

    // Deep links: a stage preloads the visit's files beside the main module; the overview and
    // the records do not.
    await app.page.goto(`${app.base}/job/J-1001/depart`);
    await app.page.locator('.ds-checklist[data-phase="depart"]').waitFor();
    const atStage = await preloaded(app.page);
    for (const c of visit) assert.ok(atStage.includes(c), `${c} preloaded on /job/J-1001/depart`);
    for (const screen of ["", "/log"]) {
      await app.page.goto(`${app.base}/job/J-1001${screen}`);
      await app.page.locator(".ds-job, .ds-log, .ds-empty").first().waitFor();
      const here = await preloaded(app.page);
      assert.ok(here.includes(build.lazy.job.find((f) => f.startsWith("split_job"))), `the job's module preloaded on /job/J-1001${screen}`);
      for (const c of visit) assert.ok(!here.includes(c), `${c} not preloaded on /job/J-1001${screen}`);
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
