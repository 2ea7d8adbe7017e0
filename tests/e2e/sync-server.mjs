// A real sync server for the end-to-end tests, set up as `make run` sets up its own: a
// pouchdb-server on a free loopback port (its own data directory, a random admin), the store's
// database with today's demo data (`doorstep demo`), accounts, roles and workers' databases
// (`doorstep setup-server`), the relay in loop mode (`doorstep relay`), and dist/ served with
// /couch proxied to the server. `stop()` ends only the processes started here, by PID.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startPouchServer } from "../../tools/couch.mjs";

const root = new URL("../../", import.meta.url).pathname;
const doorstep = `${root}target/debug/doorstep`;
export const STORE_DB = "doorstep-s01";

export async function startSyncServer() {
  // The CLI the relay and set-up run (a no-op when it is up to date).
  execFileSync("cargo", ["build", "-q", "-p", "doorstep-cli"], { cwd: root, stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "doorstep-sync-e2e-"));
  const port = await freePort();
  const couch = `http://127.0.0.1:${port}`;
  const config = join(dir, "config.json");
  writeFileSync(config, "{}\n");
  const children = [];
  const stop = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) process.kill(c.pid);
    children.length = 0;
  };
  try {
    const { child: server } = await startPouchServer({ port, dir, config, stderr: "ignore" });
    children.push(server);
    const admin = { name: "admin", password: randomBytes(18).toString("base64url") };
    const r = await fetch(`${couch}/_config/admins/${admin.name}`, { method: "PUT", body: JSON.stringify(admin.password) });
    if (!r.ok) throw new Error(`could not set the server admin: ${r.status}`);
    const auth = "Basic " + Buffer.from(`${admin.name}:${admin.password}`).toString("base64");
    const asAdmin = async (path, init = {}) => {
      const res = await fetch(`${couch}${path}`, { ...init, headers: { authorization: auth, "content-type": "application/json", ...init.headers } });
      return { status: res.status, body: await res.json() };
    };
    await asAdmin(`/${STORE_DB}`, { method: "PUT" });
    const demo = execFileSync(doorstep, ["demo"], { encoding: "utf8" });
    await asAdmin(`/${STORE_DB}/_bulk_docs`, { method: "POST", body: demo });
    const env = { ...process.env, DOORSTEP_ADMIN_PASSWORD: admin.password };
    const args = ["--url", couch, "--admin", admin.name, "--store", STORE_DB];
    const setup = JSON.parse(execFileSync(doorstep, ["setup-server", ...args], { encoding: "utf8", env }));
    const passwords = Object.fromEntries(setup.new_users.map((u) => [u.name, u.password]));
    const relay = spawn(doorstep, ["relay", ...args, "--state", join(dir, "relay")], { env, stdio: ["ignore", "ignore", "inherit"] });
    children.push(relay);
    return {
      couch,
      passwords,
      asAdmin,
      /** Ids of the documents of `db` under `prefix`, with their revisions. */
      async docs(db, prefix) {
        const q = `startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + "\ufff0"))}`;
        const { body } = await asAdmin(`/${db}/_all_docs?${q}`);
        return (body.rows || []).map((r) => ({ id: r.id, rev: r.value.rev }));
      },
      stop() {
        stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}
