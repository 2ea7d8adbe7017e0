//! Size tricks across the JS/wasm boundary, which neither wasm-bindgen nor wasm-opt does:
//!
//! - `#[wasm_bindgen]` classes a dependency exports but the app never uses (wasm-streams'
//!   `IntoUnderlying*`, linked in by leptos' server functions, which this app has none of).
//!   Exports are roots for wasm-opt, so their code stays; `wasm-metadce` drops them given
//!   the real roots (every other export: the split chunks' table, memory and globals too),
//!   and their JS classes go too.
//! - The glue's import names, shortened in the main wasm and the glue alike. Chunks of a split
//!   build import nothing from the glue (they reach its imports through the main module's
//!   table), so this holds for them.
//!
//! Both edit wasm-bindgen's generated JS by its known shape; when that shape is not found,
//! the build fails rather than ship a half-edited file.

use crate::{read, run, write, Result, WASM_FEATURES};
use std::path::Path;
use std::process::Command;

/// JS classes exported by dependencies that the app never constructs.
pub const UNUSED_CLASSES: &[&str] = &[
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

fn leb(bytes: &[u8], at: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at).ok_or("truncated wasm")?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
        }
        shift += 7;
    }
}

fn name(bytes: &[u8], at: &mut usize) -> Result<String> {
    let len = leb(bytes, at)? as usize;
    let s = bytes.get(*at..*at + len).ok_or("truncated wasm name")?;
    *at += len;
    Ok(String::from_utf8_lossy(s).into_owned())
}

/// Steps over an import's description: a function's type index, a table (element type and
/// limits), a memory (limits) or a global (type and mutability).
fn skip_import_desc(bytes: &[u8], at: &mut usize) -> Result<()> {
    let kind = *bytes.get(*at).ok_or("truncated wasm")?;
    *at += 1;
    match kind {
        0 => {
            leb(bytes, at)?;
        }
        1 | 2 => {
            if kind == 1 {
                *at += 1;
            }
            let flags = leb(bytes, at)?;
            leb(bytes, at)?;
            if flags & 1 == 1 {
                leb(bytes, at)?;
            }
        }
        3 => *at += 2,
        _ => return Err(format!("unknown import kind {kind}")),
    }
    Ok(())
}

/// Names of the module's exports (section 7).
fn exports(bytes: &[u8]) -> Result<Vec<String>> {
    let mut at = 8;
    let mut out = Vec::new();
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let len = leb(bytes, &mut at)? as usize;
        let end = at + len;
        if id == 7 {
            let count = leb(bytes, &mut at)?;
            for _ in 0..count {
                out.push(name(bytes, &mut at)?);
                // Its kind, then an index.
                at += 1;
                leb(bytes, &mut at)?;
            }
            return Ok(out);
        }
        at = end;
    }
    Ok(out)
}

/// Removes `block` (from its first line to the line `last` ends with) from `js`.
fn cut(js: &str, first: &str, last: &str) -> Result<String> {
    let start = js
        .find(first)
        .ok_or_else(|| format!("wasm-bindgen output changed: no `{first}`"))?;
    let end = js[start..]
        .find(last)
        .map(|i| start + i + last.len())
        .ok_or_else(|| format!("wasm-bindgen output changed: no `{last}`"))?;
    let end = if js[end..].starts_with('\n') {
        end + 1
    } else {
        end
    };
    Ok(format!("{}{}", &js[..start], &js[end..]))
}

/// Drops the exports and JS classes of `UNUSED_CLASSES` from wasm-bindgen's output in `dir`.
pub fn unused_classes(root: &Path, dir: &Path, stem: &str) -> Result<()> {
    let wasm = dir.join(format!("{stem}_bg.wasm"));
    let js_path = dir.join(format!("{stem}.js"));
    let prefixes: Vec<(String, String)> = UNUSED_CLASSES
        .iter()
        .map(|c| {
            (
                format!("{}_", c.to_lowercase()),
                format!("__wbg_{}_free", c.to_lowercase()),
            )
        })
        .collect();
    let exports = exports(&read(&wasm)?)?;
    let unused = |e: &str| {
        prefixes
            .iter()
            .any(|(p, free)| e.starts_with(p.as_str()) || e == free)
    };
    if !exports.iter().any(|e| unused(e)) {
        return Err("wasm-bindgen output changed: none of the unused classes is exported".into());
    }
    let graph: Vec<String> = exports
        .iter()
        .filter(|e| !unused(e))
        .map(|e| format!("{{\"name\": \"export:{e}\", \"export\": \"{e}\", \"root\": true}}"))
        .collect();
    let graph_path = dir.join("metadce-graph.json");
    write(
        &graph_path,
        format!("[\n{}\n]\n", graph.join(",\n")).as_bytes(),
    )?;
    let mut cmd = Command::new(root.join("node_modules/.bin/wasm-metadce"));
    if crate::keep_names() {
        cmd.arg("-g");
    }
    run(cmd
        .args(WASM_FEATURES)
        .arg("--graph-file")
        .arg(&graph_path)
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))?;

    let mut js = String::from_utf8_lossy(&read(&js_path)?).into_owned();
    for class in UNUSED_CLASSES {
        js = cut(
            &js,
            &format!("export class {class} {{\n"),
            &format!(
                "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
            ),
        )?;
        js = cut(&js, &format!("const {class}Finalization = "), ";\n")?;
        if js.contains(class) {
            return Err(format!(
                "wasm-bindgen output changed: {class} is still referenced"
            ));
        }
    }
    write(&js_path, js.as_bytes())
}

fn put_leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_name(out: &mut Vec<u8>, s: &str) {
    put_leb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// The `n`th short name: `a`…`z`, `A`…`Z`, `ba`, … (valid unquoted JS property names).
fn short_name(mut n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = Vec::new();
    loop {
        s.push(ALPHABET[n % ALPHABET.len()]);
        n /= ALPHABET.len();
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// Renames the imports of the glue module (`__wbg_addEventListener_847fd86b8c33ec43`…) to
/// short names in the wasm and in the glue's import object alike. The 16 hex digits of each
/// name do not compress and are shipped twice (≈4 kB brotli for 170 imports). Imports of
/// other modules (crates' JS snippets) keep their names.
pub fn short_import_names(dir: &Path, stem: &str) -> Result<()> {
    let wasm_path = dir.join(format!("{stem}_bg.wasm"));
    let js_path = dir.join(format!("{stem}.js"));
    let glue = format!("./{stem}_bg.js");
    let bytes = read(&wasm_path)?;
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut out = bytes.get(..8).ok_or("truncated wasm")?.to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let len = leb(&bytes, &mut at)? as usize;
        let end = at + len;
        let body = bytes.get(at..end).ok_or("truncated wasm section")?;
        if id != 2 {
            out.push(id);
            put_leb(&mut out, len as u64);
            out.extend_from_slice(body);
            at = end;
            continue;
        }
        let count = leb(&bytes, &mut at)?;
        let mut section = Vec::with_capacity(len);
        put_leb(&mut section, count);
        for _ in 0..count {
            let module = name(&bytes, &mut at)?;
            let field = name(&bytes, &mut at)?;
            // The import's description, copied as it is.
            let desc_start = at;
            skip_import_desc(&bytes, &mut at)?;
            let new = if module == glue {
                let n = short_name(renamed.len());
                renamed.push((field, n.clone()));
                n
            } else {
                field
            };
            put_name(&mut section, &module);
            put_name(&mut section, &new);
            section.extend_from_slice(bytes.get(desc_start..at).ok_or("truncated wasm")?);
        }
        if at != end {
            return Err("import section longer than its imports".into());
        }
        out.push(2);
        put_leb(&mut out, section.len() as u64);
        out.extend_from_slice(&section);
    }
    if renamed.is_empty() {
        return Err(format!(
            "wasm-bindgen output changed: no imports from {glue}"
        ));
    }
    let mut js = String::from_utf8_lossy(&read(&js_path)?).into_owned();
    for (old, new) in &renamed {
        let key = format!("\n        {old}: function(");
        if js.matches(&key).count() != 1 {
            return Err(format!(
                "wasm-bindgen output changed: the shim of {old} is not found exactly once"
            ));
        }
        js = js.replacen(&key, &format!("\n        {new}: function("), 1);
    }
    write(&wasm_path, &out)?;
    write(&js_path, js.as_bytes())
}
