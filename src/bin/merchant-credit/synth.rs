//! `synth`: a synthetic store for demos, tests and benchmarks.

use crate::common::{write_out, CliError, CliResult};
use clap::Args;
use merchant_credit::date::Date;
use merchant_credit::synth::{synth, Profile, SynthOptions};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SynthArgs {
    /// healthy, growing, declining, seasonal, new, wash_trading or delinquent.
    #[arg(long, value_parser = parse_profile)]
    pub profile: Profile,
    /// Orders to draw.
    #[arg(long, default_value_t = 2000)]
    pub orders: u32,
    /// Seed (default: a random one, printed on stderr so the store can be drawn again).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The evaluation date (default 2025-06-30).
    #[arg(long = "as-of", value_parser = |s: &str| Date::parse(s).ok_or_else(|| format!("`{s}` is not a date like 2025-06-30")))]
    pub as_of: Option<Date>,
    /// ISO 4217 currency (default CNY).
    #[arg(long)]
    pub currency: Option<String>,
    /// The merchant id (default synth-PROFILE-SEED).
    #[arg(long = "merchant-id")]
    pub merchant_id: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.as_str()).collect();
        format!("unknown profile `{s}` ({})", names.join(", "))
    })
}

pub fn run(a: SynthArgs) -> CliResult {
    let seed = match a.seed {
        Some(s) => s,
        None => {
            let mut b = [0u8; 8];
            getrandom::fill(&mut b).map_err(|e| CliError::Other(format!("no random seed available: {e}; give --seed")))?;
            // keep it short enough to retype
            let s = u64::from_le_bytes(b) % 1_000_000_000;
            eprintln!("synth: seed {s} (reproduce with --seed {s})");
            s
        }
    };
    let opts = SynthOptions { orders: a.orders, seed, as_of: a.as_of, currency: a.currency, merchant_id: a.merchant_id };
    let store = synth(a.profile, &opts);
    store.validate().map_err(|e| CliError::input("", e))?;
    let text = if a.pretty { serde_json::to_string_pretty(&store) } else { serde_json::to_string(&store) }.unwrap_or_default();
    write_out(a.out.as_deref(), &text)
}
