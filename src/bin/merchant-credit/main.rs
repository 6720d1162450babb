//! The `merchant-credit` command-line tool (native only; feature `cli`).
//!
//! Exit codes: 0 success, 2 bad input (message on stderr), 1 any other failure. Never a panic
//! or a backtrace on bad input.

mod common;
mod develop;
mod evaluate;
mod import;
mod lifecycle;
mod synth;
#[cfg(feature = "server")]
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "merchant-credit", version, about = "Credit scoring and credit limits for e-commerce sellers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Evaluate one store (StoreData JSON, or a CSV export with --preset) and print the Decision JSON.
    Evaluate(evaluate::EvaluateArgs),
    /// Evaluate JSON lines of StoreData from a file or stdin, one Decision per line, on all cores.
    Batch(evaluate::BatchArgs),
    /// Print the JSON Schema of a data contract.
    Schema(evaluate::SchemaArgs),
    /// Model tools.
    #[command(subcommand)]
    Model(evaluate::ModelCommand),
    /// Serve the engine over HTTP: the authoritative check (feature `server`; see docs/server.md).
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
    /// Write the engine's feature vector per store (CSV or JSON lines), to join outcomes and train.
    Features(develop::FeaturesArgs),
    /// Train a scorecard on a flat CSV (binning, WOE/IV, logistic regression, points).
    Train(develop::TrainArgs),
    /// Score flat records (CSV) with a model: score, PD, grade and top reasons per row.
    Score(develop::ScoreArgs),
    /// Validate a model on labelled records: AUC, Gini, KS, log loss, Brier, calibration by grade.
    Validate(develop::ValidateArgs),
    /// Population stability of the score and of each characteristic between two samples.
    Psi(develop::PsiArgs),
    /// PMML <Scorecard> import and export.
    #[command(subcommand)]
    Pmml(develop::PmmlCommand),
    /// Import a CSV export (generic, shopify, mapping) or the Olist tables (--dir) to StoreData JSON.
    Import(import::ImportArgs),
    /// Draw a synthetic store (deterministic per --seed) as StoreData JSON.
    Synth(synth::SynthArgs),
    /// Monitor a store against its previous decision (or replay snapshots): signals and the reassessed line.
    Monitor(lifecycle::MonitorArgs),
    /// Build a repayment schedule (installments, bullet, holdback) with its APR, from a request or a decision's offer.
    Schedule(lifecycle::ScheduleArgs),
    /// Service a loan: status, DPD bucket, collection stage, suspension, write-off, statement.
    Servicing(lifecycle::ServicingArgs),
    // (subcommands added by other modules go here)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Evaluate(a) => evaluate::run(a),
        Command::Import(a) => import::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Batch(a) => evaluate::batch(a),
        Command::Schema(a) => evaluate::schema(a),
        Command::Model(c) => evaluate::model(c),
        Command::Features(a) => develop::features(a),
        Command::Train(a) => develop::train_cmd(a),
        Command::Score(a) => develop::score(a),
        Command::Validate(a) => develop::validate(a),
        Command::Psi(a) => develop::psi_cmd(a),
        Command::Pmml(c) => develop::pmml_cmd(c),
        Command::Monitor(a) => lifecycle::monitor(a),
        Command::Schedule(a) => lifecycle::schedule(a),
        Command::Servicing(a) => lifecycle::servicing(a),
        #[cfg(feature = "server")]
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("merchant-credit: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
