// A small static server for dist/ on loopback: correct MIME types (wasm!), app routes fall
// back to index.html, and the service worker and HTML are never cached by HTTP.
// `node tools/serve.mjs [--port 8080] [--dir dist]`, or import { serve }.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
};

export function serve(dir, port = 0, host = "127.0.0.1") {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://x");
      let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
      let file = join(root, path);
      if (!file.startsWith(root)) throw new Error("outside");
      let info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) {
        file = join(file, "index.html");
        info = await stat(file).catch(() => null);
      }
      if (!info) {
        // Client-side routes get the app shell; missing assets are a real 404.
        if (extname(path) !== "") {
          res.writeHead(404, { "content-type": "text/plain" }).end("not found");
          return;
        }
        file = join(root, "index.html");
      }
      const body = await readFile(file);
      const type = TYPES[extname(file)] || "application/octet-stream";
      const hashed = /-[0-9a-f]{10}\.(wasm|js|css)$/.test(file);
      res.writeHead(200, {
        "content-type": type,
        "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      res.writeHead(400, { "content-type": "text/plain" }).end("bad request");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const port = Number(arg("--port", process.env.PORT || 8080));
  const dir = arg("--dir", "dist");
  const server = await serve(dir, port);
  console.log(`Doorstep is served at http://127.0.0.1:${server.address().port}/ (from ${dir}/)`);
}
