//! `doorstep followups` (being built: see issue 3).

use crate::cli::{CliError, Opts};

pub fn run(_input: &str, _opts: &Opts) -> Result<String, CliError> {
    Err(CliError::Usage("`followups` is not built yet".into()))
}
