//! Model development commands: `features`, `train`, `score`, `validate`, `psi`, `pmml import|export`
//! (see docs/model-development.md and docs/pmml.md).

use crate::common::{load_model, read_text, write_out, CliError, CliResult};
use clap::{Args, Subcommand, ValueEnum};
use merchant_credit::develop::binning::Trend;
use merchant_credit::develop::table::Table;
use merchant_credit::develop::{flat, metrics, pmml, psi, train};
use merchant_credit::features::{FeatureValue, FEATURE_NAMES};
use merchant_credit::{Model, StoreData};
use std::path::{Path, PathBuf};

fn load_table(p: &Path) -> CliResult<Table> {
    let text = read_text(p)?;
    Table::parse(&text).map_err(|e| CliError::input(p.display().to_string(), e))
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn fnum(x: f64) -> String {
    format!("{x}")
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

// ---------------------------------------------------------------------------------------- features

#[derive(Args, Debug)]
pub struct FeaturesArgs {
    /// StoreData JSON files (a file may also hold JSON lines, one store per line).
    #[arg(required = true)]
    pub stores: Vec<PathBuf>,
    /// Model whose feature settings (windows, horizons) apply (default: the embedded model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn features(a: FeaturesArgs) -> CliResult {
    let model = load_model(a.model.as_deref())?;
    let mut out = String::new();
    if let Format::Csv = a.format {
        let mut head = vec!["merchant_id".to_string(), "as_of".to_string()];
        head.extend(FEATURE_NAMES.iter().map(|f| f.0.to_string()));
        out.push_str(&head.join(","));
        out.push('\n');
    }
    for p in &a.stores {
        let text = read_text(p)?;
        let stores: Vec<(String, StoreData)> = match StoreData::from_json(&text) {
            Ok(s) => vec![(p.display().to_string(), s)],
            Err(whole) => {
                let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
                if lines.len() < 2 {
                    return Err(CliError::input(p.display().to_string(), whole));
                }
                lines
                    .into_iter()
                    .map(|(i, l)| {
                        StoreData::from_json(l)
                            .map(|s| (format!("{}:{}", p.display(), i + 1), s))
                            .map_err(|e| CliError::input(format!("{} line {}", p.display(), i + 1), e))
                    })
                    .collect::<CliResult<_>>()?
            }
        };
        for (_, s) in stores {
            let (f, _) = merchant_credit::features::compute(&s, &model.features);
            match a.format {
                Format::Csv => {
                    let mut row = vec![csv_cell(&s.merchant.id), s.as_of.to_string()];
                    for (name, _) in FEATURE_NAMES {
                        row.push(match f.get(name) {
                            Some(FeatureValue::Num(x)) => fnum(*x),
                            Some(FeatureValue::Text(t)) => csv_cell(t),
                            _ => String::new(),
                        });
                    }
                    out.push_str(&row.join(","));
                }
                Format::Jsonl => {
                    let mut obj = serde_json::Map::new();
                    obj.insert("merchant_id".into(), s.merchant.id.clone().into());
                    obj.insert("as_of".into(), s.as_of.to_string().into());
                    for (name, _) in FEATURE_NAMES {
                        obj.insert((*name).into(), serde_json::to_value(f.get(name).unwrap_or(&FeatureValue::Missing)).unwrap_or_default());
                    }
                    out.push_str(&serde_json::Value::Object(obj).to_string());
                }
            }
            out.push('\n');
        }
    }
    write_out(a.output.as_deref(), &out)
}

// ------------------------------------------------------------------------------------------- train

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TrendArg {
    /// Ascending or descending by IV; peak or valley when clearly better.
    Auto,
    /// Bad rate rises with the value.
    Ascending,
    /// Bad rate falls with the value.
    Descending,
    /// Bad rate rises, then falls.
    Peak,
    /// Bad rate falls, then rises.
    Valley,
}

fn list(s: &Option<String>) -> Vec<String> {
    s.as_deref().map(|s| s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()).unwrap_or_default()
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Training data: CSV with a header line.
    #[arg(long)]
    pub data: PathBuf,
    /// Target column.
    #[arg(long)]
    pub target: String,
    /// The target value that marks a bad.
    #[arg(long, allow_hyphen_values = true)]
    pub bad: String,
    /// Special numeric codes binned apart, comma-separated (e.g. -7,-8,-9).
    #[arg(long, allow_hyphen_values = true)]
    pub special: Option<String>,
    /// Columns not to use, comma-separated.
    #[arg(long)]
    pub exclude: Option<String>,
    /// Columns to treat as categorical, comma-separated.
    #[arg(long)]
    pub categorical: Option<String>,
    /// Points to double the odds.
    #[arg(long, default_value_t = 20.0)]
    pub pdo: f64,
    /// Good:bad odds at --points.
    #[arg(long, default_value_t = 50.0)]
    pub odds: f64,
    /// Score at --odds.
    #[arg(long, default_value_t = 600.0)]
    pub points: f64,
    /// Most bins per numeric column (special and missing not counted).
    #[arg(long, default_value_t = 6)]
    pub max_bins: usize,
    /// Smallest share of rows per bin.
    #[arg(long, default_value_t = 0.05)]
    pub min_share: f64,
    /// Trend of the bad rate in numeric columns (see docs/model-development.md).
    #[arg(long, value_enum, default_value = "auto")]
    pub trend: TrendArg,
    /// Smallest information value for a column to enter.
    #[arg(long, default_value_t = 0.02)]
    pub min_iv: f64,
    /// Largest absolute WOE correlation between two columns.
    #[arg(long, default_value_t = 0.7)]
    pub max_corr: f64,
    /// Drop columns whose information value is above this (suspected target leakage). Without
    /// it, columns above 0.5 are only warned about.
    #[arg(long)]
    pub max_iv: Option<f64>,
    /// Most characteristics.
    #[arg(long, default_value_t = 25)]
    pub max_features: usize,
    /// L2 penalty of the logistic regression.
    #[arg(long, default_value_t = 1.0)]
    pub l2: f64,
    /// Share of rows held out (deterministic by row number and --seed); test metrics go to the report.
    #[arg(long, default_value_t = 0.0)]
    pub test_share: f64,
    /// Seed of the split.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Model id.
    #[arg(long, default_value = "trained")]
    pub id: String,
    /// Model output (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also write the training report (JSON) here.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

pub fn train_cmd(a: TrainArgs) -> CliResult {
    let start = std::time::Instant::now();
    let text = read_text(&a.data)?;
    let special = list(&a.special)
        .iter()
        .map(|s| s.parse::<f64>().map_err(|_| CliError::Usage(format!("--special: `{s}` is not a number"))))
        .collect::<CliResult<Vec<f64>>>()?;
    let mut opt = train::TrainOptions {
        target: a.target.clone(),
        bad: a.bad.clone(),
        exclude: list(&a.exclude),
        categorical: list(&a.categorical),
        min_iv: a.min_iv,
        max_corr: a.max_corr,
        max_iv: a.max_iv,
        max_features: a.max_features,
        l2: a.l2,
        pdo: a.pdo,
        odds: a.odds,
        points: a.points,
        test_share: a.test_share,
        seed: a.seed,
        id: a.id.clone(),
        ..Default::default()
    };
    opt.binning.special = special;
    opt.binning.max_bins = a.max_bins;
    opt.binning.min_share = a.min_share;
    opt.binning.trend = match a.trend {
        TrendArg::Auto => Trend::Auto,
        TrendArg::Ascending => Trend::Ascending,
        TrendArg::Descending => Trend::Descending,
        TrendArg::Peak => Trend::Peak,
        TrendArg::Valley => Trend::Valley,
    };
    let t = train::train_csv(&text, &opt).map_err(|e| CliError::input(a.data.display().to_string(), e))?;
    let json = serde_json::to_string_pretty(&t.model).map_err(|e| CliError::Other(e.to_string()))?;
    write_out(a.output.as_deref(), &json)?;
    if let Some(r) = &a.report {
        write_out(Some(r), &serde_json::to_string_pretty(&t.report).unwrap_or_default())?;
    }
    let m = &t.report["metrics"];
    eprintln!(
        "trained {} characteristics on {} rows in {:.3} s; train AUC {}; test AUC {}",
        t.model.scorecard.characteristics.len(),
        t.report["train_rows"],
        start.elapsed().as_secs_f64(),
        m["train"]["auc"],
        m["test"]["auc"]
    );
    for w in t.report["warnings"].as_array().into_iter().flatten() {
        eprintln!("warning: {}", w.as_str().unwrap_or_default());
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------- score

#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// Model JSON.
    #[arg(long)]
    pub model: PathBuf,
    /// Records: CSV with a header line.
    #[arg(long)]
    pub data: PathBuf,
    /// A column to copy to the output as the record's id.
    #[arg(long)]
    pub id: Option<String>,
    /// Reasons per record.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn score(a: ScoreArgs) -> CliResult {
    let model = load_model(Some(&a.model))?;
    let table = load_table(&a.data)?;
    let id_col = match &a.id {
        Some(c) => Some(table.column(c).map_err(|e| CliError::input(a.data.display().to_string(), e))?),
        None => None,
    };
    let scores = flat::score_table(&model, &table);
    let mut out = String::new();
    if let Format::Csv = a.format {
        let mut head: Vec<String> = Vec::new();
        if let Some(c) = &a.id {
            head.push(csv_cell(c));
        }
        head.extend(["score", "raw_score", "pd", "grade"].map(String::from));
        for k in 1..=a.top {
            head.push(format!("reason_{k}"));
        }
        if !model.policy.is_empty() {
            head.push("rules".into());
        }
        out.push_str(&head.join(","));
        out.push('\n');
    }
    for (i, s) in scores.iter().enumerate() {
        let id = id_col.and_then(|c| table.rows.get(i).and_then(|r| r.get(c))).cloned().unwrap_or_default();
        match a.format {
            Format::Csv => {
                let mut row: Vec<String> = Vec::new();
                if a.id.is_some() {
                    row.push(csv_cell(&id));
                }
                row.extend([fnum(s.score), fnum(s.raw_score), fnum(s.pd), csv_cell(&s.grade)]);
                for k in 0..a.top {
                    row.push(s.reasons.get(k).map(|r| csv_cell(&r.code)).unwrap_or_default());
                }
                if !model.policy.is_empty() {
                    row.push(csv_cell(&s.rules.join(" ")));
                }
                out.push_str(&row.join(","));
            }
            Format::Jsonl => {
                let mut v = serde_json::json!({
                    "score": s.score, "raw_score": s.raw_score, "pd": s.pd, "grade": s.grade,
                    "reasons": s.reasons.iter().take(a.top).collect::<Vec<_>>(), "points": s.points,
                });
                if let (Some(c), Some(obj)) = (&a.id, v.as_object_mut()) {
                    obj.insert(c.clone(), id.into());
                }
                if let (false, Some(obj)) = (s.rules.is_empty(), v.as_object_mut()) {
                    obj.insert("rules".into(), s.rules.clone().into());
                }
                out.push_str(&v.to_string());
            }
        }
        out.push('\n');
    }
    write_out(a.output.as_deref(), &out)
}

// ---------------------------------------------------------------------------------------- validate

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Model JSON.
    #[arg(long)]
    pub model: PathBuf,
    /// Labelled records: CSV with a header line.
    #[arg(long)]
    pub data: PathBuf,
    /// Target column.
    #[arg(long)]
    pub target: String,
    /// The target value that marks a bad.
    #[arg(long, allow_hyphen_values = true)]
    pub bad: String,
    /// Also write an SVG chart (ROC curve and calibration by grade).
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Output file (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn validate(a: ValidateArgs) -> CliResult {
    let model = load_model(Some(&a.model))?;
    let table = load_table(&a.data)?;
    let file = a.data.display().to_string();
    let labels = train::labels(&table, &a.target, &a.bad).map_err(|e| CliError::input(file.clone(), e))?;
    let scores = flat::score_table(&model, &table);
    let (mut pd, mut bad, mut sc, mut grade) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (s, l) in scores.iter().zip(&labels) {
        if let Some(l) = l {
            pd.push(s.pd);
            bad.push(*l);
            sc.push(s.score);
            grade.push(s.grade.clone());
        }
    }
    let summary = metrics::summary(&pd, &bad);
    let r6 = |x: f64| (x * 1e6).round() / 1e6;
    // calibration by grade, in the model's grade order
    let mut calibration = Vec::new();
    for g in &model.grades {
        let idx: Vec<usize> = (0..grade.len()).filter(|&i| grade[i] == g.grade).collect();
        let n = idx.len();
        let bads = idx.iter().filter(|&&i| bad[i]).count();
        let mean_pd = if n > 0 { idx.iter().map(|&i| pd[i]).sum::<f64>() / n as f64 } else { 0.0 };
        calibration.push(serde_json::json!({
            "grade": g.grade, "min_score": g.min_score, "count": n, "bads": bads,
            "predicted_pd": r6(mean_pd), "observed_bad_rate": if n > 0 { Some(r6(bads as f64 / n as f64)) } else { None },
        }));
    }
    // score distribution in bands of `pdo` points
    let width = model.scorecard.scaling.pdo.max(1.0);
    let mut bands: std::collections::BTreeMap<i64, (usize, usize)> = std::collections::BTreeMap::new();
    for (s, b) in sc.iter().zip(&bad) {
        let k = (s / width).floor() as i64;
        let e = bands.entry(k).or_default();
        e.0 += 1;
        e.1 += usize::from(*b);
    }
    let distribution: Vec<serde_json::Value> = bands
        .iter()
        .map(|(k, (n, b))| serde_json::json!({"from": *k as f64 * width, "to": (*k + 1) as f64 * width, "count": n, "bads": b}))
        .collect();
    let report = serde_json::json!({
        "model": {"id": model.id, "version": model.version, "sha256": model.sha256()},
        "data": file,
        "rows_without_target": labels.iter().filter(|l| l.is_none()).count(),
        "metrics": summary,
        "calibration": calibration,
        "score_distribution": distribution,
    });
    if let Some(p) = &a.svg {
        let roc = metrics::roc(&pd, &bad, 200);
        write_out(Some(p), &svg_chart(&roc, &calibration, summary.auc))?;
    }
    write_out(a.output.as_deref(), &serde_json::to_string_pretty(&report).unwrap_or_default())
}

fn svg_chart(roc: &[(f64, f64)], calibration: &[serde_json::Value], auc: Option<f64>) -> String {
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"380\" font-family=\"sans-serif\" font-size=\"12\">\n",
    );
    // ROC panel: 300x300 at (40, 30)
    s.push_str("<rect x=\"40\" y=\"30\" width=\"300\" height=\"300\" fill=\"none\" stroke=\"#888\"/>\n");
    s.push_str("<line x1=\"40\" y1=\"330\" x2=\"340\" y2=\"30\" stroke=\"#ccc\" stroke-dasharray=\"4\"/>\n");
    let pts: Vec<String> = roc.iter().map(|(x, y)| format!("{:.1},{:.1}", 40.0 + x * 300.0, 330.0 - y * 300.0)).collect();
    s.push_str(&format!("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{}\"/>\n", pts.join(" ")));
    s.push_str(&format!(
        "<text x=\"40\" y=\"20\">ROC (AUC {})</text><text x=\"150\" y=\"350\">false positive rate</text>\n",
        auc.map_or("-".into(), |a| format!("{a:.3}"))
    ));
    // calibration panel: bars per grade, predicted vs observed
    s.push_str("<text x=\"420\" y=\"20\">Calibration by grade: predicted PD (grey) vs observed bad rate (orange)</text>\n");
    s.push_str("<rect x=\"420\" y=\"30\" width=\"320\" height=\"300\" fill=\"none\" stroke=\"#888\"/>\n");
    let max = calibration
        .iter()
        .flat_map(|c| [c["predicted_pd"].as_f64().unwrap_or(0.0), c["observed_bad_rate"].as_f64().unwrap_or(0.0)])
        .fold(0.01f64, f64::max);
    let w = 320.0 / calibration.len().max(1) as f64;
    for (i, c) in calibration.iter().enumerate() {
        let x = 420.0 + i as f64 * w;
        let p = c["predicted_pd"].as_f64().unwrap_or(0.0) / max * 280.0;
        let o = c["observed_bad_rate"].as_f64().unwrap_or(0.0) / max * 280.0;
        s.push_str(&format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#aaa\"/>\n", x + w * 0.1, 330.0 - p, w * 0.38, p));
        s.push_str(&format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#ff7f0e\"/>\n", x + w * 0.52, 330.0 - o, w * 0.38, o));
        s.push_str(&format!("<text x=\"{:.1}\" y=\"348\">{}</text>\n", x + w * 0.4, c["grade"].as_str().unwrap_or("")));
    }
    s.push_str("</svg>\n");
    s
}

// --------------------------------------------------------------------------------------------- psi

#[derive(Args, Debug)]
pub struct PsiArgs {
    /// Model JSON.
    #[arg(long)]
    pub model: PathBuf,
    /// The base sample (e.g. the training data): CSV.
    #[arg(long)]
    pub base: PathBuf,
    /// The current sample: CSV.
    #[arg(long)]
    pub current: PathBuf,
    /// Output file (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn psi_cmd(a: PsiArgs) -> CliResult {
    let model = load_model(Some(&a.model))?;
    let base = load_table(&a.base)?;
    let current = load_table(&a.current)?;
    let rows = psi::psi(&model, &base, &current);
    let report = serde_json::json!({
        "reading": "PSI < 0.10 stable, 0.10-0.25 investigate, > 0.25 shifted",
        "score": rows.first(),
        "characteristics": rows.get(1..).unwrap_or(&[]),
    });
    write_out(a.output.as_deref(), &serde_json::to_string_pretty(&report).unwrap_or_default())
}

// -------------------------------------------------------------------------------------------- pmml

#[derive(Subcommand, Debug)]
pub enum PmmlCommand {
    /// Convert a PMML 4.x <Scorecard> to a model JSON.
    Import {
        /// PMML file.
        file: PathBuf,
        /// Model output (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write a model's scorecard as PMML 4.4 <Scorecard>.
    Export {
        /// Model JSON.
        model: PathBuf,
        /// PMML output (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

pub fn pmml_cmd(c: PmmlCommand) -> CliResult {
    match c {
        PmmlCommand::Import { file, output } => {
            let text = read_text(&file)?;
            let m: Model = pmml::import(&text).map_err(|e| CliError::input(file.display().to_string(), e))?;
            write_out(output.as_deref(), &serde_json::to_string_pretty(&m).unwrap_or_default())
        }
        PmmlCommand::Export { model, output } => {
            let m = load_model(Some(&model))?;
            let xml = pmml::export(&m).map_err(|e| CliError::input(model.display().to_string(), e))?;
            write_out(output.as_deref(), &xml)
        }
    }
}
