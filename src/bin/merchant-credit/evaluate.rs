//! `evaluate`, `batch`, `schema`, `model check`.

use crate::common::{load_engine, load_model, read_text, write_out, CliError, CliResult};
use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// StoreData JSON (or `-` for stdin).
    pub file: PathBuf,
    /// Model JSON (default: the embedded default model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Indent the output.
    #[arg(long)]
    pub pretty: bool,
    /// CSV import options (a `.csv` file, or any file with --preset, is imported first).
    #[command(flatten)]
    pub csv: crate::import::CsvArgs,
}

pub fn run(a: EvaluateArgs) -> CliResult {
    let engine = load_engine(a.model.as_deref())?;
    if a.csv.wants_import(&a.file) {
        let store = crate::import::store_for_evaluate(&a.file, &a.csv)?;
        return write_out(None, &if a.pretty { engine.evaluate(&store).to_json_pretty() } else { engine.evaluate_to_json(&store) });
    }
    let text = read_text(&a.file)?;
    let input = |e| CliError::input(a.file.display().to_string(), e);
    write_out(
        None,
        &if a.pretty { engine.evaluate_json(&text).map_err(input)?.to_json_pretty() } else { engine.evaluate_json_to_json(&text).map_err(input)? },
    )
}

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// JSON lines of StoreData (default: stdin).
    pub file: Option<PathBuf>,
    /// Model JSON (default: the embedded default model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Lines per parallel chunk.
    #[arg(long, default_value_t = 256)]
    pub chunk: usize,
}

/// One output line per input line, in input order: the Decision, or `{"line": N, "error": {...}}`.
pub fn batch(a: BatchArgs) -> CliResult {
    let engine = load_engine(a.model.as_deref())?;
    let reader: Box<dyn BufRead> = match &a.file {
        Some(p) if p.as_os_str() != "-" => Box::new(std::io::BufReader::new(
            std::fs::File::open(p).map_err(|e| CliError::Usage(format!("{}: {e}", p.display())))?,
        )),
        _ => Box::new(std::io::stdin().lock()),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut lines = reader.lines().enumerate();
    let (mut done, mut failed) = (0usize, 0usize);
    loop {
        let chunk: Vec<(usize, String)> = lines
            .by_ref()
            .take(a.chunk.max(1))
            .map(|(i, l)| l.map(|l| (i + 1, l)))
            .collect::<Result<_, _>>()
            .map_err(|e| CliError::Usage(format!("reading input: {e}")))?;
        if chunk.is_empty() {
            break;
        }
        let results: Vec<String> = chunk
            .par_iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| match engine.evaluate_json_to_json(l) {
                Ok(text) => text,
                Err(e) => serde_json::json!({"line": n, "error": {"code": e.code(), "path": e.path(), "message": e.message()}}).to_string(),
            })
            .collect();
        for r in results {
            if r.starts_with("{\"line\"") {
                failed += 1;
            }
            done += 1;
            writeln!(out, "{r}").map_err(|e| CliError::Other(format!("stdout: {e}")))?;
        }
        eprint!("\rbatch: {done} stores evaluated, {failed} rejected");
    }
    eprintln!();
    out.flush().map_err(|e| CliError::Other(format!("stdout: {e}")))
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SchemaKind {
    Store,
    Model,
    Decision,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Which contract.
    pub kind: SchemaKind,
}

pub fn schema(a: SchemaArgs) -> CliResult {
    let text = match a.kind {
        SchemaKind::Store => merchant_credit::schema::STORE,
        SchemaKind::Model => merchant_credit::schema::MODEL,
        SchemaKind::Decision => merchant_credit::schema::DECISION,
    };
    write_out(None, text)
}

#[derive(Subcommand, Debug)]
pub enum ModelCommand {
    /// Validate a model file and print its id, version, digest and features.
    Check {
        /// Model JSON.
        file: PathBuf,
    },
}

pub fn model(c: ModelCommand) -> CliResult {
    match c {
        ModelCommand::Check { file } => {
            let m = load_model(Some(&file))?;
            let info = serde_json::json!({
                "ok": true, "id": m.id, "version": m.version, "sha256": m.sha256(),
                "characteristics": m.scorecard.characteristics.len(), "rules": m.policy.len(),
                "features": m.feature_names(),
            });
            write_out(None, &serde_json::to_string_pretty(&info).unwrap_or_default())
        }
    }
}
