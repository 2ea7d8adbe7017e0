// A key and a self-signed certificate for 127.0.0.1, made with openssl for this run, so the
// bench can serve dist/ as a real host does: HTTPS with HTTP/2 (a PWA away from localhost
// needs HTTPS; every current host speaks HTTP/2 over it). Chromium trusts exactly this key
// by its SPKI hash (`--ignore-certificate-errors-spki-list`), so the page is a secure context
// with a valid-looking connection: no interstitial, the service worker registers.
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function localTls() {
  const dir = mkdtempSync(join(tmpdir(), "doorstep-tls-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
      "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: ["ignore", "ignore", "pipe"] });
    const pem = readFileSync(cert);
    const der = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
    const spki = createHash("sha256").update(der).digest("base64");
    return { key: readFileSync(key), cert: pem, chromeFlag: `--ignore-certificate-errors-spki-list=${spki}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
