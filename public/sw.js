// Doorstep's service worker. The build writes VERSION and PRECACHE (every file of this
// build, hashed names for wasm/js/css, the split loader and every lazy chunk, so a lazy
// route opens offline even if it was never visited online). One cache per build: a new
// build installs its complete cache beside the old one, so a page never gets a mix of old
// and new files.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = `doorstep-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((p) => new Request(p, { cache: "reload" }))))
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("doorstep-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The page asks the waiting worker to take over once the person agrees to reload.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  // The sync server (proxied at /couch): always the network, never cached or answered here.
  if (url.pathname === "/couch" || url.pathname.startsWith("/couch/")) return;
  // App routes (/, /job/…, /settings) all get this build's app shell.
  if (req.mode === "navigate") {
    event.respondWith(caches.open(CACHE).then((c) => c.match("/index.html")).then((r) => r || fetch(req)));
    return;
  }
  event.respondWith(caches.open(CACHE).then((c) => c.match(req)).then((r) => r || fetch(req)));
});
