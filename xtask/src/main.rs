//! Project chores: `cargo xtask dist` builds the PWA into `dist/` (wasm, glue, CSS, HTML,
//! service worker with its precache list, manifest, icons). `cargo xtask bench-wasm` builds
//! the in-browser bench module into `dist/bench/`.
//!
//! The wasm build uses Debian's cargo/rustc (1.96, /usr/bin) with build-std, because
//! rustup's toolchains here have no wasm32 standard library (../shared/toolchain.md).

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
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed: {status}"))
    }
}

/// Debian's cargo with build-std for wasm32, into `target/wasm`, with a profile of
/// `Cargo.toml` (`release` for the app).
fn wasm_cargo(root: &Path, profile: &str, args: &[&str]) -> Result<PathBuf> {
    let path = format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default());
    let target_dir = root.join("target/wasm");
    let mut cmd = Command::new("/usr/bin/cargo");
    cmd.current_dir(root)
        .env("PATH", path)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", &target_dir)
        // A panic aborts (no unwinding machinery) after the app's panic hook has logged it.
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "--cfg erase_components")
        .env_remove("RUSTUP_TOOLCHAIN")
        .args(["build", "--profile", profile, "--target", "wasm32-unknown-unknown", "-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size"])
        .args(args);
    run(&mut cmd)?;
    Ok(target_dir.join("wasm32-unknown-unknown").join(profile))
}

fn wasm_bindgen(wasm: &Path, out: &Path, name: &str) -> Result<()> {
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
        .arg(out)
        .arg(wasm))
}

/// The wasm features rustc targets (binaryen tools must be told).
const WASM_FEATURES: &[&str] = &["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];

fn wasm_opt(root: &Path, file: &Path) -> Result<()> {
    let tool = root.join("node_modules/.bin/wasm-opt");
    // -Os rather than -Oz: a few kB more raw, but less after brotli, which is what ships.
    run(Command::new(tool)
        .args(["-Os", "--strip-producers", "--strip-target-features"])
        .args(WASM_FEATURES)
        .arg(file)
        .arg("-o")
        .arg(file))
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(5).map(|b| format!("{b:02x}")).collect()
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

/// The CSS: global tokens first, then each component's own file, in path order.
fn collect_css(root: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.join("style"), root.join("src/components")] {
        walk(&dir, &mut files)?;
    }
    let mut css = String::new();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "css")) {
        css.push_str(&String::from_utf8_lossy(&read(f)?));
        css.push('\n');
    }
    Ok(css)
}

/// wasm-bindgen's JS glue minified by terser (an ES module: its exports keep their names).
fn minify_js(root: &Path, file: &Path) -> Result<()> {
    run(Command::new(root.join("node_modules/.bin/terser"))
        .arg(file)
        .args(["--module", "--compress", "--mangle", "-o"])
        .arg(file))
}

/// The CSS without comments, indentation and blank lines. Refuses a quote inside a
/// comment's reach, where a `/*` might be part of a string.
fn compact_css(css: &str) -> Result<String> {
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        let end = rest[start..].find("*/").map(|e| start + e + 2).ok_or("compact_css: unterminated comment")?;
        if rest[..start].lines().last().is_some_and(|l| l.matches('"').count() % 2 == 1) {
            return Err("compact_css: a comment opens inside a string".into());
        }
        plain.push_str(&rest[..start]);
        rest = &rest[end..];
    }
    plain.push_str(rest);
    Ok(plain.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
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
    let release = wasm_cargo(&root, "release", &["-p", "doorstep", "--bin", "doorstep"])?;
    let tmp = root.join("target/wasm/bindgen");
    let _ = fs::remove_dir_all(&tmp);
    wasm_bindgen(&release.join("doorstep.wasm"), &tmp, "doorstep")?;
    let wasm_path = tmp.join("doorstep_bg.wasm");
    strip::unused_classes(&root, &tmp, "doorstep")?;
    wasm_opt(&root, &wasm_path)?;
    strip::unused_imports(&tmp, "doorstep")?;
    strip::short_import_names(&tmp, "doorstep")?;

    let wasm = hashed(&dist, "doorstep", "wasm", &read(&wasm_path)?)?;
    minify_js(&root, &tmp.join("doorstep.js"))?;
    let js = hashed(&dist, "doorstep", "js", &read(&tmp.join("doorstep.js"))?)?;
    let css = hashed(&dist, "style", "css", compact_css(&collect_css(&root)?)?.as_bytes())?;
    let boot = String::from_utf8_lossy(&read(&root.join("public/boot.js"))?).replace("{{JS}}", &js).replace("{{WASM}}", &wasm);
    let boot = hashed(&dist, "boot", "js", boot.as_bytes())?;
    let html = String::from_utf8_lossy(&read(&root.join("index.html"))?).replace("{{JS}}", &js).replace("{{WASM}}", &wasm).replace("{{CSS}}", &css).replace("{{BOOT}}", &boot);

    // Static files, except the service worker template.
    let mut public = Vec::new();
    walk(&root.join("public"), &mut public)?;
    let mut precache = vec!["/index.html".to_owned(), format!("/{boot}"), format!("/{js}"), format!("/{wasm}"), format!("/{css}")];
    // JavaScript snippets of crates (`inline_js`), imported by the glue by relative path.
    let mut snippets = Vec::new();
    if tmp.join("snippets").is_dir() {
        walk(&tmp.join("snippets"), &mut snippets)?;
    }
    let mut preloads = String::new();
    for f in &snippets {
        let rel = f.strip_prefix(&tmp).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
        write(&dist.join(&rel), &read(f)?)?;
        precache.push(format!("/{rel}"));
        preloads.push_str(&format!("\n  <link rel=\"modulepreload\" href=\"/{rel}\">"));
    }
    // The glue imports its snippets: preloaded beside it, they cost no extra round trip.
    let js_preload = format!("<link rel=\"modulepreload\" href=\"/{js}\">");
    if !html.contains(&js_preload) {
        return Err(format!("index.html has no {js_preload}"));
    }
    write(&dist.join("index.html"), html.replace(&js_preload, &format!("{js_preload}{preloads}")).as_bytes())?;
    for f in &public {
        let rel = f.strip_prefix(root.join("public")).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
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
    let version: String = h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let list = format!("[{}]", precache.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", "));
    let sw = String::from_utf8_lossy(&read(&root.join("public/sw.js"))?).replace("__VERSION__", &version).replace("__PRECACHE__", &list);
    write(&dist.join("sw.js"), sw.as_bytes())?;
    write(&dist.join("build.json"), format!("{{\"version\":\"{version}\",\"wasm\":\"{wasm}\",\"js\":\"{js}\",\"css\":\"{css}\",\"boot\":\"{boot}\"}}\n").as_bytes())?;
    eprintln!("xtask: dist/ built, version {version}");
    Ok(())
}

fn bench_wasm() -> Result<()> {
    let root = root();
    // The rules at opt-level 3, as a build that runs dispatch in the browser ships them.
    let release = wasm_cargo(&root, "wasm-fast", &["-p", "doorstep-bench"])?;
    let out = root.join("dist/bench");
    let _ = fs::remove_dir_all(&out);
    wasm_bindgen(&release.join("doorstep_bench.wasm"), &out, "doorstep_bench")?;
    wasm_opt(&root, &out.join("doorstep_bench_bg.wasm"))?;
    write(&out.join("index.html"), b"<!DOCTYPE html><meta charset=utf-8><title>bench</title><script type=module>import init, * as b from './doorstep_bench.js'; await init(); window.bench = b; window.benchReady = true;</script>\n")?;
    Ok(())
}
