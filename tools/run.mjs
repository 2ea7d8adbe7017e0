// `make run`: a local CouchDB-compatible sync server (pouchdb-server) on loopback with the
// demo data, its accounts and roles (`doorstep setup-server`), the relay keeping each
// worker's database in step (`doorstep relay`, loop mode), and the PWA served from dist/
// with /couch/* proxied to the sync server (the app's SYNC_BASE).
// Ctrl-C stops all three.
//
// No password is in the repository: the server admin's is made here on the first run
// (random), kept in target/doorstep-admin.json (mode 0600) and printed; the users'
// passwords are made by setup-server, kept in target/doorstep-accounts.json (0600) and
// printed when new.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { serve } from "./serve.mjs";
import { startPouchServer } from "./couch.mjs";

const root = new URL("..", import.meta.url).pathname;
const COUCH_PORT = Number(process.env.COUCH_PORT || 5984);
const APP_PORT = Number(process.env.PORT || 8080);
const couch = `http://127.0.0.1:${COUCH_PORT}`;
const dir = `${root}target/pouchdb`;
const config = `${dir}/config.json`;
const adminFile = `${root}target/doorstep-admin.json`;
const accountsFile = `${root}target/doorstep-accounts.json`;
const doorstep = `${root}target/debug/doorstep`;
const STORE_DB = "doorstep-s01";
mkdirSync(dir, { recursive: true });

const readJson = (f, fallback) => {
  try {
    return JSON.parse(readFileSync(f, "utf8"));
  } catch {
    return fallback;
  }
};
const writeSecret = (f, v) => writeFileSync(f, JSON.stringify(v, null, 2) + "\n", { mode: 0o600 });

// The admin: made once. Without its file (first run, or deleted) any admin left in the
// server's config is dropped, so the server starts with none and takes the new one.
let admin = readJson(adminFile, null);
const newAdmin = !admin;
if (newAdmin) {
  admin = { name: "admin", password: randomBytes(18).toString("base64url") };
  const cfg = readJson(config, {});
  delete cfg.admins;
  writeFileSync(config, JSON.stringify(cfg, null, 2) + "\n");
  writeSecret(adminFile, admin);
}
const auth = "Basic " + Buffer.from(`${admin.name}:${admin.password}`).toString("base64");
const asAdmin = (path, init = {}) =>
  fetch(`${couch}${path}`, { ...init, headers: { authorization: auth, "content-type": "application/json", ...init.headers } });

const children = [];
process.on("exit", () => children.forEach((c) => c.kill()));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));

// Its request log (stdout) is left out: the relay polls the databases every 2 s.
const { child: server } = await startPouchServer({ port: COUCH_PORT, dir, config, tries: 100 });
children.push(server);
server.on("exit", (code) => {
  console.error(`pouchdb-server stopped (${code}); stopping`);
  process.exit(1);
});
if (newAdmin) {
  const r = await fetch(`${couch}/_config/admins/${admin.name}`, { method: "PUT", body: JSON.stringify(admin.password) });
  if (!r.ok) throw new Error(`could not set the server admin: ${r.status} ${await r.text()}`);
}

// The store's database with today's demo data (created once; documents already there stay).
await asAdmin(`/${STORE_DB}`, { method: "PUT" });
const body = execFileSync(doorstep, ["demo"], { encoding: "utf8" });
const res = await asAdmin(`/${STORE_DB}/_bulk_docs`, { method: "POST", body });
const rows = await res.json();
const created = Array.isArray(rows) ? rows.filter((r) => r.ok).length : 0;

// Accounts, roles, worker databases and their validation.
const env = { ...process.env, DOORSTEP_ADMIN_PASSWORD: admin.password };
const server_args = ["--url", couch, "--admin", admin.name, "--store", STORE_DB];
const setup = JSON.parse(execFileSync(doorstep, ["setup-server", ...server_args], { encoding: "utf8", env }));
const accounts = readJson(accountsFile, {});
for (const u of setup.new_users) accounts[u.name] = { password: u.password, roles: u.roles };
writeSecret(accountsFile, accounts);

console.log(`Sync server: ${couch}/ (database ${STORE_DB}, ${created} demo documents added; workers' databases ${setup.databases.slice(1).join(", ")})`);
if (newAdmin) console.log(`  server admin: ${admin.name} / ${admin.password}  (new; kept in target/doorstep-admin.json)`);
else console.log(`  server admin: ${admin.name}, password in target/doorstep-admin.json`);
for (const u of setup.new_users) console.log(`  new user ${u.name} (${u.roles.join(",")}): ${u.password}`);
console.log(`  users' passwords: target/doorstep-accounts.json`);

// The relay, in loop mode: a line for each pass that wrote something.
// Its mirrors are kept in target/relay (mode 0600) so a restart resumes from its checkpoints.
const relay = spawn(doorstep, ["relay", ...server_args, "--state", `${root}target/relay`], { env, stdio: ["ignore", "pipe", "inherit"] });
children.push(relay);
relay.on("exit", (code) => {
  console.error(`relay stopped (${code}); stopping`);
  process.exit(1);
});
let pending = "";
relay.stdout.on("data", (chunk) => {
  pending += chunk;
  let i;
  while ((i = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, i);
    pending = pending.slice(i + 1);
    try {
      const p = JSON.parse(line);
      if (p.pass === 1 || p.revs_written || p.refused.length || p.compacted.length)
        console.log(`relay pass ${p.pass}: ${p.orders_written} orders written, ${p.orders_deleted} deleted, ${p.steps_copied} steps to the store, ${p.compacted.length} compacted, ${p.refused.length} refused (${p.ms} ms)`);
    } catch {
      console.log(`relay: ${line}`);
    }
  }
});

// The app reaches the sync server on its own origin: /couch/* is proxied to it.
const app = await serve(`${root}dist`, APP_PORT, "127.0.0.1", { couch });
console.log(`Doorstep: http://127.0.0.1:${app.address().port}/  (sync at /couch → ${couch}; Ctrl-C to stop)`);
console.log(`  a worker logs in under Settings with the badge and password above (e.g. D001)`);
console.log(`  the office's board: http://127.0.0.1:${app.address().port}/office  (log in as office; another browser than the worker's)`);
