// What a worker feels, for `make bench` (issue 11, "The size budget, replaced by what a worker
// feels"). Each figure comes with a baseline measured in the same run and the same browser:
//   - coldStartFromCache: the device holds `docs` documents (crates/doorstep-bench fill_device),
//     the service worker controls the page, CPU throttled 4×; a fresh navigation to / until the
//     first job card is on screen. Baseline: a plain HTML page, same throttling.
//   - firstVisit: fresh profile, Lighthouse's Slow 4G (devtools throttling values from the
//     lighthouse package) and 4× CPU; until the first job card shows and a tap on it has
//     opened the job. Baseline: the plain page under the same conditions.
//   - padCapture: a fast stroke as raw touch input; the share of the delivered pointer samples
//     the signature pad keeps (issue 12: ≥ 95 %).
//   - lighthouseRoutes: Lighthouse mobile (its default simulated Slow 4G / 4× CPU) on each
//     worker route, median of runs; failing audits are listed.
//   - hostBenchmarkIndex / calibratedSlowdown: Lighthouse's 4× assumes a high-end desktop host;
//     its runs at 4× measure this host's BenchmarkIndex. The figures above are taken twice: at
//     4× as the issue states them, and at the CPU slowdown Lighthouse's own calibration gives
//     for that index, measured in the same run.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { CHROMIUM, FLAGS } from "./chromium.mjs";

const root = new URL("..", import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const VIEWPORT = { width: 390, height: 844 };

// Runs in every measured page before its own scripts: notes performance.now() when `sel` first
// enters the DOM, and at the next animation frame (on screen), whether it has a box then; and
// when `after` appears following a click (the app responded to a tap).
function markers({ sel, after }) {
  const w = window;
  const check = () => {
    if (w.__seenAt === undefined) {
      const el = document.querySelector(sel);
      if (el) {
        w.__seenAt = performance.now();
        requestAnimationFrame(() => {
          const r = el.getBoundingClientRect();
          w.__visible = r.width > 0 && r.height > 0;
          w.__box = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          w.__shownAt = performance.now();
          console.log("doorstep-bench:shown");
        });
      }
    }
    if (after && w.__tapAt !== undefined && w.__respondedAt === undefined && document.querySelector(after)) {
      w.__respondedAt = performance.now();
      requestAnimationFrame(() => {
        w.__respondedShownAt = performance.now();
        console.log("doorstep-bench:responded");
      });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  document.addEventListener("click", () => (w.__tapAt ??= performance.now()), true);
}

async function throttledPage(context, { cpu, network }) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
  if (network) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", network);
  }
  return page;
}

// Waits for the page's own marker script to log `what`. Not `waitForFunction`: its polling
// evaluates Playwright's injected script in the page, a long task on the very main thread
// being measured (~130 ms at 4× CPU in a trace of the cold start).
function logged(page, what) {
  return page.waitForEvent("console", { predicate: (m) => m.text() === `doorstep-bench:${what}`, timeout: 120_000 });
}

// Navigates a throttled page to `url`; ms from navigation start until `sel` is on screen.
async function timeToShown(context, url, sel, opts) {
  const page = await throttledPage(context, opts);
  await page.addInitScript(markers, { sel, after: null });
  const shown = logged(page, "shown");
  await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
  await shown;
  const r = await page.evaluate(() => ({ seen: window.__seenAt, shown: window.__shownAt, visible: window.__visible }));
  await page.close();
  if (!r.visible) throw new Error(`${sel} was in the DOM but had no box at ${url}`);
  return r.shown;
}

// Lighthouse's CPU calibration (its docs/throttling.md, "Calibrating the CPU slowdown"): the
// default 4× "moves a typical run in the high-end desktop bracket" (BenchmarkIndex 1500–2000)
// "into the mid-tier mobile bracket"; on a host below 1000 its report warns that the score
// suffers and asks for a lower multiplier. The target device is therefore the high-end desktop's
// midpoint slowed 4×, and a host is slowed by what it takes to get there (never above 4×, never
// below 1×: a host already slower than the target is measured as it is).
export const REFERENCE_HOST_INDEX = 1750;
export const TARGET_DEVICE_INDEX = REFERENCE_HOST_INDEX / 4;

/**
 * Lighthouse's own BenchmarkIndex of this host: the median of what its runs measured (every
 * Lighthouse run benchmarks the host in its own Chromium before loading the page; the same
 * function run from Playwright's page reads about half as much here, so it is not used).
 */
export function hostBenchmarkIndex(lighthouse) {
  const runs = Object.values(lighthouse).flatMap((l) => l.host_benchmark_index_runs).filter((x) => typeof x === "number");
  return { index: runs.length ? median(runs) : null, runs };
}

/** The CPU slowdown that brings a host of `index` to Lighthouse's target device, to 0.1. */
export function calibratedSlowdown(index) {
  if (typeof index !== "number") return 4;
  return Math.min(4, Math.max(1, Math.round((index / TARGET_DEVICE_INDEX) * 10) / 10));
}

/** Cold start from cache with `docs` documents on the device, CPU throttled `cpu`×. */
export async function coldStartFromCache(browser, base, { docs = 5000, rounds = 3, cpu = 4 } = {}) {
  const app = await browser.newContext({ viewport: VIEWPORT });
  // The plain page in a context without the service worker (it would answer with the app shell).
  const plain = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: "block" });
  // Fill the device database from the bench page (no service worker controls it yet), then
  // open the app so its service worker installs and takes control.
  const setup = await app.newPage();
  setup.on("pageerror", (e) => console.error("bench page error:", e));
  await setup.goto(`${base}/bench/index.html`);
  await setup.waitForFunction(() => window.benchReady === true);
  const fill = JSON.parse(await setup.evaluate((n) => window.bench.fill_device(n), docs));
  await setup.goto(`${base}/`);
  await setup.waitForSelector(".ds-job-card", { timeout: 60_000 });
  await setup.evaluate(() => navigator.serviceWorker.ready);
  if (!(await setup.evaluate(() => !!navigator.serviceWorker.controller))) {
    await setup.reload();
    await setup.waitForSelector(".ds-job-card", { timeout: 60_000 });
  }
  const controlled = await setup.evaluate(() => !!navigator.serviceWorker.controller);
  const cards = await setup.locator(".ds-job-card").count();
  await setup.close();
  // One unmeasured open of each (the app re-projects its demo set on its first open).
  await timeToShown(app, `${base}/`, ".ds-job-card", { cpu });
  await timeToShown(plain, `${base}/bench/plain.html`, "#ready", { cpu });
  const appMs = [], plainMs = [], ratios = [];
  for (let i = 0; i < rounds; i++) {
    plainMs.push(await timeToShown(plain, `${base}/bench/plain.html`, "#ready", { cpu }));
    appMs.push(await timeToShown(app, `${base}/`, ".ds-job-card", { cpu }));
    ratios.push(appMs[i] / plainMs[i]);
  }
  await app.close();
  await plain.close();
  return {
    docs: fill.documents,
    fill,
    cpu_throttle: cpu,
    service_worker_controlled: controlled,
    job_cards_today_and_tomorrow: cards,
    rounds,
    app_ms: median(appMs),
    plain_page_ms: median(plainMs),
    ratio: median(ratios),
    app_rounds_ms: appMs,
    plain_rounds_ms: plainMs,
  };
}

/** Lighthouse's devtools-throttling Slow 4G, as its own constants define it. */
export async function slow4G() {
  const require = createRequire(import.meta.url);
  const path = require.resolve("lighthouse/core/config/constants.js");
  const { throttling } = await import(path);
  const s = throttling.mobileSlow4G;
  return {
    settings: s,
    // As lighthouse/core/lib/emulation.js passes them to Chromium: latency in ms, throughput in bytes/s.
    cdp: {
      offline: false,
      latency: s.requestLatencyMs,
      downloadThroughput: Math.floor((s.downloadThroughputKbps * 1024) / 8),
      uploadThroughput: Math.floor((s.uploadThroughputKbps * 1024) / 8),
    },
  };
}

/** First visit on a fresh profile over Slow 4G with `cpu`× CPU: card on screen, then a tap answered. */
export async function firstVisit(browser, base, { rounds = 3, cpu = 4 } = {}) {
  const { settings, cdp: network } = await slow4G();
  const once = async (url, sel, tap) => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await throttledPage(context, { cpu, network });
    await page.addInitScript(markers, { sel, after: tap ? ".ds-job[data-job]" : null });
    const shown = logged(page, "shown");
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    await shown;
    const r = await page.evaluate(() => ({ shown: window.__shownAt, box: window.__box }));
    if (tap) {
      // A tap at once on the card's centre (real input events, no waiting for "actionability").
      const responded = logged(page, "responded");
      await page.mouse.click(r.box.x, r.box.y);
      await responded;
      Object.assign(r, await page.evaluate(() => ({ tap: window.__tapAt, responded: window.__respondedShownAt, url: location.pathname })));
      if (!r.url.startsWith("/job/")) throw new Error(`a tap on a job card led to ${r.url}`);
    }
    await context.close();
    return r;
  };
  const card = [], tapped = [], answered = [], plain = [], ratios = [];
  for (let i = 0; i < rounds; i++) {
    const p = await once(`${base}/bench/plain.html`, "#ready", false);
    const a = await once(`${base}/`, ".ds-job-card", true);
    plain.push(p.shown), card.push(a.shown), tapped.push(a.tap), answered.push(a.responded);
    ratios.push(a.responded / p.shown);
  }
  return {
    network: "Lighthouse mobileSlow4G (devtools throttling)",
    lighthouse_settings: settings,
    cdp_conditions: network,
    cpu_throttle: cpu,
    rounds,
    first_card_ms: median(card),
    tap_sent_ms: median(tapped),
    interactive_ms: median(answered),
    tap_to_job_page_ms: median(answered.map((x, i) => x - tapped[i])),
    plain_page_ms: median(plain),
    ratio: median(ratios),
    interactive_rounds_ms: answered,
  };
}

/**
 * Signature capture: a fast scripted stroke on the worker's own sign-off pad (the visit walked
 * to acceptance first), sent as raw touch input through CDP (`Input.dispatchTouchEvent`, the
 * moves fired without waiting, so Chromium coalesces them). Delivered: what the pad's element
 * received (1 for pointerdown + every pointermove's coalesced samples, or 1 where none), counted
 * by a listener of the page's own; kept: the samples the pad stored (`data-points`).
 */
export async function padCapture(browser, base, { strokes = 3, moves = 240 } = {}) {
  const { VisitPage } = await import("../tests/e2e/pages/visit.mjs");
  const context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector(".ds-job-card", { timeout: 60_000 });
    await new VisitPage(page, base).toAcceptance("J-1001");
    await page.goto(`${base}/job/J-1001/sign`);
    const pad = page.locator("[data-sign-off] [data-pad]");
    await pad.waitFor();
    await pad.evaluate((el) => {
      el.scrollIntoView({ block: "center" });
      window.__delivered = 0;
      el.addEventListener("pointerdown", () => (window.__delivered += 1), true);
      el.addEventListener("pointermove", (e) => (window.__delivered += Math.max(1, e.getCoalescedEvents ? e.getCoalescedEvents().length : 1)), true);
    });
    const box = await pad.boundingBox();
    const cdp = await context.newCDPSession(page);
    const at = (i) => ({ x: box.x + 10 + ((box.width - 20) * i) / moves, y: box.y + box.height / 2 + Math.sin(i / 6) * (box.height / 3) });
    for (let s = 0; s < strokes; s++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [at(0)] });
      await Promise.all(Array.from({ length: moves }, (_, i) => cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [at(i + 1)] })));
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      await page.waitForFunction((n) => Number(document.querySelector("[data-sign-off] [data-pad]").dataset.strokes) === n, s + 1);
    }
    const delivered = await page.evaluate(() => window.__delivered);
    const kept = Number(await pad.getAttribute("data-points"));
    return { strokes, touch_moves_sent: strokes * moves, delivered, kept, ratio: delivered ? kept / delivered : 0 };
  } finally {
    await context.close();
  }
}

const pexec = promisify(execFile);

/** Lighthouse mobile on each route; the median run (by performance) of `runs`, failing audits listed. */
export async function lighthouseRoutes(base, routes, { runs = 3, cpu = 4, chromeFlags = [] } = {}) {
  const cli = join(root, "node_modules/lighthouse/cli/index.js");
  const result = {};
  for (const route of routes) {
    const reports = [];
    for (let i = 0; i < runs; i++) {
      const dir = mkdtempSync(join(tmpdir(), "doorstep-lh-"));
      const out = join(dir, "report.json");
      try {
        await pexec(
          "nice",
          ["-n", "10", process.execPath, cli, base + route, "--quiet", "--output=json", `--output-path=${out}`, "--form-factor=mobile",
            "--only-categories=performance,accessibility,best-practices", `--throttling.cpuSlowdownMultiplier=${cpu}`, `--chrome-flags=--headless=new ${[...FLAGS, ...chromeFlags].join(" ")}`],
          { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 1 << 26, timeout: 300_000 }
        );
        reports.push(JSON.parse(readFileSync(out, "utf8")));
        // LIGHTHOUSE_KEEP=dir: every report kept, to read what the main thread did.
        if (process.env.LIGHTHOUSE_KEEP) {
          mkdirSync(process.env.LIGHTHOUSE_KEEP, { recursive: true });
          copyFileSync(out, join(process.env.LIGHTHOUSE_KEEP, `${route.replaceAll("/", "_") || "_"}-${cpu}x-${i}.json`));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const score = (r, c) => (r.categories[c]?.score ?? NaN) * 100;
    const perf = reports.map((r) => score(r, "performance"));
    const mid = reports[perf.indexOf(median(perf))];
    result[route] = {
      runs,
      cpu_throttle: cpu,
      host_benchmark_index: mid.environment?.benchmarkIndex ?? null,
      host_benchmark_index_runs: reports.map((r) => r.environment?.benchmarkIndex ?? null),
      performance: median(perf),
      performance_runs: perf,
      accessibility: score(mid, "accessibility"),
      best_practices: score(mid, "best-practices"),
      metrics: Object.fromEntries(
        ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index", "interactive"].map((id) => [id, mid.audits[id]?.displayValue ?? null])
      ),
      // Lighthouse's own "interactive" (time to interactive, not part of the score since v10):
      // the issue's first-visit figure, over Lighthouse's Slow 4G on a fresh profile.
      interactive_ms: mid.audits.interactive?.numericValue ?? null,
      problems: problemsOf(mid),
      runtime_error: mid.runtimeError?.message ?? null,
    };
  }
  return result;
}

// What Lighthouse says is wrong: audits of the three categories that do not pass, worst
// first; for performance, opportunities with their estimated savings.
function problemsOf(report) {
  const out = [];
  for (const [cat, c] of Object.entries(report.categories)) {
    for (const ref of c.auditRefs) {
      const a = report.audits[ref.id];
      if (!a || a.score === null || a.scoreDisplayMode === "informative" || a.scoreDisplayMode === "notApplicable" || a.scoreDisplayMode === "manual") continue;
      const failing = cat === "performance" ? a.score < 0.9 : a.score < 1;
      if (!failing) continue;
      const savings = a.details?.overallSavingsMs ?? a.metricSavings?.LCP ?? null;
      out.push({ category: cat, id: a.id, score: a.score, title: a.title, value: a.displayValue ?? null, savings_ms: savings, weight: ref.weight });
    }
  }
  return out.sort((x, y) => (y.weight - x.weight) || ((y.savings_ms ?? 0) - (x.savings_ms ?? 0)));
}

/**
 * The rows and budgets `tools/bench.mjs` prints, for what the functions above returned: the
 * figures at 4× CPU, then (where the host is slower than Lighthouse's reference) the same
 * figures at the calibrated slowdown, each with its own budget lines.
 */
export function report({ cold, visit, lighthouse, pad, host, calibrated }) {
  const f = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? "n/a" : Number(x).toFixed(d));
  const rows = [], budgets = [];
  if (pad) {
    rows.push([`signature capture, ${pad.strokes} fast strokes (CDP touch)`, `${pad.kept} of ${pad.delivered} delivered samples kept = ${f(pad.ratio * 100, 1)} % (${pad.touch_moves_sent} touch moves sent)`]);
    budgets.push(["signature capture keeps ≥ 95 % of delivered samples", pad.delivered > 0 && pad.ratio >= 0.95]);
  }
  if (host) {
    rows.push(["host CPU (BenchmarkIndex, Lighthouse's runs)", `${f(host.index)} (runs ${host.runs.map((x) => f(x)).join(", ")}); reference host ${REFERENCE_HOST_INDEX} at 4× = target ${f(TARGET_DEVICE_INDEX)} → calibrated slowdown ${f(host.slowdown, 1)}×`]);
  }
  const set = ({ cold, visit, lighthouse }, tag) => {
    if (cold) {
      rows.push([`cold start from cache, ${cold.docs} docs, ${cold.cpu_throttle}× CPU${tag}`, `${f(cold.app_ms)} ms (rounds ${cold.app_rounds_ms.map((x) => f(x)).join(", ")}) vs plain page ${f(cold.plain_page_ms)} ms = ${f(cold.ratio, 2)}× · SW controls: ${cold.service_worker_controlled}`]);
      budgets.push([`cold start from cache, ${cold.docs} docs, ${cold.cpu_throttle}× CPU${tag} ≤ 1.0 s`, cold.service_worker_controlled && cold.app_ms <= 1000]);
    }
    if (visit) {
      rows.push([`first visit, Slow 4G + ${visit.cpu_throttle}× CPU${tag}`, `job card ${f(visit.first_card_ms)} ms · tap answered (interactive) ${f(visit.interactive_ms)} ms (tap → job page ${f(visit.tap_to_job_page_ms)} ms) vs plain page ${f(visit.plain_page_ms)} ms = ${f(visit.ratio, 2)}×`]);
      budgets.push([`first visit Slow 4G / ${visit.cpu_throttle}× CPU${tag}: card shown and a tap on it answered by the job page ≤ 3.0 s`, visit.interactive_ms <= 3000]);
    }
    for (const [route, l] of Object.entries(lighthouse || {})) {
      const at = `${l.cpu_throttle}× CPU${tag}`;
      rows.push([`lighthouse mobile ${route}, ${at}`, `performance ${f(l.performance)} (runs ${l.performance_runs.map((x) => f(x)).join("/")}) · accessibility ${f(l.accessibility)} · best practices ${f(l.best_practices)} · LCP ${l.metrics["largest-contentful-paint"]} · TBT ${l.metrics["total-blocking-time"]} · interactive ${l.metrics.interactive} · BenchmarkIndex ${f(l.host_benchmark_index)}`]);
      for (const p of l.problems.slice(0, 6)) rows.push([`  ${p.category}: ${p.id}`, `${p.title}${p.value ? ` (${p.value})` : ""}`]);
      budgets.push([`lighthouse ${route}, ${at}: performance ≥ 95`, l.performance >= 95]);
      budgets.push([`lighthouse ${route}, ${at}: accessibility 100`, l.accessibility === 100]);
      budgets.push([`lighthouse ${route}, ${at}: best practices 100`, l.best_practices === 100]);
      if (route === "/") budgets.push([`first visit (Lighthouse's interactive on /, Slow 4G), ${at}: ≤ 3.0 s`, l.interactive_ms !== null && l.interactive_ms <= 3000]);
    }
  };
  set({ cold, visit, lighthouse }, "");
  if (calibrated) set(calibrated, " (calibrated)");
  return { rows, budgets };
}

/**
 * What a worker feels, all of it: `want` names the parts (cold, visit, pad, lighthouse). The
 * host's BenchmarkIndex is measured first; where it calls for less than 4×, cold start, first
 * visit and Lighthouse run a second time at the calibrated slowdown.
 */
export async function measure(browser, base, want, { rounds = 3, docs = 5000, lighthouseRuns = 3, chromeFlags = [] } = {}) {
  const on = (k) => want.includes(k);
  const routes = ["/", "/job/J-1001", "/job/J-1001/log", "/settings"];
  const figures = {};
  // Lighthouse at 4× first: its runs measure the host's BenchmarkIndex (one run on `/` alone
  // where Lighthouse is not wanted, for the index only).
  const at4 = await lighthouseRoutes(base, on("lighthouse") ? routes : ["/"], { runs: on("lighthouse") ? lighthouseRuns : 1, chromeFlags });
  if (on("lighthouse")) figures.lighthouse = at4;
  const host = hostBenchmarkIndex(at4);
  host.slowdown = calibratedSlowdown(host.index);
  figures.host = host;
  const calibrated = host.slowdown < 4 ? {} : null;
  if (on("cold")) {
    figures.cold = await coldStartFromCache(browser, base, { docs, rounds });
    if (calibrated) calibrated.cold = await coldStartFromCache(browser, base, { docs, rounds, cpu: host.slowdown });
  }
  if (on("visit")) {
    figures.visit = await firstVisit(browser, base, { rounds });
    if (calibrated) calibrated.visit = await firstVisit(browser, base, { rounds, cpu: host.slowdown });
  }
  if (on("pad")) figures.pad = await padCapture(browser, base);
  if (on("lighthouse") && calibrated) calibrated.lighthouse = await lighthouseRoutes(base, routes, { runs: lighthouseRuns, cpu: host.slowdown, chromeFlags });
  if (calibrated) figures.calibrated = calibrated;
  return figures;
}

/**
 * `dir` served as production serves the app: HTTPS with HTTP/2 (a certificate made for this
 * run, tools/tls.mjs), and a Chromium that trusts it; `chromeFlags` for Lighthouse's own.
 */
export async function servedAsInProduction(dir) {
  const { chromium } = await import("playwright-core");
  const { serve } = await import("./serve.mjs");
  const { launchOptions } = await import("./chromium.mjs");
  const { localTls } = await import("./tls.mjs");
  const tls = localTls();
  const server = await serve(dir, 0, "127.0.0.1", { tls });
  await server.compressed;
  const browser = await chromium.launch(launchOptions({ args: [tls.chromeFlag] }));
  return { server, browser, base: `https://127.0.0.1:${server.address().port}`, chromeFlags: [tls.chromeFlag] };
}

// `node tools/bench-app.mjs [cold] [visit] [pad] [lighthouse]`: these figures alone (dist/ and
// dist/bench built), without the rest of `make bench`; all of them when none is named.
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { writeFileSync } = await import("node:fs");
  const want = process.argv.slice(2);
  const rounds = Number(process.env.BENCH_ROUNDS || 3);
  writeFileSync(`${root}dist/bench/plain.html`, "<!DOCTYPE html><meta charset=utf-8><title>plain</title><p id=ready>ok</p>");
  const { server, browser, base, chromeFlags } = await servedAsInProduction(`${root}dist`);
  const figures = await measure(browser, base, want.length ? want : ["cold", "visit", "pad", "lighthouse"], {
    chromeFlags,
    rounds,
    docs: Number(process.env.BENCH_DEVICE_DOCS || 5000),
    lighthouseRuns: Number(process.env.LIGHTHOUSE_RUNS || 3),
  });
  await browser.close();
  server.close();
  const { rows, budgets } = report(figures);
  const all = [...rows, ...budgets.map(([k, ok]) => [`budget: ${k}`, ok ? "PASS" : "FAIL"])];
  const w = Math.max(...all.map((r) => r[0].length));
  console.log(all.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n"));
  console.log(JSON.stringify(figures));
}
