// Doorstep's boot script (no inline script: the page's Content-Security-Policy forbids it).
// Starts the wasm app, registers the service worker, tells the app when a new build is
// waiting, and shows a plain crash screen with "reload" on any unhandled error or panic,
// after writing it to the device's short error log (settings shows it).
const LOG_KEY = "doorstep.errors";
const LOG_MAX = 20;

function logError(message) {
  try {
    const log = JSON.parse(localStorage.getItem(LOG_KEY) || "[]");
    log.push({ at: new Date().toISOString(), message: String(message).slice(0, 2000) });
    localStorage.setItem(LOG_KEY, JSON.stringify(log.slice(-LOG_MAX)));
  } catch (_) {
    // Storage itself failed: the screen below still shows.
  }
}

function crashScreen() {
  if (document.getElementById("ds-crash")) return;
  const zh = (localStorage.getItem("doorstep.lang") || '"zh"').includes("zh");
  const box = document.createElement("div");
  box.id = "ds-crash";
  box.setAttribute("role", "alertdialog");
  box.className = "ds-crash";
  const h = document.createElement("h1");
  h.textContent = zh ? "应用出错了" : "Something went wrong";
  const p = document.createElement("p");
  p.textContent = zh
    ? "已保存的记录都还在本机，不会丢失。请重新载入；问题已记入“设置 → 错误记录”。"
    : "Everything saved is still on this phone. Please reload; the problem is in Settings → Error log.";
  const b = document.createElement("button");
  b.className = "ds-button ds-button--primary";
  b.textContent = zh ? "重新载入" : "Reload";
  b.addEventListener("click", () => location.reload());
  box.append(h, p, b);
  document.body.append(box);
}

window.addEventListener("error", (e) => {
  logError(e.error && e.error.stack ? e.error.stack : e.message);
  crashScreen();
});
window.addEventListener("unhandledrejection", (e) => {
  logError(e.reason && e.reason.stack ? e.reason.stack : e.reason);
  crashScreen();
});

// A new build installed while this page runs: the app shows "new version — reload".
window.doorstepApplyUpdate = () => {
  navigator.serviceWorker.getRegistration().then((reg) => {
    if (reg && reg.waiting) {
      navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
      reg.waiting.postMessage({ type: "SKIP_WAITING" });
    } else {
      location.reload();
    }
  });
};

function updateWaiting() {
  window.doorstepUpdateWaiting = true;
  window.dispatchEvent(new Event("doorstep-update"));
}

// Customer mode: the phone is with the customer. While `doorstep.customer` names a job, the
// address is that job's customer screen: checked before the app's router reads it (a reload
// or a typed address) and on every history move (the back button: pushed forward again, so
// back never leaves the screen). Only the worker's PIN clears it (in the app).
function customerPath() {
  try {
    const id = JSON.parse(localStorage.getItem("doorstep.customer") || "null");
    return typeof id === "string" && id ? `/job/${encodeURIComponent(id)}/customer` : null;
  } catch (_) {
    return null;
  }
}
function keepCustomer(push) {
  const path = customerPath();
  if (path && location.pathname !== path) {
    if (push) history.pushState(null, "", path);
    else history.replaceState(null, "", path);
  }
}
keepCustomer(false);
window.addEventListener("popstate", () => keepCustomer(true));

// The worker's install downloads the whole build again (cache: "reload"): on a first visit
// over a slow network it must not compete with what the first screen waits for. Opened on
// today's list (in the main module), it registers once the page has loaded, as the worker
// reads the list. Opened on a later screen (a link, a reload mid-visit), the page has loaded
// long before that screen's module has: it registers a moment after the app says the screen
// is up (`doorstepScreenShown`, called by every later screen once its module has loaded),
// or 15 s after the page loaded if no screen says so (an error).
// Offline by then (the worker left the building, a dispatcher's laptop lost its network):
// registered once the browser is back online, so the next visit still works offline.
let swRegistered = false;
function registerServiceWorker() {
  if (swRegistered || !("serviceWorker" in navigator)) return;
  if (!navigator.onLine) {
    window.addEventListener("online", registerServiceWorker, { once: true });
    return;
  }
  swRegistered = true;
  navigator.serviceWorker
    .register("/sw.js")
    .then((reg) => {
      if (reg.waiting && navigator.serviceWorker.controller) updateWaiting();
      reg.addEventListener("updatefound", () => {
        const sw = reg.installing;
        sw && sw.addEventListener("statechange", () => {
          if (sw.state === "installed" && navigator.serviceWorker.controller) updateWaiting();
        });
      });
    })
    .catch((e) => {
      console.warn("service worker:", e);
      swRegistered = false;
      window.addEventListener("online", registerServiceWorker, { once: true });
    });
}
window.doorstepScreenShown = () => setTimeout(registerServiceWorker, 1000);
const registerOnLoad = location.pathname === "/" ? registerServiceWorker : () => setTimeout(registerServiceWorker, 15000);
if (document.readyState === "complete") registerOnLoad();
else window.addEventListener("load", registerOnLoad, { once: true });

// The later screens' style sheet (a job, its visit, settings): at once when the app opens
// on a later screen; else once today's list (its day sections) has been painted, so the
// first screen waits for nothing it does not show; and whenever a later screen asks.
let laterStyles = false;
window.doorstepLaterStyles = () => {
  if (laterStyles) return;
  laterStyles = true;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/{{CSS_LATER}}";
  document.head.append(link);
};
if (location.pathname !== "/") {
  window.doorstepLaterStyles();
} else {
  new MutationObserver((_, observer) => {
    if (!document.querySelector(".ds-day")) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(window.doorstepLaterStyles, 0));
  }).observe(document.documentElement, { childList: true, subtree: true });
}

// Opened on a later screen (a reload, a link, customer mode): that screen's wasm module and
// the chunks it shares are fetched now, beside the main module, rather than once the app has
// started and its router asks for them (the loader's own fetch then finds them here).
// The app's first start on this device (it has never written its language setting, which
// it does on every start) also sets the device up: the first-run module comes beside the
// main one instead of one round trip after the app has started.
const ROUTE_MODULES = {{ROUTE_MODULES}};
const office = location.pathname.startsWith("/office");
const routeModule = location.pathname.startsWith("/job/") ? "job" : location.pathname === "/settings" ? "settings" : office ? "office" : null;
// A step of the visit (`/job/:id/<stage>`, not the records): its own module as well.
const visitStep = /^\/job\/[^/]+\/(?!log$)[^/]+$/.test(location.pathname);
let firstVisit = false;
try {
  firstVisit = localStorage.getItem("doorstep.lang") === null;
} catch (_) {
  // No storage: the app reports that itself.
}
const early = new Set([
  ...(ROUTE_MODULES[routeModule] || []),
  ...(visitStep ? ROUTE_MODULES.visit : []),
  ...(firstVisit && !office ? ROUTE_MODULES.device_work : []),
]);
// In a task of their own, after the app's import has started: each preload costs the main
// thread a little (19 files for a job), which would otherwise lengthen this script's task.
setTimeout(() => {
  for (const file of early) {
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = "/" + file;
    document.head.append(link);
  }
}, 0);

// The app itself, started only now, so that the handlers above see its failures too.
import("/{{JS}}")
  .then((m) => {
    window.doorstepTestPanic = m.doorstepTestPanic;
    return m.default({ module_or_path: "/{{WASM}}" });
  })
  .catch((e) => {
    logError(e && e.stack ? e.stack : e);
    crashScreen();
  });
