//! Project chores: `cargo xtask dist` builds the PWA into `dist/` (wasm, glue, CSS, HTML,
//! service worker with its precache list, manifest, icons). `cargo xtask bench-wasm` builds
//! the in-browser bench module into `dist/bench/`.
//!
//! The wasm build uses Debian's cargo/rustc (1.96, /usr/bin) with build-std, because
//! rustup's toolchains here have no wasm32 standard library (../shared/toolchain.md).

mod split;
mod strip;

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("dist") => dist(),
        Some("bench-wasm") => bench_wasm(),
        _ => Err("usage: cargo xtask <dist|bench-wasm>".into()),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed: {status}"))
    }
}

/// Debian's cargo with build-std for wasm32, into `target/wasm`, with a profile of
/// `Cargo.toml` (`release` for the app). `split`: the linker keeps its relocations, which
/// the splitter needs (`split::split`).
fn wasm_cargo(root: &Path, profile: &str, split: bool, args: &[&str]) -> Result<PathBuf> {
    let path = format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default());
    let target_dir = root.join("target/wasm");
    // A panic aborts at once (no unwinding, no panic hook, no message formatting: 12 kB of
    // the first screen); the trap it ends in reaches `boot.js`, which shows the crash
    // screen and logs the error.
    let mut rustflags =
        "-Zunstable-options -Cpanic=immediate-abort --cfg erase_components".to_owned();
    if split {
        // `doorstep_split` turns the app's lazy routes and functions into split points
        // (only this build splits; elsewhere, tests included, they are plain code).
        rustflags.push_str(" -Clink-args=--emit-relocs --cfg doorstep_split");
    }
    let mut cmd = Command::new("/usr/bin/cargo");
    cmd.current_dir(root)
        .env("PATH", path)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", rustflags)
        .env_remove("RUSTUP_TOOLCHAIN")
        .args([
            "build",
            "--profile",
            profile,
            "--target",
            "wasm32-unknown-unknown",
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=optimize_for_size",
        ])
        .args(args);
    run(&mut cmd)?;
    Ok(target_dir.join("wasm32-unknown-unknown").join(profile))
}

/// `split`: the main module of a split build keeps the linker's exports (the chunks import
/// the table, memory and globals by those names) and its mangled names, as cargo-leptos does.
fn wasm_bindgen(wasm: &Path, out: &Path, name: &str, split: bool) -> Result<()> {
    let mut cmd = Command::new("wasm-bindgen");
    cmd.args([
        "--target",
        "web",
        "--no-typescript",
        "--out-name",
        name,
        "--out-dir",
    ])
    .arg(out);
    if split {
        cmd.args(["--keep-lld-exports", "--no-demangle"]);
    }
    if keep_names() {
        cmd.arg("--keep-debug");
    }
    run(cmd.arg(wasm))
}

/// The wasm features rustc targets (binaryen tools must be told).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `DOORSTEP_WASM_NAMES=1`: wasm-bindgen and binaryen keep the functions' names, for a
/// profile that names them (not for shipping: the names section is a third of the module).
pub fn keep_names() -> bool {
    std::env::var_os("DOORSTEP_WASM_NAMES").is_some()
}

fn wasm_opt(root: &Path, file: &Path) -> Result<()> {
    let tool = root.join("node_modules/.bin/wasm-opt");
    // -Os rather than -Oz: a few kB more raw, but less after brotli, which is what ships.
    // `--low-memory-unused`: Rust's wasm keeps its stack and data above 1 MiB, so the first
    // kilobyte is never addressed and constant offsets fold into loads (−0.6 % brotli).
    let mut cmd = Command::new(tool);
    if keep_names() {
        cmd.arg("-g");
    }
    run(cmd
        .args([
            "-Os",
            "--low-memory-unused",
            "--strip-producers",
            "--strip-target-features",
        ])
        .args(WASM_FEATURES)
        .arg(file)
        .arg("-o")
        .arg(file))
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read(p: &Path) -> Result<Vec<u8>> {
    fs::read(p).map_err(|e| format!("read {}: {e}", p.display()))
}

fn write(p: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = p.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
    }
    fs::write(p, bytes).map_err(|e| format!("write {}: {e}", p.display()))
}

/// Writes `bytes` as `dist/<stem>-<hash>.<ext>` and returns the file name.
fn hashed(dist: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<String> {
    let name = format!("{stem}-{}.{ext}", short_hash(bytes));
    write(&dist.join(&name), bytes)?;
    Ok(name)
}

/// The CSS in two sheets: the first screen's (global tokens first, then each component's own
/// file, in path order) and the later screens', from the files whose first comment says
/// `@later`. The first is linked by the page; the boot script adds the second once the app
/// runs, so the first screen never waits for the styles of screens it does not show.
fn collect_css(root: &Path) -> Result<(String, String)> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.join("style"), root.join("src/components")] {
        walk(&dir, &mut files)?;
    }
    let (mut first, mut later) = (String::new(), String::new());
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "css"))
    {
        let text = String::from_utf8_lossy(&read(f)?).into_owned();
        let sheet = if text.trim_start().starts_with("/* @later") {
            &mut later
        } else {
            &mut first
        };
        sheet.push_str(&text);
        sheet.push('\n');
    }
    Ok((first, later))
}

/// wasm-bindgen's JS glue minified by terser (an ES module: its exports keep their names),
/// headed by V8's explicit compile hint: most of their functions run at start, so V8
/// compiles them all while it streams the file instead of one by one on the main thread
/// (a first visit's main-thread JS compile: ≈9.5 ms → ≈1 ms at 1× CPU).
fn minify_js(root: &Path, file: &Path) -> Result<()> {
    run(Command::new(root.join("node_modules/.bin/terser"))
        .arg(file)
        .args(["--module", "--compress", "--mangle", "-o"])
        .arg(file))?;
    let mut js = b"//# allFunctionsCalledOnLoad\n".to_vec();
    js.extend(read(file)?);
    write(file, &js)
}

/// The CSS without comments, indentation and blank lines. Refuses a quote inside a
/// comment's reach, where a `/*` might be part of a string.
fn compact_css(css: &str) -> Result<String> {
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        let end = rest[start..]
            .find("*/")
            .map(|e| start + e + 2)
            .ok_or("compact_css: unterminated comment")?;
        if rest[..start]
            .lines()
            .last()
            .is_some_and(|l| l.matches('"').count() % 2 == 1)
        {
            return Err("compact_css: a comment opens inside a string".into());
        }
        plain.push_str(&rest[..start]);
        rest = &rest[end..];
    }
    plain.push_str(rest);
    Ok(plain
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn dist() -> Result<()> {
    let root = root();
    let dist = root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    let release = wasm_cargo(
        &root,
        "release",
        true,
        &["-p", "doorstep", "--bin", "doorstep"],
    )?;
    let tmp = root.join("target/wasm/bindgen");
    let _ = fs::remove_dir_all(&tmp);
    let split = split::split(&release.join("doorstep.wasm"), &tmp)?;
    wasm_bindgen(&split.main, &tmp, "doorstep", true)?;
    let wasm_path = tmp.join("doorstep_bg.wasm");
    strip::unused_classes(&root, &tmp, "doorstep")?;
    wasm_opt(&root, &wasm_path)?;
    strip::short_import_names(&tmp, "doorstep")?;
    // Each chunk on its own: wasm-opt keeps imports and exports by name, and a chunk's table
    // slots and memory addresses are fixed by its active segments.
    for chunk in &split.chunks {
        wasm_opt(&root, chunk)?;
    }

    let wasm = hashed(&dist, "doorstep", "wasm", &read(&wasm_path)?)?;
    // The chunks first, since the loader names them; then the glue and the loader, which
    // name each other (`split::link`).
    let glue = String::from_utf8_lossy(&read(&tmp.join("doorstep.js"))?).into_owned();
    let mut chunks = Vec::new();
    let (js, loader_js) = match &split.loader {
        Some(loader_path) => {
            let mut loader = String::from_utf8_lossy(&read(loader_path)?).into_owned();
            for chunk in &split.chunks {
                let stem = chunk
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = hashed(&dist, &stem, "wasm", &read(chunk)?)?;
                loader = split::rename_chunk(&loader, chunk, &name)?;
                chunks.push((stem, name));
            }
            let linked = split::link(&glue, &loader)?;
            write(&dist.join(&linked.glue_name), linked.glue.as_bytes())?;
            write(&dist.join(&linked.loader_name), linked.loader.as_bytes())?;
            minify_js(&root, &dist.join(&linked.loader_name))?;
            (linked.glue_name, Some(linked.loader_name))
        }
        None => (hashed(&dist, "doorstep", "js", glue.as_bytes())?, None),
    };
    minify_js(&root, &dist.join(&js))?;
    let (first_css, later_css) = collect_css(&root)?;
    let css = hashed(&dist, "style", "css", compact_css(&first_css)?.as_bytes())?;
    let css_later = hashed(&dist, "later", "css", compact_css(&later_css)?.as_bytes())?;
    // The route modules' files (the split points named `job`, `visit`, `settings` and
    // `office`, with the chunks each loads), for boot.js to fetch beside the main module on a
    // deep link; and the device's first-run work (`#[lazy] device_work`, named
    // `device_work_…` by the macro) on a first visit.
    let route_files = |module: &str| -> String {
        let files: Vec<String> = split
            .lazy
            .iter()
            .filter(|(name, _)| {
                name == module
                    || name
                        .strip_prefix(module)
                        .is_some_and(|r| r.starts_with('_'))
            })
            .flat_map(|(_, stems)| stems.iter())
            .map(|stem| format!("\"{}\"", hashed_name(&chunks, stem)))
            .collect();
        format!("[{}]", files.join(","))
    };
    let route_modules = format!(
        "{{\"job\":{},\"visit\":{},\"settings\":{},\"office\":{},\"device_work\":{}}}",
        route_files("job"),
        route_files("visit"),
        route_files("settings"),
        route_files("office"),
        route_files("device_work")
    );
    let boot = String::from_utf8_lossy(&read(&root.join("public/boot.js"))?)
        .replace("{{ROUTE_MODULES}}", &route_modules)
        .replace("{{JS}}", &js)
        .replace("{{WASM}}", &wasm)
        .replace("{{CSS_LATER}}", &css_later);
    write(&tmp.join("boot.js"), boot.as_bytes())?;
    minify_js(&root, &tmp.join("boot.js"))?;
    let boot = hashed(&dist, "boot", "js", &read(&tmp.join("boot.js"))?)?;
    let mut html = String::from_utf8_lossy(&read(&root.join("index.html"))?)
        .replace("{{JS}}", &js)
        .replace("{{WASM}}", &wasm)
        .replace("{{CSS}}", &css)
        .replace("{{BOOT}}", &boot);
    html = match &loader_js {
        Some(loader) => html.replace("{{SPLIT_JS}}", loader),
        None => html
            .lines()
            .filter(|l| !l.contains("{{SPLIT_JS}}"))
            .map(|l| format!("{l}\n"))
            .collect(),
    };
    write(&dist.join("index.html"), html.as_bytes())?;

    // Static files, except the service worker template.
    let mut public = Vec::new();
    walk(&root.join("public"), &mut public)?;
    let mut precache = vec![
        "/index.html".to_owned(),
        format!("/{boot}"),
        format!("/{js}"),
        format!("/{wasm}"),
        format!("/{css}"),
        format!("/{css_later}"),
    ];
    // The lazy parts too: a route never visited before going offline still opens offline.
    precache.extend(
        loader_js
            .iter()
            .chain(chunks.iter().map(|(_, name)| name))
            .map(|f| format!("/{f}")),
    );
    // JavaScript snippets of crates (`inline_js`), imported by the glue by relative path.
    let mut snippets = Vec::new();
    if tmp.join("snippets").is_dir() {
        walk(&tmp.join("snippets"), &mut snippets)?;
    }
    let mut preloads = String::new();
    for f in &snippets {
        let rel = f
            .strip_prefix(&tmp)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        write(&dist.join(&rel), &read(f)?)?;
        precache.push(format!("/{rel}"));
        preloads.push_str(&format!("\n  <link rel=\"modulepreload\" href=\"/{rel}\">"));
    }
    // The glue imports its snippets: preloaded beside it, they cost no extra round trip.
    let js_preload = format!("<link rel=\"modulepreload\" href=\"/{js}\">");
    if !html.contains(&js_preload) {
        return Err(format!("index.html has no {js_preload}"));
    }
    write(
        &dist.join("index.html"),
        html.replace(&js_preload, &format!("{js_preload}{preloads}"))
            .as_bytes(),
    )?;
    for f in &public {
        let rel = f
            .strip_prefix(root.join("public"))
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "sw.js" || rel == "boot.js" || rel.ends_with(".svg") {
            continue;
        }
        write(&dist.join(&rel), &read(f)?)?;
        precache.push(format!("/{rel}"));
    }
    precache.sort();
    // The version is the hash of everything precached: any change makes a new cache.
    let mut h = Sha256::new();
    for p in &precache {
        h.update(p.as_bytes());
        h.update(read(&dist.join(p.trim_start_matches('/')))?);
    }
    let version: String = h
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let list = format!(
        "[{}]",
        precache
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sw = String::from_utf8_lossy(&read(&root.join("public/sw.js"))?)
        .replace("__VERSION__", &version)
        .replace("__PRECACHE__", &list);
    write(&dist.join("sw.js"), sw.as_bytes())?;
    write(
        &dist.join("build.json"),
        build_json(
            &dist,
            &version,
            [&wasm, &js, &css, &css_later, &boot],
            loader_js.as_deref(),
            &chunks,
            &split.lazy,
        )?
        .as_bytes(),
    )?;
    eprintln!("xtask: dist/ built, version {version}");
    Ok(())
}

/// A chunk's file name in dist/ (hashed), from its stem (`chunks`: stem → file name).
fn hashed_name(chunks: &[(String, String)], stem: &str) -> String {
    chunks
        .iter()
        .find(|(s, _)| s == stem)
        .map_or_else(|| stem.to_owned(), |(_, n)| n.clone())
}

/// `build.json`: this build's version and files, each chunk with its size in bytes, and which
/// chunks each split point (lazy route) loads.
fn build_json(
    dist: &Path,
    version: &str,
    [wasm, js, css, css_later, boot]: [&str; 5],
    loader: Option<&str>,
    chunks: &[(String, String)],
    lazy: &[(String, Vec<String>)],
) -> Result<String> {
    let quoted = |s: &str| format!("\"{s}\"");
    let mut files = Vec::new();
    for (_, name) in chunks {
        let bytes = read(&dist.join(name))?.len();
        files.push(format!("{{\"file\":{},\"bytes\":{bytes}}}", quoted(name)));
    }
    let lazy: Vec<String> = lazy
        .iter()
        .map(|(split, stems)| {
            format!(
                "{}:[{}]",
                quoted(split),
                stems
                    .iter()
                    .map(|s| quoted(&hashed_name(chunks, s)))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    Ok(format!(
        "{{\"version\":{},\"wasm\":{},\"js\":{},\"css\":{},\"css_later\":{},\"boot\":{},\"split_js\":{},\"chunks\":[{}],\"lazy\":{{{}}}}}\n",
        quoted(version),
        quoted(wasm),
        quoted(js),
        quoted(css),
        quoted(css_later),
        quoted(boot),
        loader.map_or_else(|| "null".to_owned(), quoted),
        files.join(","),
        lazy.join(",")
    ))
}

fn bench_wasm() -> Result<()> {
    let root = root();
    // The rules at opt-level 3, as a build that runs dispatch in the browser ships them.
    let release = wasm_cargo(&root, "wasm-fast", false, &["-p", "doorstep-bench"])?;
    let out = root.join("dist/bench");
    let _ = fs::remove_dir_all(&out);
    wasm_bindgen(
        &release.join("doorstep_bench.wasm"),
        &out,
        "doorstep_bench",
        false,
    )?;
    wasm_opt(&root, &out.join("doorstep_bench_bg.wasm"))?;
    write(&out.join("index.html"), b"<!DOCTYPE html><meta charset=utf-8><title>bench</title><script type=module>import init, * as b from './doorstep_bench.js'; await init(); window.bench = b; window.benchReady = true;</script>\n")?;
    Ok(())
}
