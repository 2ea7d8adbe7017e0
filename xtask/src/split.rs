//! Wasm code splitting at leptos' `#[lazy]` / `#[lazy_route]` points (its `wasm_split` macros),
//! with `wasm_split_cli_support`, the library cargo-leptos uses for `--split`.
//!
//! The linker keeps its relocations (`-Clink-args=--emit-relocs`), so the splitter can move
//! the code that only a split point reaches into chunks. It writes the main module (for
//! wasm-bindgen), one `.wasm` per chunk and a JS loader. What ties the pieces together, all
//! of them side by side in `dist/`:
//!
//! - the main wasm imports the loader's `__wasm_split_load_*` functions from the module
//!   [`LOADER`]: a key of wasm-bindgen's import object, while the glue's `import … from` names
//!   the loader's file (rewritten by [`link`]);
//! - the loader imports `initSync` from [`GLUE`] (rewritten by [`link`]) and takes the main
//!   module's memory, `__indirect_function_table` and shared globals from it by export name
//!   (hence wasm-bindgen's `--keep-lld-exports`; nothing may rename the main module's exports);
//! - a chunk imports only those (module `__wasm_split`); it calls the main module's functions
//!   through the table, at slots the main module reserves, and the loader fetches it as
//!   `./<file>.wasm` relative to the loader's own URL (rewritten by [`link`]).

use crate::{read, short_hash, Result};
use std::path::{Path, PathBuf};

/// The loader's module name in the main wasm, and its file name until [`link`].
pub const LOADER: &str = "./__wasm_split.js";
/// Where the loader imports `initSync` from until [`link`]: the main JS glue.
pub const GLUE: &str = "./doorstep.js";

pub struct Split {
    /// The main module, to be given to wasm-bindgen.
    pub main: PathBuf,
    /// The chunks (`split_<name>.wasm`, `chunk_<n>.wasm`).
    pub chunks: Vec<PathBuf>,
    /// The loader (`__wasm_split.js`); absent when the app has no split point.
    pub loader: Option<PathBuf>,
    /// Each split point and the chunk files (stems) it loads.
    pub lazy: Vec<(String, Vec<String>)>,
}

/// Splits the linked wasm `raw` into `dir`.
pub fn split(raw: &Path, dir: &Path) -> Result<Split> {
    let input = read(raw)?;
    let main = dir.join("doorstep_split.wasm");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = dir;
    opts.main_out_path = &main;
    opts.link_name = LOADER;
    opts.main_module = GLUE;
    let out = wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm-split: {e:?}"))?;
    let mut chunks = out.split_modules;
    chunks.sort();
    let mut lazy: Vec<(String, Vec<String>)> = out.prefetch_map.into_iter().collect();
    lazy.sort();
    let loader = dir.join(LOADER);
    Ok(Split {
        main,
        loader: (!chunks.is_empty()).then_some(loader),
        chunks,
        lazy,
    })
}

/// `text` with `from` replaced by `to`, which must occur exactly once.
pub fn replace_once(text: &str, from: &str, to: &str, what: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!("{what}: `{from}` found {n} times, expected once")),
    }
}

/// `text` with every `from` replaced by `to`; an error when there is none.
pub fn replace_all(text: &str, from: &str, to: &str, what: &str) -> Result<String> {
    match text.matches(from).count() {
        0 => Err(format!("{what}: `{from}` not found")),
        _ => Ok(text.replace(from, to)),
    }
}

/// The file names of the glue and the loader, and their texts pointing at each other.
pub struct Linked {
    pub glue_name: String,
    pub glue: String,
    pub loader_name: String,
    pub loader: String,
}

/// Names the glue and the loader (with the chunks already renamed in `loader`) and points
/// each at the other. They import each other, so neither can be named by its own final text:
/// both are named by one hash over both texts as wasm-bindgen and the splitter wrote them.
pub fn link(glue: &str, loader: &str) -> Result<Linked> {
    let h = short_hash(format!("{glue}\0{loader}").as_bytes());
    let glue_name = format!("doorstep-{h}.js");
    let loader_name = format!("split-{h}.js");
    // Only the `import`s name the file (one per split point, all the same module); the
    // import object's keys stay the wasm's module name.
    let glue = replace_all(
        glue,
        &format!("from \"{LOADER}\""),
        &format!("from \"./{loader_name}\""),
        "glue",
    )?;
    let loader = replace_once(
        loader,
        &format!("from \"{GLUE}\""),
        &format!("from \"./{glue_name}\""),
        "split loader",
    )?;
    Ok(Linked {
        glue_name,
        glue,
        loader_name,
        loader,
    })
}

/// The loader text `loader` with `chunk` (a file the splitter wrote) renamed to `name`.
pub fn rename_chunk(loader: &str, chunk: &Path, name: &str) -> Result<String> {
    let file = chunk
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    replace_once(
        loader,
        &format!("\"./{file}\""),
        &format!("\"./{name}\""),
        "split loader",
    )
}
