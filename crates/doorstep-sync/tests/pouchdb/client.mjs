// A stock PouchDB 9 client (node, LevelDB adapter) for the interop test `tests/pouchdb_client.rs`:
//   node client.mjs <remote db url> <dir> edit   pulls, dumps what it read, then writes documents
//                                                  of its own (some with attachments), edits one
//                                                  of ours and pushes;
//   node client.mjs <remote db url> <dir> read   pulls again and dumps;
//   node client.mjs <remote db url> <dir> bench N  times a push and a pull of N documents.
// The dump (stdout, one JSON object) gives per live document the winner, its conflicts, its
// body without the underscore fields, its attachments (digest, type, data) and the ancestry of
// every leaf, so the Rust side compares it with its own store field by field.
import PouchDB from "pouchdb";

const [url, dir, phase] = process.argv.slice(2);
const local = new (PouchDB.defaults({ prefix: `${dir}/` }))("client");
const remote = new PouchDB(url);

async function dump(db) {
  const out = {};
  const all = await db.allDocs({ include_docs: true, conflicts: true, attachments: true });
  for (const { doc } of all.rows) {
    const body = Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith("_")));
    const attachments = Object.fromEntries(
      Object.entries(doc._attachments || {}).map(([n, a]) => [n, { digest: a.digest, content_type: a.content_type, data: a.data }]),
    );
    const leaves = await db.get(doc._id, { open_revs: "all", revs: true });
    const ancestry = Object.fromEntries(
      leaves.filter((l) => l.ok).map(({ ok }) => [ok._rev, ok._revisions.ids.map((id, i) => `${ok._revisions.start - i}-${id}`)]),
    );
    out[doc._id] = { winner: doc._rev, conflicts: [...(doc._conflicts || [])].sort(), body, attachments, ancestry };
  }
  return out;
}

async function pull() {
  const r = await local.replicate.from(remote);
  if (!r.ok) throw new Error(`pull failed: ${JSON.stringify(r.errors)}`);
}

if (phase === "bench") {
  // N documents written locally, pushed into an empty database, then pulled into a fresh
  // local one: seconds of each, as JSON.
  const n = Number(process.argv[5]);
  const docs = Array.from({ length: n }, (_, i) => ({ _id: `doc:${String(i).padStart(5, "0")}`, n: i, who: "bench" }));
  for (let i = 0; i < n; i += 1000) await local.bulkDocs(docs.slice(i, i + 1000));
  let t = performance.now();
  const push = await local.replicate.to(remote, { batch_size: 200 });
  const push_s = (performance.now() - t) / 1000;
  const fresh = new (PouchDB.defaults({ prefix: `${dir}/` }))("fresh");
  t = performance.now();
  const pull = await fresh.replicate.from(remote, { batch_size: 200 });
  const pull_s = (performance.now() - t) / 1000;
  process.stdout.write(JSON.stringify({ push_s, pull_s, pushed: push.docs_written, pulled: pull.docs_written }));
  await fresh.close();
  await local.close();
  process.exit(0);
}
await pull();
const read = await dump(local);
if (phase === "edit") {
  const docs = [];
  for (let i = 0; i < 50; i++) {
    const doc = { _id: `pouch:${String(i).padStart(5, "0")}`, n: i, who: "pouch" };
    if (i % 5 === 0) {
      const text = `photo ${i} `.repeat(40 + i);
      doc._attachments = { "note.txt": { content_type: "text/plain", data: Buffer.from(text).toString("base64") } };
    }
    docs.push(doc);
  }
  for (const r of await local.bulkDocs(docs)) if (r.error) throw new Error(JSON.stringify(r));
  // An edit of one of ours on top of its winner, and another that the Rust side edits too.
  for (const id of ["doc:00001", "doc:00002"]) {
    const d = await local.get(id);
    const r = await local.put({ ...d, by: "pouch" });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  const r = await local.replicate.to(remote);
  if (!r.ok || r.docs_written < 52) throw new Error(`push: ${JSON.stringify(r)}`);
}
process.stdout.write(JSON.stringify({ read, after: await dump(local) }));
await local.close();
