// A small static server for dist/ on loopback, serving as a real host would: correct MIME
// types (wasm!), app routes fall back to index.html, text and wasm compressed (brotli or
// gzip by Accept-Encoding; compressed once and kept until the file changes), hashed files
// cached for a year, index.html and sw.js revalidated every time (ETag → 304), and the app
// shell sent with the Content-Security-Policy header its own <meta> declares. Listens at once;
// compression runs in zlib's thread pool.
// With a sync server (`couch`), `/couch/*` is proxied to it unchanged (cookies included), so
// the app reaches CouchDB on its own origin and the CSP's `connect-src 'self'` holds.
// With `tls` ({ key, cert }, tools/tls.mjs) it serves HTTPS with HTTP/2 (HTTP/1.1 for clients
// that ask for it), as the app is served in production; the bench measures it so.
// `node tools/serve.mjs [--port 8080] [--dir dist] [--couch http://127.0.0.1:5984]`, or
// import { serve }.
import { createServer, request as httpRequest } from "node:http";
import { createSecureServer } from "node:http2";
import { readdirSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, gzip as gzipCb, constants } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCb);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".wasm", ".json", ".webmanifest", ".svg", ".txt"]);
const HASHED = /-[0-9a-f]{10}\.(wasm|js|css)$/;

/// The policy of the page's `<meta http-equiv="Content-Security-Policy">`, or null.
export function cspOf(html) {
  const meta = html.match(/<meta\s+http-equiv=(["'])Content-Security-Policy\1\s+content=(["'])(.*?)\2/is);
  return meta ? meta[3].replace(/\s+/g, " ").trim() : null;
}

// One entry per file: its bytes, compressed forms and ETag, made once (zlib's thread pool, off
// the event loop) and remade when the file's size or mtime change.
function makeCache() {
  const entries = new Map();
  return async function load(file) {
    const info = await stat(file).catch(() => null);
    if (!info || !info.isFile()) return null;
    const hit = entries.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.ready;
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const ready = (async () => {
      const raw = await readFile(file);
      const entry = { raw, etag };
      if (COMPRESSIBLE.has(extname(file)) && raw.length > 512) {
        [entry.br, entry.gzip] = await Promise.all([
          brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
          gzip(raw, { level: 9 }),
        ]);
      }
      return entry;
    })();
    entries.set(file, { mtimeMs: info.mtimeMs, size: info.size, ready });
    ready.catch(() => entries.delete(file));
    return ready;
  };
}

function walk(dir, out = []) {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

// Picks brotli, then gzip, from the request's Accept-Encoding (q=0 refuses).
function pickEncoding(header = "") {
  const accepted = new Map(
    header
      .split(",")
      .map((s) => s.trim().split(";"))
      .filter(([name]) => name)
      .map(([name, ...params]) => {
        const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
        return [name.trim().toLowerCase(), q ? Number(q.slice(2)) : 1];
      })
  );
  const ok = (name) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  return ok("br") ? "br" : ok("gzip") ? "gzip" : null;
}

/// The path prefix the app uses for its sync server (`SYNC_BASE` in src/sync.rs).
export const SYNC_PREFIX = "/couch";

// Forwards one request to the sync server at `couch` (its path without SYNC_PREFIX), streaming
// both ways; an unreachable server is a 502 with a CouchDB-style reason.
function proxy(couch, req, res) {
  const target = new URL(couch);
  // HTTP/2's pseudo-headers (":path", …) are not headers to forward.
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !k.startsWith(":")));
  headers.host = target.host;
  delete headers["accept-encoding"];
  const upstream = httpRequest(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: (target.pathname.replace(/\/$/, "") + req.url.slice(SYNC_PREFIX.length)) || "/",
      headers,
    },
    (up) => {
      // Hop-by-hop headers stay on their hop (HTTP/2 forbids them).
      const back = { ...up.headers, "cache-control": "no-store" };
      for (const h of ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"]) delete back[h];
      res.writeHead(up.statusCode, back);
      up.pipe(res);
    }
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "bad_gateway", reason: "the sync server cannot be reached" }));
  });
  req.pipe(upstream);
}

export function serve(dir, port = 0, host = "127.0.0.1", { couch = null, tls = null } = {}) {
  const root = resolve(dir);
  const shell = join(root, "index.html");
  const load = makeCache();
  // Compress everything once, from the start (a request that comes first waits for its file);
  // `server.compressed` settles when all is done (benchmarks wait for it).
  const compressed = Promise.all(walk(root).map((file) => load(file).catch(() => null)));
  const handle = async (req, res) => {
    if (couch && (req.url === SYNC_PREFIX || req.url.startsWith(SYNC_PREFIX + "/") || req.url.startsWith(SYNC_PREFIX + "?"))) {
      proxy(couch, req, res);
      return;
    }
    try {
      const url = new URL(req.url, "http://x");
      const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
      let file = join(root, path);
      if (!file.startsWith(root)) throw new Error("outside");
      const info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) file = join(file, "index.html");
      let entry = await load(file);
      if (!entry) {
        // Client-side routes get the app shell; missing assets are a real 404.
        if (extname(path) !== "") {
          res.writeHead(404, { "content-type": "text/plain" }).end("not found");
          return;
        }
        file = shell;
        entry = await load(file);
        if (!entry) throw new Error("no index.html");
      }
      const headers = {
        "content-type": TYPES[extname(file)] || "application/octet-stream",
        "cache-control": HASHED.test(file) ? "public, max-age=31536000, immutable" : "no-cache",
        etag: entry.etag,
        "x-content-type-options": "nosniff",
      };
      if (file === shell) {
        const csp = cspOf(entry.raw.toString("utf8"));
        if (csp) headers["content-security-policy"] = csp;
      }
      if (entry.br) headers.vary = "Accept-Encoding";
      if (req.headers["if-none-match"] === entry.etag) {
        res.writeHead(304, headers).end();
        return;
      }
      const encoding = entry.br ? pickEncoding(req.headers["accept-encoding"]) : null;
      const body = encoding === "br" ? entry.br : encoding === "gzip" ? entry.gzip : entry.raw;
      if (encoding) headers["content-encoding"] = encoding;
      headers["content-length"] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      res.writeHead(400, { "content-type": "text/plain" }).end("bad request");
    }
  };
  const server = tls ? createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, handle) : createServer(handle);
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(Object.assign(server, { compressed })));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const port = Number(arg("--port", process.env.PORT || 8080));
  const dir = arg("--dir", "dist");
  const couch = arg("--couch", null);
  const server = await serve(dir, port, "127.0.0.1", { couch });
  console.log(`Doorstep is served at http://127.0.0.1:${server.address().port}/ (from ${dir}/)${couch ? `, ${SYNC_PREFIX}/ → ${couch}` : ""}`);
}
