//! Argument parsing, input reading and the CLI's error type.

use doorstep_core::Lang;
use std::io::Read;
use thiserror::Error;

pub const USAGE: &str = "usage: doorstep <plan|followups|verify> [FILE|-] [--format json|table] [--lang zh|en]\n       doorstep plan [FILE|-] --budget-ms N [--seed S]   (travel-aware: coordinates in \"geo\")\n       doorstep demo [YYYY-MM-DD]\n       doorstep setup-server --url URL --admin NAME[:PASSWORD] [--store DB] [--office NAME]\n       doorstep relay --url URL --admin NAME[:PASSWORD] [--store DB] [--once | --passes N] [--interval S] [--poll-ms MS] [--state DIR] [--now T]";

#[derive(Debug, Error)]
pub enum CliError {
    #[error("{0}\n{USAGE}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("input is not valid JSON for this command: {0}")]
    Json(#[from] serde_json::Error),
    /// The input was read but the rules refused it (validation).
    #[error("{0}")]
    Invalid(String),
    /// The sync server refused or failed a call (`setup-server`, `relay`).
    #[error("{0}")]
    Server(String),
    /// `verify` found a record that does not match; the message names it.
    #[error("{0}")]
    Mismatch(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Mismatch(_) => 1,
            _ => 3,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

#[derive(Debug)]
pub struct Opts {
    pub input: Option<String>,
    pub format: Format,
    pub lang: Lang,
    /// `plan`: use the travel-aware planner with this time budget (milliseconds).
    pub budget_ms: Option<u64>,
    /// `plan`: the search's seed.
    pub seed: u64,
}

impl Opts {
    pub fn parse(args: &[String]) -> Result<(String, Opts), CliError> {
        let mut it = args.iter();
        let cmd = it
            .next()
            .ok_or_else(|| CliError::Usage("missing command".into()))?
            .clone();
        let mut opts = Opts {
            input: None,
            format: Format::Table,
            lang: Lang::Zh,
            budget_ms: None,
            seed: 1,
        };
        while let Some(a) = it.next() {
            match a.as_str() {
                "--format" => {
                    opts.format = match it.next().map(String::as_str) {
                        Some("json") => Format::Json,
                        Some("table") => Format::Table,
                        other => return Err(CliError::Usage(format!("bad --format {other:?}"))),
                    }
                }
                "--json" => opts.format = Format::Json,
                "--lang" => {
                    let v = it
                        .next()
                        .ok_or_else(|| CliError::Usage("--lang needs a value".into()))?;
                    opts.lang = Lang::from_tag(v);
                }
                "--budget-ms" | "--seed" => {
                    let v = it
                        .next()
                        .and_then(|v| v.parse::<u64>().ok())
                        .ok_or_else(|| CliError::Usage(format!("{a} needs a number")))?;
                    if a == "--seed" {
                        opts.seed = v;
                    } else {
                        opts.budget_ms = Some(v);
                    }
                }
                "-h" | "--help" => return Err(CliError::Usage("help".into())),
                s if s.starts_with("--") => {
                    return Err(CliError::Usage(format!("unknown option {s}")))
                }
                s => {
                    if opts.input.replace(s.to_owned()).is_some() {
                        return Err(CliError::Usage("more than one input file".into()));
                    }
                }
            }
        }
        Ok((cmd, opts))
    }

    /// The whole input: the named file, or standard input for `-` or no file.
    pub fn read_input(&self) -> Result<String, CliError> {
        let mut s = String::new();
        match self.input.as_deref() {
            None | Some("-") => {
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map(|_| s)
                    .map_err(|source| CliError::Io {
                        path: "stdin".into(),
                        source,
                    })
            }
            Some(p) => std::fs::read_to_string(p).map_err(|source| CliError::Io {
                path: p.into(),
                source,
            }),
        }
    }
}
