//! Shared CLI plumbing: errors with exit codes, reading files and models.

use merchant_credit::{Engine, Model};
use std::fmt;
use std::path::Path;

/// A CLI failure: bad input (exit 2) or anything else (exit 1).
#[derive(Debug)]
pub enum CliError {
    /// The input was rejected by the engine (exit code 2).
    Input { file: String, error: merchant_credit::Error },
    /// Bad usage or unreadable file (exit code 2).
    Usage(String),
    /// Anything else (exit code 1).
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input { .. } | CliError::Usage(_) => 2,
            CliError::Other(_) => 1,
        }
    }
    pub fn input(file: impl Into<String>, error: merchant_credit::Error) -> Self {
        CliError::Input { file: file.into(), error }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input { file, error } if file.is_empty() => write!(f, "{error} [{}]", error.code()),
            CliError::Input { file, error } => write!(f, "{file}: {error} [{}]", error.code()),
            CliError::Usage(m) | CliError::Other(m) => write!(f, "{m}"),
        }
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// Reads a whole file as UTF-8 text (`-` reads stdin).
pub fn read_text(path: &Path) -> CliResult<String> {
    read_bytes(path).and_then(|b| {
        String::from_utf8(b).map_err(|_| CliError::Usage(format!("{}: not UTF-8 text", path.display())))
    })
}

/// Reads a whole file (`-` reads stdin).
pub fn read_bytes(path: &Path) -> CliResult<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| CliError::Usage(format!("stdin: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

/// Loads a model file, or the embedded default model.
pub fn load_model(path: Option<&Path>) -> CliResult<Model> {
    match path {
        None => Ok(Model::default_model()),
        Some(p) => {
            let text = read_text(p)?;
            Model::from_json(&text).map_err(|e| CliError::input(p.display().to_string(), e))
        }
    }
}

/// An engine for a model file, or the embedded default model.
pub fn load_engine(path: Option<&Path>) -> CliResult<Engine> {
    Ok(Engine::new(load_model(path)?))
}

/// Writes text to a file, or stdout when `path` is `None` or `-`.
pub fn write_out(path: Option<&Path>, text: &str) -> CliResult {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::write(p, text).map_err(|e| CliError::Other(format!("{}: {e}", p.display())))
        }
        _ => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|_| {
                if text.ends_with('\n') { Ok(()) } else { out.write_all(b"\n") }
            }).map_err(|e| CliError::Other(format!("stdout: {e}")))
        }
    }
}
