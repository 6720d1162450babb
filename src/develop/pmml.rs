//! PMML 4.x `<Scorecard>` import and export (see `docs/pmml.md`).
//!
//! Import maps every `Attribute` to a bin with a `when` condition (first match wins, as in PMML),
//! `partialScore` to points, a linear `ComplexPartialScore` to `partial_score`, `initialScore` to
//! `base_points`, reason codes and baselines as the spec resolves them (an Attribute's
//! `reasonCode` overrides its Characteristic's; a Characteristic's `baselineScore` overrides the
//! Scorecard's; without either, `baselineMethod` max / min / neutral / mean decides). Export writes
//! the engine's matching order out explicitly (missing first, then special values, then the bins
//! in order, then a catch-all for values no bin takes), so a PMML evaluator scores as the engine.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Bin, Calibration, Characteristic, Condition, Grade, Op, Operand, PartialScore, ReasonAlgorithm, Rule, RuleOutcome, Scaling,
    Scorecard, Thresholds,
};
use crate::Model;
use crate::features::{FeatureValue, Features};
use roxmltree::Node;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Largest PMML document accepted, in bytes.
pub const MAX_PMML_BYTES: usize = 16 * 1024 * 1024;

const MODEL_ELEMENTS: &[&str] = &[
    "AssociationModel", "BayesianNetworkModel", "BaselineModel", "ClusteringModel", "GaussianProcessModel",
    "GeneralRegressionModel", "MiningModel", "NaiveBayesModel", "NearestNeighborModel", "NeuralNetwork",
    "RegressionModel", "RuleSetModel", "SequenceModel", "Scorecard", "SupportVectorMachineModel", "TextModel",
    "TimeSeriesModel", "TreeModel", "AnomalyDetectionModel",
];

fn perr(msg: impl Into<String>, path: impl Into<String>) -> Error {
    Error::new(ErrorKind::Pmml(msg.into()), path)
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn num_attr(n: Node<'_, '_>, name: &str, at: &str) -> Result<Option<f64>> {
    match n.attribute(name) {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| perr(format!("{name}=\"{s}\" is not a finite number"), at)),
    }
}

/// Imports a PMML `<Scorecard>` as a model.
pub fn import(xml: &str) -> Result<Model> {
    if xml.len() > MAX_PMML_BYTES {
        return Err(Error::new(ErrorKind::TooLarge(format!("PMML of {} bytes; the limit is {MAX_PMML_BYTES}", xml.len())), ""));
    }
    let doc = roxmltree::Document::parse(xml).map_err(|e| perr(format!("not well-formed XML: {e}"), ""))?;
    let root = doc.root_element();
    if root.tag_name().name() != "PMML" {
        return Err(perr(format!("the root element is <{}>, not <PMML>", root.tag_name().name()), ""));
    }
    let models: Vec<Node<'_, '_>> =
        root.children().filter(|c| c.is_element() && MODEL_ELEMENTS.contains(&c.tag_name().name())).collect();
    let sc = match models.iter().find(|m| m.tag_name().name() == "Scorecard") {
        Some(sc) => *sc,
        None => {
            let found: Vec<&str> = models.iter().map(|m| m.tag_name().name()).collect();
            return Err(perr(
                format!("not a Scorecard: the document holds {}", if found.is_empty() { "no model".into() } else { format!("<{}>", found.join(">, <")) }),
                "PMML",
            ));
        }
    };
    // fields, their treatments and the derived fields
    let (fields, active) = read_fields(root, sc)?;
    let mut ctx = Ctx { fields, derived: BTreeMap::new() };
    let locals = child(sc, "LocalTransformations");
    for (td, at) in [(child(root, "TransformationDictionary"), "TransformationDictionary"), (locals, "Scorecard.LocalTransformations")] {
        for (i, d) in td.iter().flat_map(|t| elements(*t, "DerivedField")).enumerate() {
            let (name, der) = read_derived(d, &ctx.fields, &format!("{at}.DerivedField[{i}]"))?;
            ctx.derived.insert(name, der);
        }
    }
    let use_rc = sc.attribute("useReasonCodes").is_none_or(|v| v.trim() == "true" || v.trim() == "1");
    let algorithm = match sc.attribute("reasonCodeAlgorithm").unwrap_or("pointsBelow") {
        "pointsBelow" => ReasonAlgorithm::PointsBelow,
        "pointsAbove" => ReasonAlgorithm::PointsAbove,
        other => return Err(perr(format!("unknown reasonCodeAlgorithm `{other}`"), "Scorecard")),
    };
    let initial = num_attr(sc, "initialScore", "Scorecard")?.unwrap_or(0.0);
    let sc_baseline = num_attr(sc, "baselineScore", "Scorecard")?;
    let method = sc.attribute("baselineMethod").unwrap_or("other");
    let chars_node = child(sc, "Characteristics").ok_or_else(|| perr("a Scorecard needs <Characteristics>", "Scorecard"))?;
    let mut characteristics = Vec::new();
    // where PMML returns no score besides invalid input: a ComplexPartialScore of a missing value
    let mut no_score: Vec<Condition> = Vec::new();
    for (ci, cn) in chars_node.children().filter(|c| c.is_element() && c.tag_name().name() == "Characteristic").enumerate() {
        let at = format!("Characteristic[{ci}]");
        let name = cn.attribute("name").map_or_else(|| format!("characteristic_{ci}"), str::to_string);
        let c_baseline = num_attr(cn, "baselineScore", &at)?;
        let mut bins = Vec::new();
        let mut fields: Vec<String> = Vec::new();
        for (ai, an) in cn.children().filter(|c| c.is_element() && c.tag_name().name() == "Attribute").enumerate() {
            let aat = format!("{at}.Attribute[{ai}]");
            let pred_node = an
                .children()
                .find(|c| c.is_element() && !matches!(c.tag_name().name(), "Extension" | "ComplexPartialScore"))
                .ok_or_else(|| perr("an Attribute needs a predicate", aat.as_str()))?;
            let when = ctx.tv(&parse_pred(pred_node, &ctx, &aat)?, true);
            let mut fs = Vec::new();
            when.features(&mut fs);
            for f in fs {
                if !fields.iter().any(|x| x == f) {
                    fields.push(f.to_string());
                }
            }
            let partial = match child(an, "ComplexPartialScore") {
                Some(cps) => {
                    let expr = cps.children().find(|c| c.is_element() && c.tag_name().name() != "Extension")
                        .ok_or_else(|| perr("an empty ComplexPartialScore", aat.as_str()))?;
                    let (a, b, field) = linear(expr, &aat)?;
                    let (a, b, field) = match field {
                        Some(f) => {
                            let (a, b, f) = ctx.cps_source(&f, a, b, &aat)?;
                            (a, b, Some(f))
                        }
                        None => (a, b, None),
                    };
                    if let Some(f) = &field {
                        if !fields.iter().any(|x| x == f) {
                            fields.push(f.clone());
                        }
                    }
                    Some((PartialScore { intercept: a, slope: b }, field))
                }
                None => None,
            };
            let points = match (&partial, num_attr(an, "partialScore", &aat)?) {
                (Some((ps, _)), _) => ps.intercept,
                (None, Some(p)) => p,
                (None, None) => return Err(perr("an Attribute needs partialScore or ComplexPartialScore", aat)),
            };
            // a ComplexPartialScore reads the prepared value: one bin per case of the raw value
            let mut variants = vec![(when.clone(), points, partial.as_ref().map(|p| p.0))];
            if let Some((ps, Some(f))) = &partial {
                // a comparison with a number is false on a missing value: nothing to flag then
                if ps.slope != 0.0 && !implies_number(&when) {
                    for (guard, prep) in ctx.fields[f].cases(f) {
                        if matches!(prep, Prep::Const(Val::Missing)) {
                            no_score.push(and_(vec![guard, when.clone()]));
                        }
                    }
                }
            }
            if let Some((ps, Some(f))) = &partial {
                if ps.slope != 0.0 && !ctx.fields[f].plain() {
                    variants.clear();
                    for (guard, prep) in ctx.fields[f].cases(f) {
                        let w = and_(vec![guard, when.clone()]);
                        if is_false(&w) {
                            continue;
                        }
                        match prep {
                            Prep::X => variants.push((w, points, Some(*ps))),
                            Prep::Const(Val::Num(x)) => variants.push((w, ps.intercept + ps.slope * x, None)),
                            // PMML has no partial score for a missing or invalid value (no score at
                            // all; the refer rule fires): no match here
                            Prep::Const(_) => {}
                        }
                    }
                }
            }
            for (when, points, partial_score) in variants {
                bins.push(Bin {
                    lower: None,
                    upper: None,
                    categories: None,
                    special: None,
                    when: Some(when),
                    points,
                    partial_score,
                    reason_code: if use_rc { an.attribute("reasonCode").map(str::to_string) } else { None },
                    label: None,
                });
            }
            if let Some((_, Some(f))) = &partial {
                if fields.first().is_some_and(|x| x != f) || fields.len() > 1 {
                    return Err(perr(format!("ComplexPartialScore reads `{f}` but the characteristic's predicates read other fields"), aat));
                }
            }
        }
        if bins.is_empty() {
            return Err(perr("a Characteristic needs at least one Attribute", at));
        }
        let feature = if fields.len() == 1 { fields.first().cloned() } else { None };
        if feature.is_none() && bins.iter().any(|b| b.partial_score.is_some_and(|p| p.slope != 0.0)) {
            return Err(perr("ComplexPartialScore needs a characteristic that reads one field", at));
        }
        let pts: Vec<f64> = bins.iter().map(|b| b.points).collect();
        let baseline = match (c_baseline, sc_baseline) {
            (Some(b), _) | (None, Some(b)) => Some(b),
            (None, None) => match method {
                "max" => pts.iter().copied().reduce(f64::max),
                "min" => pts.iter().copied().reduce(f64::min),
                "neutral" => Some(0.0),
                "mean" => Some(pts.iter().sum::<f64>() / pts.len().max(1) as f64),
                _ if use_rc => return Err(perr("useReasonCodes needs a baselineScore on the Characteristic or the Scorecard (baselineMethod=\"other\")", at)),
                _ => None,
            },
        };
        characteristics.push(Characteristic {
            name,
            feature,
            reason_code: if use_rc { cn.attribute("reasonCode").map(str::to_string) } else { None },
            reason: None,
            missing_reason: None,
            baseline_points: baseline,
            missing_points: None,
            bins,
        });
    }
    let model_name = sc.attribute("modelName").unwrap_or("pmml-scorecard");
    // PMML returns no score when an input is invalid (returnInvalid): the engine cannot, so the
    // import adds a refer rule that fires exactly then
    let invalid = or_(vec![ctx.invalid_input(&active), or_(no_score)]);
    let mut invalid_fields = Vec::new();
    invalid.features(&mut invalid_fields);
    invalid_fields.dedup();
    let invalid_fields: Vec<String> = invalid_fields.iter().map(|f| f.to_string()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let policy = if is_false(&invalid) {
        Vec::new()
    } else {
        vec![Rule {
            id: "PMML-INVALID".into(),
            outcome: RuleOutcome::Refer,
            when: invalid,
            message: format!(
                "the PMML model returns no score for this input (a value of {} that is invalid under returnInvalid, or missing where a ComplexPartialScore reads it); the score shown scores that characteristic as unmatched",
                invalid_fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            ),
            fraud: false,
        }]
    };
    let mut extensions = BTreeMap::new();
    extensions.insert(
        "pmml".to_string(),
        serde_json::json!({
            "model_name": model_name, "version": root.attribute("version"),
            "use_reason_codes": use_rc, "baseline_method": method,
            "note": "imported from PMML: points are the PMML partial scores; PD and grades use the default scaling (600 points at odds 50, 20 points to double); field treatments (missing-value replacement and codes, invalid values, outliers) and derived fields are translated into the conditions (docs/pmml.md)",
            "invalid_input": if invalid_fields.is_empty() { serde_json::Value::Null } else { serde_json::json!({
                "fields": invalid_fields,
                "note": "PMML returns no score when one of these fields is invalid or missing under returnInvalid, or missing where a ComplexPartialScore reads it; the engine cannot return no score: policy rule PMML-INVALID (refer) fires exactly then (the scorecard alone scores such a record with the unmatched characteristic's missing points; flat `merchant-credit score` applies no policy rules)",
            }) },
        }),
    );
    let model = Model {
        schema: Some(crate::model::MODEL_SCHEMA.into()),
        id: model_name.to_string(),
        version: "1.0.0".into(),
        description: root
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == "Header")
            .and_then(|h| h.attribute("description"))
            .map(str::to_string),
        features: Default::default(),
        policy,
        scorecard: Scorecard {
            scaling: Scaling { base_score: 600.0, base_odds: 50.0, pdo: 20.0 },
            base_points: initial,
            reason_algorithm: algorithm,
            characteristics,
        },
        calibration: Calibration::Scaling,
        grades: vec![Grade { grade: "-".into(), min_score: None }],
        decision: Thresholds { approve_max_pd: 1.0, refer_max_pd: 1.0 },
        limit: None,
        products: Vec::new(),
        pricing: None,
        lifecycle: None,
        extensions,
    };
    let value = serde_json::to_value(&model).map_err(|e| perr(format!("{e}"), ""))?;
    Model::from_value(value)
}

/// Splits a PMML Array's text: whitespace-separated, `"..."` quoting with `\"` escapes.
fn array_items(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        let mut item = String::new();
        if c == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'"') => {
                        chars.next();
                        item.push('"');
                    }
                    '"' => break,
                    c => item.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                item.push(c);
                chars.next();
            }
        }
        out.push(item);
    }
    out
}

/// A linear expression `a + b * field` from an `Apply` / `Constant` / `FieldRef` tree.
fn linear(n: Node<'_, '_>, at: &str) -> Result<(f64, f64, Option<String>)> {
    let not_linear = || perr("ComplexPartialScore is not linear in one field (supported: +, -, *, / by a constant, Constant, FieldRef)", at);
    match n.tag_name().name() {
        "Constant" => {
            let t = n.text().unwrap_or("").trim();
            let x = t.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| perr(format!("Constant `{t}` is not a number"), at))?;
            Ok((x, 0.0, None))
        }
        "FieldRef" => Ok((0.0, 1.0, n.attribute("field").map(str::to_string))),
        "Apply" => {
            let args = n
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() != "Extension")
                .map(|c| linear(c, at))
                .collect::<Result<Vec<_>>>()?;
            let mut field: Option<String> = None;
            for a in &args {
                if let Some(f) = &a.2 {
                    if field.as_ref().is_some_and(|g| g != f) {
                        return Err(not_linear());
                    }
                    field = Some(f.clone());
                }
            }
            let f = n.attribute("function").unwrap_or("");
            let r = match (f, args.as_slice()) {
                ("+", [_, ..]) => args.iter().fold((0.0, 0.0), |s, a| (s.0 + a.0, s.1 + a.1)),
                ("-", [x]) => (-x.0, -x.1),
                ("-", [x, y]) => (x.0 - y.0, x.1 - y.1),
                ("*", [x, y]) if x.1 == 0.0 => (x.0 * y.0, x.0 * y.1),
                ("*", [x, y]) if y.1 == 0.0 => (x.0 * y.0, x.1 * y.0),
                ("/", [x, y]) if y.1 == 0.0 && y.0 != 0.0 => (x.0 / y.0, x.1 / y.0),
                _ => return Err(not_linear()),
            };
            Ok((r.0, r.1, field))
        }
        _ => Err(not_linear()),
    }
}

// ----------------------------------------------------------------------------------------------
// fields: DataDictionary + MiningSchema treatments, derived fields, and the translation of
// predicates into engine conditions (see docs/pmml.md, "Field treatments and derived fields").

/// A constant value of a field as PMML sees it after preparation.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Missing,
    /// PMML returns an invalid result (no score).
    Invalid,
    Num(f64),
    Text(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Interval {
    lo: Option<f64>,
    lo_closed: bool,
    hi: Option<f64>,
    hi_closed: bool,
}

impl Interval {
    fn parse(n: Node<'_, '_>, at: &str) -> Result<Interval> {
        let closure = n.attribute("closure").unwrap_or("");
        let (lo_closed, hi_closed) = match closure {
            "openOpen" => (false, false),
            "openClosed" => (false, true),
            "closedOpen" => (true, false),
            "closedClosed" => (true, true),
            other => return Err(perr(format!("<Interval> closure `{other}` is not openOpen / openClosed / closedOpen / closedClosed"), at)),
        };
        Ok(Interval { lo: num_attr(n, "leftMargin", at)?, lo_closed, hi: num_attr(n, "rightMargin", at)?, hi_closed })
    }
    fn contains(&self, x: f64) -> bool {
        self.lo.is_none_or(|l| if self.lo_closed { x >= l } else { x > l }) && self.hi.is_none_or(|h| if self.hi_closed { x <= h } else { x < h })
    }
    fn cond(&self, f: &str) -> Condition {
        let mut v = Vec::new();
        if let Some(l) = self.lo {
            v.push(cmp(f, if self.lo_closed { Op::Ge } else { Op::Gt }, Operand::Num(l)));
        }
        if let Some(h) = self.hi {
            v.push(cmp(f, if self.hi_closed { Op::Le } else { Op::Lt }, Operand::Num(h)));
        }
        if v.is_empty() {
            v.push(numeric_ok(f));
        }
        and_(v)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum InvalidTreatment {
    ReturnInvalid,
    AsIs,
    AsMissing,
    AsValue,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Outliers {
    /// asIs
    Unchanged,
    /// asMissingValues
    Missing,
    /// asExtremeValues
    Clamp,
}

/// A DataField with its MiningField.
#[derive(Clone, Debug)]
struct Field {
    numeric: bool,
    continuous: bool,
    codes: Vec<Operand>,
    invalid_values: Vec<Operand>,
    valid_values: Vec<Operand>,
    intervals: Vec<Interval>,
    replacement: Option<Val>,
    missing_invalid: bool,
    invalid: InvalidTreatment,
    invalid_value: Option<Val>,
    outliers: Outliers,
    low: Option<f64>,
    high: Option<f64>,
}

/// What the prepared value is in one case of the raw value.
#[derive(Clone, Debug)]
enum Prep {
    Const(Val),
    /// the raw value itself
    X,
}

fn cmp(f: &str, op: Op, v: Operand) -> Condition {
    Condition::Cmp { feature: f.to_string(), op, value: Some(v) }
}
fn unary(f: &str, op: Op) -> Condition {
    Condition::Cmp { feature: f.to_string(), op, value: None }
}
fn cfalse() -> Condition {
    Condition::Not(Box::new(Condition::True))
}
fn is_false(c: &Condition) -> bool {
    matches!(c, Condition::Not(b) if **b == Condition::True) || matches!(c, Condition::Any(v) if v.is_empty())
}
fn is_true(c: &Condition) -> bool {
    matches!(c, Condition::True) || matches!(c, Condition::All(v) if v.is_empty())
}
fn cbool(b: bool) -> Condition {
    if b {
        Condition::True
    } else {
        cfalse()
    }
}
/// A number (text that is not a number is neither <= 0 nor > 0 in the engine).
fn numeric_ok(f: &str) -> Condition {
    Condition::Any(vec![cmp(f, Op::Le, Operand::Num(0.0)), cmp(f, Op::Gt, Operand::Num(0.0))])
}
fn and_(v: Vec<Condition>) -> Condition {
    let mut out: Vec<Condition> = Vec::new();
    for c in v {
        let parts = match c {
            Condition::All(cs) => cs,
            c => vec![c],
        };
        for c in parts {
            if is_false(&c) {
                return cfalse();
            }
            if !is_true(&c) && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    match out.len() {
        0 => Condition::True,
        1 => out.remove(0),
        _ => Condition::All(out),
    }
}
fn or_(v: Vec<Condition>) -> Condition {
    let mut out: Vec<Condition> = Vec::new();
    for c in v {
        let parts = match c {
            Condition::Any(cs) => cs,
            c => vec![c],
        };
        for c in parts {
            if is_true(&c) {
                return Condition::True;
            }
            if !is_false(&c) && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    match out.len() {
        0 => cfalse(),
        1 => out.remove(0),
        _ => Condition::Any(out),
    }
}
fn not_(c: Condition) -> Condition {
    match c {
        c if is_true(&c) => cfalse(),
        c if is_false(&c) => Condition::True,
        Condition::Not(x) => *x,
        c => Condition::Not(Box::new(c)),
    }
}

fn list_or_none(f: &str, op: Op, l: &[Operand]) -> Option<Condition> {
    (!l.is_empty()).then(|| cmp(f, op, Operand::List(l.to_vec())))
}

impl Field {
    fn operand(&self, name: &str, v: &str, at: &str) -> Result<Operand> {
        if self.numeric {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Operand::Num)
                .ok_or_else(|| perr(format!("value `{v}` of numeric field `{name}` is not a number"), at))
        } else {
            Ok(Operand::Text(v.to_string()))
        }
    }
    /// Whether any treatment makes the prepared value differ from the raw one.
    fn plain(&self) -> bool {
        self.codes.is_empty()
            && self.invalid_values.is_empty()
            && self.intervals.is_empty()
            && (self.valid_values.is_empty() || self.continuous)
            && self.replacement.is_none()
            && !self.missing_invalid
            && (self.outliers == Outliers::Unchanged || (self.low.is_none() && self.high.is_none()))
    }
    /// The value after missing-value treatment.
    fn missing_result(&self) -> Val {
        match (&self.replacement, self.missing_invalid) {
            (Some(r), _) => r.clone(),
            (None, true) => Val::Invalid,
            (None, false) => Val::Missing,
        }
    }
    /// The cases of a raw value (disjoint, covering every value), each with what PMML prepares from it.
    fn cases(&self, f: &str) -> Vec<(Condition, Prep)> {
        let mut out = Vec::new();
        // missing: no value, or a value listed with property="missing"
        let missing = or_([Some(unary(f, Op::IsMissing)), list_or_none(f, Op::In, &self.codes)].into_iter().flatten().collect());
        out.push((missing, Prep::Const(self.missing_result())));
        let present = and_([Some(unary(f, Op::IsPresent)), list_or_none(f, Op::NotIn, &self.codes)].into_iter().flatten().collect());
        // invalid: text in a numeric field; a value listed invalid; outside the valid values / intervals
        let mut valid = Vec::new();
        if let Some(c) = list_or_none(f, Op::NotIn, &self.invalid_values) {
            valid.push(c);
        }
        let mut allowed: Vec<Condition> = self.intervals.iter().map(|i| i.cond(f)).collect();
        if !allowed.is_empty() || !self.continuous {
            if let Some(c) = list_or_none(f, Op::In, &self.valid_values) {
                allowed.push(c);
            }
        }
        if !allowed.is_empty() {
            valid.push(or_(allowed));
        }
        let valid = and_(valid);
        let text = if self.numeric { not_(numeric_ok(f)) } else { cfalse() };
        let spec_invalid = and_(vec![present.clone(), if self.numeric { numeric_ok(f) } else { Condition::True }, not_(valid.clone())]);
        let invalid_prep = match self.invalid {
            InvalidTreatment::ReturnInvalid => Prep::Const(Val::Invalid),
            InvalidTreatment::AsIs => Prep::X,
            InvalidTreatment::AsMissing => Prep::Const(self.missing_result()),
            InvalidTreatment::AsValue => Prep::Const(self.invalid_value.clone().unwrap_or(Val::Invalid)),
        };
        // text in a numeric field cannot be taken as is
        let text_prep = if self.invalid == InvalidTreatment::AsIs { Prep::Const(Val::Invalid) } else { invalid_prep.clone() };
        out.push((and_(vec![present.clone(), text]), text_prep));
        out.push((spec_invalid, invalid_prep));
        let ok = and_(vec![present, if self.numeric { numeric_ok(f) } else { Condition::True }, valid]);
        // outliers
        let (low, high) = if self.numeric && self.outliers != Outliers::Unchanged { (self.low, self.high) } else { (None, None) };
        let mut normal = vec![ok.clone()];
        for (bound, op, nop) in [(low, Op::Lt, Op::Ge), (high, Op::Gt, Op::Le)] {
            if let Some(b) = bound {
                let prep = match self.outliers {
                    Outliers::Clamp => Prep::Const(Val::Num(b)),
                    _ => Prep::Const(self.missing_result()),
                };
                out.push((and_(vec![ok.clone(), cmp(f, op, Operand::Num(b))]), prep));
                normal.push(cmp(f, nop, Operand::Num(b)));
            }
        }
        out.push((and_(normal), Prep::X));
        out.retain(|(c, _)| !is_false(c));
        out
    }
}

/// The state of a field value: missing, a number or a text (`None`: invalid, so no predicate is true or false).
fn leaf_on_val(op: Op, value: Option<&Operand>, v: &Val) -> Option<bool> {
    let fv = match v {
        Val::Invalid => return None,
        Val::Missing => {
            return match op {
                Op::IsMissing => Some(true),
                Op::IsPresent => Some(false),
                _ => None,
            }
        }
        Val::Num(x) => FeatureValue::Num(*x),
        Val::Text(t) => FeatureValue::Text(t.clone()),
    };
    if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) && fv.as_num().is_none() {
        return None;
    }
    let mut f = Features::default();
    f.insert("v", fv);
    Some(Condition::Cmp { feature: "v".into(), op, value: value.cloned() }.eval(&f))
}

/// An arithmetic expression of one field (evaluated in PMML's order).
#[derive(Clone, Debug)]
enum Expr {
    X,
    C(f64),
    Apply(char, Vec<Expr>),
}

impl Expr {
    fn eval(&self, x: f64) -> f64 {
        match self {
            Expr::X => x,
            Expr::C(c) => *c,
            Expr::Apply(op, args) => {
                let v: Vec<f64> = args.iter().map(|a| a.eval(x)).collect();
                match (op, v.as_slice()) {
                    ('-', [a]) => -a,
                    ('+', _) => v.iter().copied().reduce(|a, b| a + b).unwrap_or(0.0),
                    ('-', [a, b]) => a - b,
                    ('*', [a, b]) => a * b,
                    ('/', [a, b]) => a / b,
                    _ => f64::NAN,
                }
            }
        }
    }
}

#[derive(Clone, Debug)]
enum PieceFn {
    Const(Val),
    Expr(Expr),
    /// NormContinuous segment (orig0, norm0, orig1, norm1)
    Seg(f64, f64, f64, f64),
}

impl PieceFn {
    fn at(&self, x: f64) -> Val {
        match self {
            PieceFn::Const(v) => v.clone(),
            PieceFn::Expr(e) => Val::Num(e.eval(x)),
            PieceFn::Seg(o0, n0, o1, n1) => Val::Num(n0 + ((x - o0) / (o1 - o0)) * (n1 - n0)),
        }
    }
}

/// A piece of the real line where a numeric derived field is constant or monotone.
#[derive(Clone, Debug)]
struct Piece {
    lo: Option<(f64, bool)>,
    hi: Option<(f64, bool)>,
    f: PieceFn,
}

impl Piece {
    fn contains(&self, x: f64) -> bool {
        self.lo.is_none_or(|(l, c)| if c { x >= l } else { x > l }) && self.hi.is_none_or(|(h, c)| if c { x <= h } else { x < h })
    }
}

#[derive(Clone, Debug)]
enum DKind {
    Alias,
    Pieces(Vec<Piece>),
    Discretize(Vec<(Interval, Val)>, Val),
    Map(Vec<(Operand, Val)>, Val),
}

#[derive(Clone, Debug)]
struct Derived {
    source: String,
    numeric: bool,
    map_missing: Option<Val>,
    kind: DKind,
}

impl Derived {
    fn eval(&self, v: &Val) -> Val {
        match v {
            Val::Invalid => Val::Invalid,
            Val::Missing => self.map_missing.clone().unwrap_or(Val::Missing),
            v => match &self.kind {
                DKind::Alias => v.clone(),
                DKind::Pieces(ps) => match v {
                    Val::Num(x) => ps.iter().find(|p| p.contains(*x)).map_or(Val::Missing, |p| p.f.at(*x)),
                    _ => Val::Invalid,
                },
                DKind::Discretize(bins, default) => match v {
                    Val::Num(x) => bins.iter().find(|b| b.0.contains(*x)).map_or_else(|| default.clone(), |b| b.1.clone()),
                    _ => Val::Invalid,
                },
                DKind::Map(pairs, default) => {
                    let fv = match v {
                        Val::Num(x) => FeatureValue::Num(*x),
                        Val::Text(t) => FeatureValue::Text(t.clone()),
                        _ => return Val::Invalid,
                    };
                    pairs.iter().find(|p| crate::model::value_equals(&fv, &p.0)).map_or_else(|| default.clone(), |p| p.1.clone())
                }
            },
        }
    }
}

/// Orders doubles as integers (for a binary search over every double).
fn key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 {
        i64::MIN - b
    } else {
        b
    }
}
fn unkey(k: i64) -> f64 {
    f64::from_bits((if k < 0 { i64::MIN - k } else { k }) as u64)
}
fn next_up(x: f64) -> f64 {
    unkey(key(x) + 1)
}
fn next_down(x: f64) -> f64 {
    unkey(key(x) - 1)
}
/// The first double in [lo, hi] where a monotone predicate changes from its value at lo.
fn flip(lo: f64, hi: f64, p: impl Fn(f64) -> bool) -> Option<f64> {
    let start = p(lo);
    if p(hi) == start {
        return None;
    }
    let (mut a, mut b) = (key(lo), key(hi)); // p(a) == start, p(b) != start
    while i128::from(b) - i128::from(a) > 1 {
        let m = ((i128::from(a) + i128::from(b)) / 2) as i64;
        if p(unkey(m)) == start {
            a = m;
        } else {
            b = m;
        }
    }
    Some(unkey(b))
}

/// The translation context: the fields and derived fields of a document.
struct Ctx {
    fields: BTreeMap<String, Field>,
    derived: BTreeMap<String, Derived>,
}

/// A predicate, parsed.
enum P {
    Leaf { field: String, op: Op, value: Option<Operand> },
    And(Vec<P>),
    Or(Vec<P>),
    Xor(Vec<P>),
    Surrogate(Vec<P>),
    Const(bool),
}

impl Ctx {
    fn operand(&self, field: &str, v: &str, at: &str) -> Result<Operand> {
        if let Some(f) = self.fields.get(field) {
            return f.operand(field, v, at);
        }
        match self.derived.get(field) {
            Some(d) if d.numeric => v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Operand::Num)
                .ok_or_else(|| perr(format!("value `{v}` of numeric field `{field}` is not a number"), at)),
            Some(_) => Ok(Operand::Text(v.to_string())),
            None => Err(perr(format!("field `{field}` is neither in the DataDictionary nor a DerivedField"), at)),
        }
    }

    /// The engine condition under which a leaf is true (`want`) or false in PMML (three-valued:
    /// a leaf on a missing or invalid value is neither).
    fn leaf(&self, field: &str, op: Op, value: Option<&Operand>, want: bool) -> Condition {
        let (src, derived) = match self.derived.get(field) {
            Some(d) => (d.source.as_str(), Some(d)),
            None => (field, None),
        };
        let f = &self.fields[src];
        let on_val = |v: &Val| -> Condition {
            let v = match derived {
                Some(d) => d.eval(v),
                None => v.clone(),
            };
            cbool(leaf_on_val(op, value, &v) == Some(want))
        };
        let on_x = match derived {
            None => self.leaf_x(src, op, value, want),
            Some(d) => self.derived_x(d, op, value, want),
        };
        let mut parts = Vec::new();
        for (guard, prep) in f.cases(src) {
            parts.push(match prep {
                Prep::Const(v) => and_(vec![guard, on_val(&v)]),
                Prep::X => {
                    // a comparison with a number is false unless the value is a present number
                    let (num, present) = (want && implies_number(&on_x), want && implies_present(&on_x));
                    let guard = match guard {
                        Condition::All(cs) => and_(
                            cs.into_iter()
                                .filter(|c| !((num || present) && *c == unary(src, Op::IsPresent)) && !(num && *c == numeric_ok(src)))
                                .collect(),
                        ),
                        c if (num || present) && c == unary(src, Op::IsPresent) => Condition::True,
                        c if num && c == numeric_ok(src) => Condition::True,
                        c => c,
                    };
                    and_(vec![guard, on_x.clone()])
                }
            });
        }
        or_(parts)
    }

    /// The leaf on a present, valid raw value of its own field.
    fn leaf_x(&self, f: &str, op: Op, value: Option<&Operand>, want: bool) -> Condition {
        match (op, want) {
            (Op::IsMissing, w) => cbool(!w),
            (Op::IsPresent, w) => cbool(w),
            (_, true) => Condition::Cmp { feature: f.into(), op, value: value.cloned() },
            (_, false) => not_(Condition::Cmp { feature: f.into(), op, value: value.cloned() }),
        }
    }

    /// A leaf on a derived field, as a condition on a present, valid value of its source.
    fn derived_x(&self, d: &Derived, op: Op, value: Option<&Operand>, want: bool) -> Condition {
        let s = d.source.as_str();
        let holds = |v: &Val| leaf_on_val(op, value, v) == Some(want);
        match &d.kind {
            DKind::Alias => self.leaf_x(s, op, value, want),
            DKind::Discretize(bins, default) => {
                let mut parts = Vec::new();
                for (i, (iv, v)) in bins.iter().enumerate() {
                    if holds(v) {
                        let mut c = vec![iv.cond(s)];
                        c.extend(bins[..i].iter().map(|b| not_(b.0.cond(s))));
                        parts.push(and_(c));
                    }
                }
                if holds(default) {
                    parts.push(and_(bins.iter().map(|b| not_(b.0.cond(s))).collect()));
                }
                or_(parts)
            }
            DKind::Map(pairs, default) => {
                let keys: Vec<Operand> = pairs.iter().map(|p| p.0.clone()).collect();
                let mut parts = Vec::new();
                let mut seen: Vec<&Operand> = Vec::new();
                let mut yes = Vec::new();
                for (k, v) in pairs {
                    if !seen.contains(&k) {
                        seen.push(k);
                        if holds(v) {
                            yes.push(k.clone());
                        }
                    }
                }
                if let Some(c) = list_or_none(s, Op::In, &yes) {
                    parts.push(c);
                }
                if holds(default) {
                    parts.push(list_or_none(s, Op::NotIn, &keys).unwrap_or(Condition::True));
                }
                or_(parts)
            }
            DKind::Pieces(pieces) => {
                let consts: Vec<f64> = match value {
                    Some(Operand::Num(c)) => vec![*c],
                    Some(Operand::List(l)) => l.iter().filter_map(|o| if let Operand::Num(c) = o { Some(*c) } else { None }).collect(),
                    _ => Vec::new(),
                };
                let mut parts = Vec::new();
                for p in pieces {
                    let lo = p.lo.map_or(-f64::MAX, |(l, c)| if c { l } else { next_up(l) });
                    let hi = p.hi.map_or(f64::MAX, |(h, c)| if c { h } else { next_down(h) });
                    if lo > hi {
                        continue;
                    }
                    // breakpoints: where the derived value crosses a constant
                    let mut bps = vec![lo];
                    if !matches!(p.f, PieceFn::Const(_)) {
                        for &c in &consts {
                            let g = |x: f64| if let Val::Num(y) = p.f.at(x) { y } else { f64::NAN };
                            bps.extend(flip(lo, hi, |x| g(x) >= c));
                            bps.extend(flip(lo, hi, |x| g(x) > c));
                        }
                    }
                    bps.sort_by(f64::total_cmp);
                    bps.dedup();
                    // regions [bps[k], bps[k+1]) with a constant truth value; adjacent true regions merge
                    let mut k = 0;
                    while k < bps.len() {
                        if !holds(&p.f.at(bps[k])) {
                            k += 1;
                            continue;
                        }
                        let start = bps[k];
                        let mut j = k + 1;
                        while j < bps.len() && holds(&p.f.at(bps[j])) {
                            j += 1;
                        }
                        let mut c = Vec::new();
                        if start == lo {
                            if let Some((l, cl)) = p.lo {
                                c.push(cmp(s, if cl { Op::Ge } else { Op::Gt }, Operand::Num(l)));
                            }
                        } else {
                            c.push(cmp(s, Op::Ge, Operand::Num(start)));
                        }
                        if j < bps.len() {
                            c.push(cmp(s, Op::Lt, Operand::Num(bps[j])));
                        } else if let Some((h, ch)) = p.hi {
                            c.push(cmp(s, if ch { Op::Le } else { Op::Lt }, Operand::Num(h)));
                        }
                        if c.is_empty() {
                            c.push(numeric_ok(s));
                        }
                        parts.push(and_(c));
                        k = j;
                    }
                }
                or_(parts)
            }
        }
    }

    /// The engine condition under which a predicate is true (`want`) or false in PMML.
    fn tv(&self, p: &P, want: bool) -> Condition {
        match p {
            P::Const(b) => cbool(*b == want),
            P::Leaf { field, op, value } => self.leaf(field, *op, value.as_ref(), want),
            P::And(ps) | P::Or(ps) => {
                let parts = ps.iter().map(|x| self.tv(x, want)).collect();
                if matches!(p, P::And(_)) == want {
                    and_(parts)
                } else {
                    or_(parts)
                }
            }
            P::Xor(ps) => {
                // true: an odd number true and none unknown
                let mut acc: Option<(Condition, Condition)> = None;
                for x in ps {
                    let (t, f) = (self.tv(x, true), self.tv(x, false));
                    acc = Some(match acc {
                        None => (t, f),
                        Some((at, af)) => (
                            or_(vec![and_(vec![at.clone(), f.clone()]), and_(vec![af.clone(), t.clone()])]),
                            or_(vec![and_(vec![at, t]), and_(vec![af, f])]),
                        ),
                    });
                }
                acc.map_or_else(cfalse, |(t, f)| if want { t } else { f })
            }
            P::Surrogate(ps) => {
                // the first predicate that is not unknown decides
                let mut out = cfalse();
                for x in ps.iter().rev() {
                    let (t, f) = (self.tv(x, true), self.tv(x, false));
                    let unknown = and_(vec![not_(t.clone()), not_(f.clone())]);
                    out = or_(vec![if want { t } else { f }, and_(vec![unknown, out])]);
                }
                out
            }
        }
    }

    /// A ComplexPartialScore `a + b * field` as `a + b * source` when `field` is a derived field.
    fn cps_source(&self, field: &str, a: f64, b: f64, at: &str) -> Result<(f64, f64, String)> {
        if self.fields.contains_key(field) {
            return Ok((a, b, field.to_string()));
        }
        let d = self.derived.get(field).ok_or_else(|| {
            perr(format!("ComplexPartialScore reads field `{field}`, which is neither in the DataDictionary nor a DerivedField"), at)
        })?;
        let unsupported = || perr(format!("ComplexPartialScore reads DerivedField `{field}`; only a FieldRef or linear Apply without mapMissingTo is supported there"), at);
        if d.map_missing.is_some() {
            return Err(unsupported());
        }
        match &d.kind {
            DKind::Alias => Ok((a, b, d.source.clone())),
            DKind::Pieces(p) if p.len() == 1 && p[0].lo.is_none() && p[0].hi.is_none() => {
                let (a1, b1) = match &p[0].f {
                    PieceFn::Const(Val::Num(c)) => (*c, 0.0),
                    PieceFn::Expr(e) => (e.eval(0.0), e.eval(1.0) - e.eval(0.0)),
                    _ => return Err(unsupported()),
                };
                Ok((a + b * a1, b * b1, d.source.clone()))
            }
            _ => Err(unsupported()),
        }
    }

    /// The engine condition under which PMML returns an invalid result for the record.
    fn invalid_input(&self, active: &[String]) -> Condition {
        let mut parts = Vec::new();
        for name in active {
            if let Some(f) = self.fields.get(name) {
                for (guard, prep) in f.cases(name) {
                    if matches!(prep, Prep::Const(Val::Invalid)) {
                        parts.push(guard);
                    }
                }
            }
        }
        or_(parts)
    }
}

/// A comparison that is false on a missing value.
fn implies_present(c: &Condition) -> bool {
    match c {
        Condition::Cmp { op, .. } => !matches!(op, Op::IsMissing | Op::IsPresent | Op::Ne | Op::NotIn),
        Condition::All(cs) => cs.iter().any(implies_present),
        Condition::Any(cs) => !cs.is_empty() && cs.iter().all(implies_present),
        _ => false,
    }
}

/// A comparison with a number, which is false unless the value is a present number.
fn implies_number(c: &Condition) -> bool {
    match c {
        Condition::Cmp { op: Op::Lt | Op::Le | Op::Gt | Op::Ge, .. } => true,
        Condition::Cmp { op: Op::Eq, value: Some(Operand::Num(_)), .. } => true,
        Condition::Cmp { op: Op::In, value: Some(Operand::List(l)), .. } => l.iter().all(|o| matches!(o, Operand::Num(_))),
        Condition::All(cs) => cs.iter().any(implies_number),
        Condition::Any(cs) => !cs.is_empty() && cs.iter().all(implies_number),
        _ => false,
    }
}

fn elements<'a, 'i>(n: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn is_numeric_type(dt: &str) -> bool {
    matches!(dt, "double" | "float" | "integer")
}

fn typed_val(numeric: bool, v: &str, what: &str, at: &str) -> Result<Val> {
    if numeric {
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Val::Num)
            .ok_or_else(|| perr(format!("{what} `{v}` of a numeric field is not a number"), at))
    } else {
        Ok(Val::Text(v.to_string()))
    }
}

/// DataDictionary fields with the treatments of the model's MiningSchema; the active fields.
fn read_fields(root: Node<'_, '_>, sc: Node<'_, '_>) -> Result<(BTreeMap<String, Field>, Vec<String>)> {
    let mut fields = BTreeMap::new();
    let mut order = Vec::new();
    if let Some(dd) = child(root, "DataDictionary") {
        for (i, f) in elements(dd, "DataField").enumerate() {
            let Some(name) = f.attribute("name") else { continue };
            let at = format!("DataDictionary.DataField[{i}] `{name}`");
            let numeric = is_numeric_type(f.attribute("dataType").unwrap_or("string"));
            let continuous = f.attribute("optype").map_or(numeric, |o| o == "continuous");
            let mut field = Field {
                numeric,
                continuous,
                codes: Vec::new(),
                invalid_values: Vec::new(),
                valid_values: Vec::new(),
                intervals: Vec::new(),
                replacement: None,
                missing_invalid: false,
                invalid: InvalidTreatment::ReturnInvalid,
                invalid_value: None,
                outliers: Outliers::Unchanged,
                low: None,
                high: None,
            };
            for v in elements(f, "Value") {
                let value = v.attribute("value").ok_or_else(|| perr("a <Value> needs `value`", at.as_str()))?;
                let o = field.operand(name, value, &at)?;
                match v.attribute("property").unwrap_or("valid") {
                    "valid" => field.valid_values.push(o),
                    "invalid" => field.invalid_values.push(o),
                    "missing" => field.codes.push(o),
                    other => return Err(perr(format!("<Value> property `{other}` is not valid / invalid / missing"), at)),
                }
            }
            for iv in elements(f, "Interval") {
                field.intervals.push(Interval::parse(iv, &at)?);
            }
            order.push(name.to_string());
            fields.insert(name.to_string(), field);
        }
    }
    let mut active = Vec::new();
    let ms = child(sc, "MiningSchema");
    for (i, m) in ms.iter().flat_map(|ms| elements(*ms, "MiningField")).enumerate() {
        let Some(name) = m.attribute("name") else { continue };
        let at = format!("Scorecard.MiningSchema.MiningField[{i}] `{name}`");
        let usage = m.attribute("usageType").unwrap_or("active");
        if !matches!(usage, "active") {
            continue;
        }
        let f = fields.get_mut(name).ok_or_else(|| perr(format!("MiningField `{name}` is not in the DataDictionary"), at.as_str()))?;
        active.push(name.to_string());
        if let Some(r) = m.attribute("missingValueReplacement") {
            f.replacement = Some(typed_val(f.numeric, r, "missingValueReplacement", &at)?);
        }
        match m.attribute("missingValueTreatment").unwrap_or("asIs") {
            "returnInvalid" => {
                if f.replacement.is_some() {
                    return Err(perr("missingValueTreatment=\"returnInvalid\" with a missingValueReplacement", at));
                }
                f.missing_invalid = true;
            }
            "asIs" | "asMean" | "asMode" | "asMedian" | "asValue" => {}
            other => return Err(perr(format!("unknown missingValueTreatment `{other}`"), at)),
        }
        f.invalid = match m.attribute("invalidValueTreatment").unwrap_or("returnInvalid") {
            "returnInvalid" => InvalidTreatment::ReturnInvalid,
            "asIs" => InvalidTreatment::AsIs,
            "asMissing" => InvalidTreatment::AsMissing,
            "asValue" => {
                let r = m
                    .attribute("invalidValueReplacement")
                    .ok_or_else(|| perr("invalidValueTreatment=\"asValue\" needs invalidValueReplacement", at.as_str()))?;
                f.invalid_value = Some(typed_val(f.numeric, r, "invalidValueReplacement", &at)?);
                InvalidTreatment::AsValue
            }
            other => return Err(perr(format!("unknown invalidValueTreatment `{other}`"), at)),
        };
        f.outliers = match m.attribute("outliers").unwrap_or("asIs") {
            "asIs" => Outliers::Unchanged,
            "asMissingValues" => Outliers::Missing,
            "asExtremeValues" => Outliers::Clamp,
            other => return Err(perr(format!("unknown outliers `{other}`"), at)),
        };
        f.low = num_attr(m, "lowValue", &at)?;
        f.high = num_attr(m, "highValue", &at)?;
        if f.outliers != Outliers::Unchanged && f.low.is_none() && f.high.is_none() {
            return Err(perr("outliers needs lowValue or highValue", at));
        }
        if f.outliers != Outliers::Unchanged && !f.numeric {
            return Err(perr("outliers on a field that is not numeric", at));
        }
    }
    if ms.is_none() {
        active = order;
    }
    Ok((fields, active))
}

/// A DerivedField over one DataField, in the forms the import can translate exactly.
fn read_derived(n: Node<'_, '_>, fields: &BTreeMap<String, Field>, at: &str) -> Result<(String, Derived)> {
    let name = n.attribute("name").ok_or_else(|| perr("a DerivedField needs `name`", at))?.to_string();
    let at = format!("{at} `{name}`");
    let numeric = is_numeric_type(n.attribute("dataType").unwrap_or("string"));
    let e = n
        .children()
        .find(|c| c.is_element() && !matches!(c.tag_name().name(), "Extension" | "Value"))
        .ok_or_else(|| perr(format!("DerivedField `{name}` has no expression"), at.as_str()))?;
    let unsupported = |what: String, hint: &str| perr(format!("DerivedField `{name}` uses {what}, which the import does not support{hint}"), at.as_str());
    let kind_name = e.tag_name().name();
    let source = match kind_name {
        "FieldRef" | "NormContinuous" | "Discretize" => e.attribute("field").map(str::to_string),
        "MapValues" => {
            let pairs: Vec<_> = elements(e, "FieldColumnPair").collect();
            if pairs.len() != 1 {
                return Err(unsupported(format!("<MapValues> with {} input columns", pairs.len()), " (one input column)"));
            }
            pairs[0].attribute("field").map(str::to_string)
        }
        "Apply" => {
            let (_, _, f) = linear(e, &at).map_err(|_| {
                unsupported(
                    format!("<Apply function=\"{}\">", e.attribute("function").unwrap_or("")),
                    " (Apply: +, -, * and / by constants, linear in one field)",
                )
            })?;
            f
        }
        other => return Err(unsupported(format!("<{other}>"), " (FieldRef, linear Apply, NormContinuous, Discretize, MapValues)")),
    }
    .ok_or_else(|| perr(format!("DerivedField `{name}`: <{kind_name}> names no field"), at.as_str()))?;
    let src = fields.get(&source).ok_or_else(|| {
        perr(format!("DerivedField `{name}` reads `{source}`, which is not a DataField (derived fields of derived fields are not supported)"), at.as_str())
    })?;
    let map_missing = e.attribute("mapMissingTo").map(|v| typed_val(numeric, v, "mapMissingTo", &at)).transpose()?;
    let default = e.attribute("defaultValue").map(|v| typed_val(numeric, v, "defaultValue", &at)).transpose()?.unwrap_or(Val::Missing);
    let need_numeric = |what: &str| -> Result<()> {
        if src.numeric {
            Ok(())
        } else {
            Err(perr(format!("DerivedField `{name}`: {what} of `{source}`, which is not numeric"), at.as_str()))
        }
    };
    let kind = match kind_name {
        "FieldRef" => DKind::Alias,
        "Apply" => {
            need_numeric("<Apply>")?;
            if e.attribute("defaultValue").is_some() {
                return Err(unsupported("<Apply defaultValue>".into(), ""));
            }
            let (a, b, _) = linear(e, &at)?;
            let ex = expr(e)?;
            let f = if b == 0.0 { PieceFn::Const(Val::Num(a)) } else { PieceFn::Expr(ex) };
            DKind::Pieces(vec![Piece { lo: None, hi: None, f }])
        }
        "NormContinuous" => {
            need_numeric("<NormContinuous>")?;
            let mut pts = Vec::new();
            for ln in elements(e, "LinearNorm") {
                let o = num_attr(ln, "orig", &at)?.ok_or_else(|| perr("a LinearNorm needs `orig`", at.as_str()))?;
                let v = num_attr(ln, "norm", &at)?.ok_or_else(|| perr("a LinearNorm needs `norm`", at.as_str()))?;
                pts.push((o, v));
            }
            if pts.len() < 2 || pts.windows(2).any(|w| w[0].0 >= w[1].0) {
                return Err(perr(format!("DerivedField `{name}`: <NormContinuous> needs two or more LinearNorm with increasing `orig`"), at));
            }
            let seg = |i: usize| {
                let ((o0, n0), (o1, n1)) = (pts[i], pts[i + 1]);
                if n0 == n1 {
                    PieceFn::Const(Val::Num(n0))
                } else {
                    PieceFn::Seg(o0, n0, o1, n1)
                }
            };
            let (first, last) = (pts[0], pts[pts.len() - 1]);
            let outside = |end: (f64, f64), i: usize| match e.attribute("outliers").unwrap_or("asIs") {
                "asIs" => Ok(seg(i)),
                "asMissingValues" => Ok(PieceFn::Const(Val::Missing)),
                "asExtremeValues" => Ok(PieceFn::Const(Val::Num(end.1))),
                other => Err(perr(format!("unknown NormContinuous outliers `{other}`"), at.as_str())),
            };
            let mut pieces = vec![Piece { lo: None, hi: Some((first.0, false)), f: outside(first, 0)? }];
            for i in 0..pts.len() - 1 {
                let closed = i + 2 == pts.len();
                pieces.push(Piece { lo: Some((pts[i].0, true)), hi: Some((pts[i + 1].0, closed)), f: seg(i) });
            }
            pieces.push(Piece { lo: Some((last.0, false)), hi: None, f: outside(last, pts.len() - 2)? });
            DKind::Pieces(pieces)
        }
        "Discretize" => {
            need_numeric("<Discretize>")?;
            let mut bins = Vec::new();
            for b in elements(e, "DiscretizeBin") {
                let v = b.attribute("binValue").ok_or_else(|| perr("a DiscretizeBin needs `binValue`", at.as_str()))?;
                let iv = child(b, "Interval").ok_or_else(|| perr("a DiscretizeBin needs an <Interval>", at.as_str()))?;
                bins.push((Interval::parse(iv, &at)?, typed_val(numeric, v, "binValue", &at)?));
            }
            DKind::Discretize(bins, default)
        }
        _ => {
            // MapValues
            let pair = elements(e, "FieldColumnPair").next().ok_or_else(|| perr("no FieldColumnPair", at.as_str()))?;
            let (inc, outc) = (
                pair.attribute("column").ok_or_else(|| perr("a FieldColumnPair needs `column`", at.as_str()))?,
                e.attribute("outputColumn").ok_or_else(|| perr("MapValues needs `outputColumn`", at.as_str()))?,
            );
            let table = child(e, "InlineTable").ok_or_else(|| unsupported("<MapValues> without an <InlineTable>".into(), " (TableLocator)"))?;
            let mut pairs = Vec::new();
            for row in elements(table, "row") {
                let cell = |c: &str| {
                    row.children().find(|x| x.is_element() && x.tag_name().name() == c).map(|x| x.text().unwrap_or("").to_string())
                };
                let (Some(i), Some(o)) = (cell(inc), cell(outc)) else {
                    return Err(perr(format!("DerivedField `{name}`: an InlineTable row without `{inc}` or `{outc}`"), at));
                };
                pairs.push((src.operand(&source, &i, &at)?, typed_val(numeric, &o, "output", &at)?));
            }
            DKind::Map(pairs, default)
        }
    };
    Ok((name, Derived { source, numeric, map_missing, kind }))
}

/// The expression tree of a linear Apply (for evaluation in PMML's order).
fn expr(n: Node<'_, '_>) -> Result<Expr> {
    Ok(match n.tag_name().name() {
        "Constant" => Expr::C(n.text().unwrap_or("").trim().parse::<f64>().map_err(|_| perr("a Constant is not a number", ""))?),
        "FieldRef" => Expr::X,
        _ => {
            let f = n.attribute("function").unwrap_or("").chars().next().unwrap_or('?');
            Expr::Apply(f, n.children().filter(|c| c.is_element() && c.tag_name().name() != "Extension").map(expr).collect::<Result<_>>()?)
        }
    })
}

fn parse_pred(n: Node<'_, '_>, ctx: &Ctx, at: &str) -> Result<P> {
    let known = |field: &str, el: &str| -> Result<()> {
        if ctx.fields.contains_key(field) || ctx.derived.contains_key(field) {
            Ok(())
        } else {
            Err(perr(format!("{el} reads field `{field}`, which is neither in the DataDictionary nor a DerivedField"), at))
        }
    };
    match n.tag_name().name() {
        "True" => Ok(P::Const(true)),
        "False" => Ok(P::Const(false)),
        "SimplePredicate" => {
            let field = n.attribute("field").ok_or_else(|| perr("SimplePredicate needs `field`", at))?;
            known(field, "SimplePredicate")?;
            let op_s = n.attribute("operator").ok_or_else(|| perr("SimplePredicate needs `operator`", at))?;
            let op = match op_s {
                "equal" => Op::Eq,
                "notEqual" => Op::Ne,
                "lessThan" => Op::Lt,
                "lessOrEqual" => Op::Le,
                "greaterThan" => Op::Gt,
                "greaterOrEqual" => Op::Ge,
                "isMissing" => Op::IsMissing,
                "isNotMissing" => Op::IsPresent,
                other => return Err(perr(format!("unknown SimplePredicate operator `{other}`"), at)),
            };
            let value = match op {
                Op::IsMissing | Op::IsPresent => None,
                _ => {
                    let v = n.attribute("value").ok_or_else(|| perr(format!("operator `{op_s}` needs `value`"), at))?;
                    let o = ctx.operand(field, v, at)?;
                    if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) {
                        if let Operand::Text(t) = &o {
                            let x = t
                                .trim()
                                .parse::<f64>()
                                .ok()
                                .filter(|x| x.is_finite())
                                .ok_or_else(|| perr(format!("operator `{op_s}` needs a number, got `{t}`"), at))?;
                            Some(Operand::Num(x))
                        } else {
                            Some(o)
                        }
                    } else {
                        Some(o)
                    }
                }
            };
            Ok(P::Leaf { field: field.to_string(), op, value })
        }
        "SimpleSetPredicate" => {
            let field = n.attribute("field").ok_or_else(|| perr("SimpleSetPredicate needs `field`", at))?;
            known(field, "SimpleSetPredicate")?;
            let op = match n.attribute("booleanOperator") {
                Some("isIn") => Op::In,
                Some("isNotIn") => Op::NotIn,
                other => return Err(perr(format!("unknown SimpleSetPredicate booleanOperator `{}`", other.unwrap_or("")), at)),
            };
            let arr = child(n, "Array").ok_or_else(|| perr("SimpleSetPredicate needs an <Array>", at))?;
            let items = array_items(arr.text().unwrap_or(""));
            let list = items.iter().map(|v| ctx.operand(field, v, at)).collect::<Result<Vec<_>>>()?;
            Ok(P::Leaf { field: field.to_string(), op, value: Some(Operand::List(list)) })
        }
        "CompoundPredicate" => {
            let parts = n
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() != "Extension")
                .map(|c| parse_pred(c, ctx, at))
                .collect::<Result<Vec<_>>>()?;
            match n.attribute("booleanOperator") {
                Some("and") => Ok(P::And(parts)),
                Some("or") => Ok(P::Or(parts)),
                Some("xor") => Ok(P::Xor(parts)),
                Some("surrogate") => Ok(P::Surrogate(parts)),
                other => Err(perr(format!("unknown CompoundPredicate booleanOperator `{}`", other.unwrap_or("")), at)),
            }
        }
        other => Err(perr(format!("unknown predicate <{other}>"), at)),
    }
}

// ----------------------------------------------------------------------------------------------
// export

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' => o.push_str("&#10;"),
            c => o.push(c),
        }
    }
    o
}

fn num(x: f64) -> String {
    format!("{x}")
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Lt => "lessThan",
        Op::Le => "lessOrEqual",
        Op::Gt => "greaterThan",
        Op::Ge => "greaterOrEqual",
        Op::Eq => "equal",
        Op::Ne => "notEqual",
        Op::IsMissing => "isMissing",
        Op::IsPresent => "isNotMissing",
        Op::In => "isIn",
        Op::NotIn => "isNotIn",
    }
}

fn negate(op: Op) -> Op {
    match op {
        Op::Lt => Op::Ge,
        Op::Le => Op::Gt,
        Op::Gt => Op::Le,
        Op::Ge => Op::Lt,
        Op::Eq => Op::Ne,
        Op::Ne => Op::Eq,
        Op::IsMissing => Op::IsPresent,
        Op::IsPresent => Op::IsMissing,
        Op::In => Op::NotIn,
        Op::NotIn => Op::In,
    }
}

fn operand_text(o: &Operand) -> String {
    match o {
        Operand::Num(x) => num(*x),
        Operand::Text(t) => t.clone(),
        Operand::List(_) => String::new(),
    }
}

fn array(list: &[Operand]) -> String {
    let all_num = list.iter().all(|o| matches!(o, Operand::Num(_)));
    let items: Vec<String> = list
        .iter()
        .map(|o| {
            let t = operand_text(o);
            if all_num {
                t
            } else {
                format!("\"{}\"", t.replace('"', "\\\""))
            }
        })
        .collect();
    format!(
        "<Array n=\"{}\" type=\"{}\">{}</Array>",
        list.len(),
        if all_num { "real" } else { "string" },
        esc(&items.join(" "))
    )
}

/// Writes a condition as a PMML predicate, pushing negations down (PMML has no `not`).
fn write_pred(out: &mut String, c: &Condition, negated: bool, indent: &str) {
    match (c, negated) {
        (Condition::True, false) => {
            let _ = writeln!(out, "{indent}<True/>");
        }
        (Condition::True, true) => {
            let _ = writeln!(out, "{indent}<False/>");
        }
        (Condition::Not(inner), n) => write_pred(out, inner, !n, indent),
        (Condition::All(cs) | Condition::Any(cs), n) => {
            let and = matches!(c, Condition::All(_)) != n;
            if cs.is_empty() {
                // and() is true, or() is false
                let _ = writeln!(out, "{indent}<{}/>", if and { "True" } else { "False" });
                return;
            }
            let _ = writeln!(out, "{indent}<CompoundPredicate booleanOperator=\"{}\">", if and { "and" } else { "or" });
            let inner = format!("{indent}  ");
            for sub in cs {
                write_pred(out, sub, n, &inner);
            }
            if cs.len() == 1 {
                // PMML wants at least two: repeat the neutral element
                let _ = writeln!(out, "{inner}<{}/>", if and { "True" } else { "False" });
            }
            let _ = writeln!(out, "{indent}</CompoundPredicate>");
        }
        (Condition::Cmp { feature, op, value }, true) if !matches!(op, Op::IsMissing | Op::IsPresent) => {
            // the engine's `not` is true on a missing value, where PMML's negated comparison is
            // unknown: say so explicitly
            let _ = writeln!(out, "{indent}<CompoundPredicate booleanOperator=\"or\">");
            let inner = format!("{indent}  ");
            let _ = writeln!(out, "{inner}<SimplePredicate field=\"{}\" operator=\"isMissing\"/>", esc(feature));
            write_pred(out, &Condition::Cmp { feature: feature.clone(), op: negate(*op), value: value.clone() }, false, &inner);
            let _ = writeln!(out, "{indent}</CompoundPredicate>");
        }
        (Condition::Cmp { feature, op, value }, n) => {
            let op = if n { negate(*op) } else { *op };
            match (op, value) {
                (Op::In | Op::NotIn, Some(Operand::List(l))) => {
                    let _ = writeln!(
                        out,
                        "{indent}<SimpleSetPredicate field=\"{}\" booleanOperator=\"{}\">{}</SimpleSetPredicate>",
                        esc(feature),
                        op_name(op),
                        array(l)
                    );
                }
                (Op::IsMissing | Op::IsPresent, _) => {
                    let _ = writeln!(out, "{indent}<SimplePredicate field=\"{}\" operator=\"{}\"/>", esc(feature), op_name(op));
                }
                (_, Some(v)) => {
                    let _ = writeln!(
                        out,
                        "{indent}<SimplePredicate field=\"{}\" operator=\"{}\" value=\"{}\"/>",
                        esc(feature),
                        op_name(op),
                        esc(&operand_text(v))
                    );
                }
                (_, None) => {
                    let _ = writeln!(out, "{indent}<False/>");
                }
            }
        }
    }
}

fn bin_condition(c: &Characteristic, b: &Bin) -> Condition {
    let feature = c.feature.clone().unwrap_or_default();
    if let Some(w) = &b.when {
        return w.clone();
    }
    if let Some(cats) = &b.categories {
        return Condition::Cmp { feature, op: Op::In, value: Some(Operand::List(cats.clone())) };
    }
    if let Some(s) = &b.special {
        return Condition::Cmp { feature, op: Op::In, value: Some(Operand::List(s.iter().map(|x| Operand::Num(*x)).collect())) };
    }
    let mut parts = Vec::new();
    if let Some(l) = b.lower {
        parts.push(Condition::Cmp { feature: feature.clone(), op: Op::Ge, value: Some(Operand::Num(l)) });
    }
    if let Some(u) = b.upper {
        parts.push(Condition::Cmp { feature: feature.clone(), op: Op::Lt, value: Some(Operand::Num(u)) });
    }
    match parts.len() {
        // an unbounded interval takes any number
        0 => Condition::Cmp { feature, op: Op::IsPresent, value: None },
        1 => parts.remove(0),
        _ => Condition::All(parts),
    }
}

fn collect_types(c: &Condition, types: &mut BTreeMap<String, bool>) {
    match c {
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|x| collect_types(x, types)),
        Condition::Not(x) => collect_types(x, types),
        Condition::True => {}
        Condition::Cmp { feature, value, .. } => {
            let text = match value {
                Some(Operand::Text(_)) => true,
                Some(Operand::List(l)) => l.iter().any(|o| matches!(o, Operand::Text(_))),
                _ => false,
            };
            let e = types.entry(feature.clone()).or_insert(false);
            *e |= text;
        }
    }
}

/// Exports a model's scorecard as PMML 4.4 `<Scorecard>`. Policy rules, calibration, grades and
/// limits have no place in a PMML Scorecard and are not written; the predicted value is the
/// unrounded sum of points.
pub fn export(model: &Model) -> Result<String> {
    let sc = &model.scorecard;
    // field -> is text
    let mut types: BTreeMap<String, bool> = BTreeMap::new();
    for c in &sc.characteristics {
        if let Some(f) = &c.feature {
            types.entry(f.clone()).or_insert(false);
        }
        for b in &c.bins {
            collect_types(&bin_condition(c, b), &mut types);
        }
    }
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str("<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n");
    let _ = writeln!(
        o,
        "  <Header description=\"{}\">\n    <Application name=\"merchant-credit\" version=\"{}\"/>\n  </Header>",
        esc(model.description.as_deref().unwrap_or(&model.id)),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(o, "  <DataDictionary numberOfFields=\"{}\">", types.len() + 1);
    for (f, text) in &types {
        let (dt, ot) = if *text { ("string", "categorical") } else { ("double", "continuous") };
        let _ = writeln!(o, "    <DataField name=\"{}\" optype=\"{ot}\" dataType=\"{dt}\"/>", esc(f));
    }
    o.push_str("    <DataField name=\"score\" optype=\"continuous\" dataType=\"double\"/>\n  </DataDictionary>\n");
    let _ = writeln!(
        o,
        "  <Scorecard modelName=\"{}\" functionName=\"regression\" useReasonCodes=\"true\" reasonCodeAlgorithm=\"{}\" initialScore=\"{}\" baselineMethod=\"other\">",
        esc(&model.id),
        match sc.reason_algorithm {
            ReasonAlgorithm::PointsBelow => "pointsBelow",
            ReasonAlgorithm::PointsAbove => "pointsAbove",
        },
        num(sc.base_points)
    );
    o.push_str("    <MiningSchema>\n");
    for f in types.keys() {
        let _ = writeln!(o, "      <MiningField name=\"{}\" usageType=\"active\" invalidValueTreatment=\"asMissing\"/>", esc(f));
    }
    o.push_str("      <MiningField name=\"score\" usageType=\"target\"/>\n    </MiningSchema>\n    <Output>\n");
    o.push_str("      <OutputField name=\"Final Score\" optype=\"continuous\" dataType=\"double\" feature=\"predictedValue\"/>\n");
    for r in 1..=3 {
        let _ = writeln!(o, "      <OutputField name=\"Reason Code {r}\" optype=\"categorical\" dataType=\"string\" feature=\"reasonCode\" rank=\"{r}\"/>");
    }
    o.push_str("    </Output>\n    <Characteristics>\n");
    for c in &sc.characteristics {
        let missing = c.missing_points.unwrap_or_else(|| c.bins.iter().map(|b| b.points).fold(f64::INFINITY, f64::min));
        let _ = write!(o, "      <Characteristic name=\"{}\"", esc(&c.name));
        if let Some(rc) = &c.reason_code {
            let _ = write!(o, " reasonCode=\"{}\"", esc(rc));
        }
        let _ = writeln!(o, " baselineScore=\"{}\">", num(crate::scorecard::baseline(c)));
        let attr = |o: &mut String, points: f64, rc: Option<&String>, cond: &Condition, partial: Option<(PartialScore, &str)>| {
            let _ = write!(o, "        <Attribute");
            if partial.is_none() {
                let _ = write!(o, " partialScore=\"{}\"", num(points));
            }
            if let Some(rc) = rc {
                let _ = write!(o, " reasonCode=\"{}\"", esc(rc));
            }
            o.push_str(">\n");
            write_pred(o, cond, false, "          ");
            if let Some((ps, f)) = partial {
                let _ = writeln!(
                    o,
                    "          <ComplexPartialScore><Apply function=\"+\"><Constant dataType=\"double\">{}</Constant><Apply function=\"*\"><Constant dataType=\"double\">{}</Constant><FieldRef field=\"{}\"/></Apply></Apply></ComplexPartialScore>",
                    num(ps.intercept),
                    num(ps.slope),
                    esc(f)
                );
            }
            o.push_str("        </Attribute>\n");
        };
        let has_when = c.bins.iter().any(|b| b.when.is_some());
        if let (Some(f), false) = (&c.feature, has_when) {
            attr(&mut o, missing, None, &Condition::Cmp { feature: f.clone(), op: Op::IsMissing, value: None }, None);
        }
        let specials = c.bins.iter().filter(|b| b.special.is_some());
        let others = c.bins.iter().filter(|b| b.special.is_none());
        for b in specials.chain(others) {
            let partial = match (b.partial_score, &c.feature) {
                (Some(ps), Some(f)) => Some((ps, f.as_str())),
                _ => None,
            };
            attr(&mut o, b.points, b.reason_code.as_ref(), &bin_condition(c, b), partial);
        }
        // values no bin takes score the missing points, as in the engine
        attr(&mut o, missing, None, &Condition::True, None);
        o.push_str("      </Characteristic>\n");
    }
    o.push_str("    </Characteristics>\n  </Scorecard>\n</PMML>\n");
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_linear() {
        assert_eq!(array_items(r#"a "b c" "d\"e"  f"#), vec!["a", "b c", "d\"e", "f"]);
        let doc = roxmltree::Document::parse(
            r#"<Apply function="-"><Apply function="*"><Constant>0.01</Constant><FieldRef field="x"/></Apply><Constant>18</Constant></Apply>"#,
        )
        .unwrap();
        let (a, b, f) = linear(doc.root_element(), "").unwrap();
        assert_eq!((a, b, f.as_deref()), (-18.0, 0.01, Some("x")));
    }

    /// The translated condition of a leaf on a derived or treated field agrees with PMML's
    /// evaluation (prepare the value, derive, compare) on values at and one ulp around every
    /// threshold and breakpoint.
    #[test]
    fn translated_leaves_agree_with_direct_evaluation() {
        let xml = r#"<PMML version="4.4"><DataDictionary>
            <DataField name="x" optype="continuous" dataType="double"><Value value="-9" property="missing"/><Interval closure="closedOpen" leftMargin="-50" rightMargin="500"/></DataField>
            <DataField name="s" optype="categorical" dataType="string"/></DataDictionary>
          <TransformationDictionary>
            <DerivedField name="lin" optype="continuous" dataType="double"><Apply function="/"><Apply function="-"><Constant>7</Constant><FieldRef field="x"/></Apply><Constant>3</Constant></Apply></DerivedField>
            <DerivedField name="norm" optype="continuous" dataType="double"><NormContinuous field="x" outliers="asIs"><LinearNorm orig="0.1" norm="0"/><LinearNorm orig="10" norm="1"/><LinearNorm orig="20" norm="0.3"/></NormContinuous></DerivedField>
            <DerivedField name="disc" optype="continuous" dataType="double"><Discretize field="x" defaultValue="9"><DiscretizeBin binValue="1"><Interval closure="openClosed" leftMargin="0" rightMargin="0.3"/></DiscretizeBin><DiscretizeBin binValue="2"><Interval closure="openOpen" leftMargin="0.1" rightMargin="5"/></DiscretizeBin></Discretize></DerivedField>
          </TransformationDictionary>
          <Scorecard functionName="regression" useReasonCodes="false"><MiningSchema>
            <MiningField name="x" missingValueReplacement="0.2" invalidValueTreatment="asValue" invalidValueReplacement="12" outliers="asExtremeValues" lowValue="-1" highValue="30"/><MiningField name="s"/></MiningSchema>
          <Characteristics><Characteristic name="k"><Attribute partialScore="0"><True/></Attribute></Characteristic></Characteristics></Scorecard></PMML>"#;
        let doc = roxmltree::Document::parse(xml).unwrap();
        let root = doc.root_element();
        let sc = child(root, "Scorecard").unwrap();
        let (fields, _) = read_fields(root, sc).unwrap();
        let mut ctx = Ctx { fields, derived: BTreeMap::new() };
        for d in elements(child(root, "TransformationDictionary").unwrap(), "DerivedField") {
            let (n, der) = read_derived(d, &ctx.fields, "").unwrap();
            ctx.derived.insert(n, der);
        }
        let consts = [-2.0, 0.0, 0.25, 0.3, 0.5, 1.0, 2.0, 1.0 / 3.0, 0.7, 2.3, 9.0];
        let mut xs: Vec<f64> = vec![-100.0, -50.0, -9.0, -1.0, 0.0, 0.1, 0.2, 0.3, 5.0, 10.0, 12.0, 20.0, 30.0, 499.0, 500.0, 1e9];
        for f in ["lin", "norm", "disc"] {
            for &c in &consts {
                for op in [Op::Lt, Op::Le, Op::Eq] {
                    if let Condition::Any(v) | Condition::All(v) = ctx.leaf(f, op, Some(&Operand::Num(c)), true) {
                        for p in v {
                            let mut nums = Vec::new();
                            collect_nums(&p, &mut nums);
                            xs.extend(nums);
                        }
                    }
                }
            }
        }
        let near: Vec<f64> = xs.iter().flat_map(|x| [next_down(*x), *x, next_up(*x)]).collect();
        let field = &ctx.fields["x"];
        let prepare = |x: Option<f64>| -> Val {
            let Some(x) = x else { return Val::Num(0.2) };
            if x == -9.0 {
                return Val::Num(0.2);
            }
            if !(-50.0..500.0).contains(&x) {
                return Val::Num(12.0);
            }
            Val::Num(x.clamp(-1.0, 30.0))
        };
        assert!(field.replacement.is_some());
        for f in ["lin", "norm", "disc", "x"] {
            for &c in &consts {
                for op in [Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne] {
                    for want in [true, false] {
                        let cond = ctx.leaf(f, op, Some(&Operand::Num(c)), want);
                        for x in near.iter().map(|x| Some(*x)).chain([None]) {
                            let p = prepare(x);
                            let v = if f == "x" { p } else { ctx.derived[f].eval(&p) };
                            let expect = leaf_on_val(op, Some(&Operand::Num(c)), &v) == Some(want);
                            let mut feats = Features::default();
                            feats.insert("x", x.map_or(FeatureValue::Missing, FeatureValue::Num));
                            assert_eq!(cond.eval(&feats), expect, "{f} {op:?} {c} want {want} at x = {x:?} ({v:?})");
                        }
                    }
                }
            }
        }
    }

    fn collect_nums(c: &Condition, out: &mut Vec<f64>) {
        match c {
            Condition::All(v) | Condition::Any(v) => v.iter().for_each(|x| collect_nums(x, out)),
            Condition::Not(x) => collect_nums(x, out),
            Condition::Cmp { value: Some(Operand::Num(x)), .. } => out.push(*x),
            _ => {}
        }
    }

    #[test]
    fn not_a_scorecard_and_unknown_predicate() {
        let e = import(r#"<PMML version="4.4"><TreeModel/></PMML>"#).unwrap_err();
        assert!(e.message().contains("not a Scorecard"), "{e}");
        let e = import(r#"<PMML version="4.4"><Scorecard><Characteristics><Characteristic name="c" baselineScore="0"><Attribute partialScore="1"><Fancy field="x"/></Attribute></Characteristic></Characteristics></Scorecard></PMML>"#).unwrap_err();
        assert_eq!(e.code(), "pmml");
        assert!(e.message().contains("unknown predicate <Fancy>"), "{e}");
    }
}
