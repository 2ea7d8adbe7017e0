//! `doorstep plan|followups|verify [FILE|-] [--format json|table] [--lang zh|en]`
//! `doorstep demo [YYYY-MM-DD]`: the demo data set as a CouchDB `_bulk_docs` body.
//! `doorstep setup-server --url URL --admin NAME`: accounts, roles and databases (`setup`).
//! `doorstep relay --url URL --admin NAME [--once]`: workers' databases kept in step (`relay`).
//!
//! JSON in (a file or standard input), JSON or a table out. A thin shell over
//! `doorstep_core`: every decision is made there.

mod cli;
mod couch;
mod demo;
mod followups;
mod plan;
mod relay;
mod setup;
mod verify;

use cli::{CliError, Opts};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("doorstep: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(args: &[String]) -> Result<String, CliError> {
    match args.first().map(String::as_str) {
        Some("setup-server") => return setup::run(&args[1..]),
        Some("relay") => return relay::run(&args[1..]),
        _ => {}
    }
    let (cmd, opts) = Opts::parse(args)?;
    if cmd == "demo" {
        return demo::run(&opts);
    }
    let input = opts.read_input()?;
    match cmd.as_str() {
        "plan" => plan::run(&input, &opts),
        "followups" => followups::run(&input, &opts),
        "verify" => verify::run(&input, &opts),
        other => Err(CliError::Usage(format!("unknown command `{other}`"))),
    }
}
