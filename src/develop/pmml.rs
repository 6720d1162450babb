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
    Bin, Calibration, Characteristic, Condition, Grade, Op, Operand, PartialScore, ReasonAlgorithm, Scaling, Scorecard,
    Thresholds,
};
use crate::Model;
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
    // field types from the data dictionary
    let mut numeric: BTreeMap<String, bool> = BTreeMap::new();
    if let Some(dd) = child(root, "DataDictionary") {
        for f in dd.children().filter(|c| c.has_tag_name(("", "DataField")) || (c.is_element() && c.tag_name().name() == "DataField")) {
            if let Some(name) = f.attribute("name") {
                let dt = f.attribute("dataType").unwrap_or("string");
                numeric.insert(name.to_string(), matches!(dt, "double" | "float" | "integer"));
            }
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
            let when = predicate(pred_node, &numeric, &aat)?;
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
            bins.push(Bin {
                lower: None,
                upper: None,
                categories: None,
                special: None,
                when: Some(when),
                points,
                partial_score: partial.as_ref().map(|p| p.0),
                reason_code: if use_rc { an.attribute("reasonCode").map(str::to_string) } else { None },
                label: None,
            });
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
    let mut extensions = BTreeMap::new();
    extensions.insert(
        "pmml".to_string(),
        serde_json::json!({
            "model_name": model_name, "version": root.attribute("version"),
            "use_reason_codes": use_rc, "baseline_method": method,
            "note": "imported from PMML: points are the PMML partial scores; PD and grades use the default scaling (600 points at odds 50, 20 points to double)",
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
        policy: Vec::new(),
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

fn operand(field: &str, value: &str, numeric: &BTreeMap<String, bool>, at: &str) -> Result<Operand> {
    if numeric.get(field).copied().unwrap_or(false) {
        value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Operand::Num)
            .ok_or_else(|| perr(format!("value `{value}` of numeric field `{field}` is not a number"), at))
    } else {
        Ok(Operand::Text(value.to_string()))
    }
}

fn predicate(n: Node<'_, '_>, numeric: &BTreeMap<String, bool>, at: &str) -> Result<Condition> {
    match n.tag_name().name() {
        "True" => Ok(Condition::True),
        "False" => Ok(Condition::Not(Box::new(Condition::True))),
        "SimplePredicate" => {
            let field = n.attribute("field").ok_or_else(|| perr("SimplePredicate needs `field`", at))?;
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
                    let o = operand(field, v, numeric, at)?;
                    if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) {
                        if let Operand::Text(t) = &o {
                            let x = t.trim().parse::<f64>().ok().filter(|x| x.is_finite())
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
            Ok(Condition::Cmp { feature: field.to_string(), op, value })
        }
        "SimpleSetPredicate" => {
            let field = n.attribute("field").ok_or_else(|| perr("SimpleSetPredicate needs `field`", at))?;
            let op = match n.attribute("booleanOperator") {
                Some("isIn") => Op::In,
                Some("isNotIn") => Op::NotIn,
                other => return Err(perr(format!("unknown SimpleSetPredicate booleanOperator `{}`", other.unwrap_or("")), at)),
            };
            let arr = child(n, "Array").ok_or_else(|| perr("SimpleSetPredicate needs an <Array>", at))?;
            let items = array_items(arr.text().unwrap_or(""));
            let list = items.iter().map(|v| operand(field, v, numeric, at)).collect::<Result<Vec<_>>>()?;
            Ok(Condition::Cmp { feature: field.to_string(), op, value: Some(Operand::List(list)) })
        }
        "CompoundPredicate" => {
            let parts = n
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() != "Extension")
                .map(|c| predicate(c, numeric, at))
                .collect::<Result<Vec<_>>>()?;
            match n.attribute("booleanOperator") {
                Some("and") => Ok(Condition::All(parts)),
                Some("or") => Ok(Condition::Any(parts)),
                Some("xor") => Ok(parts
                    .into_iter()
                    .reduce(|a, b| {
                        Condition::Any(vec![
                            Condition::All(vec![a.clone(), Condition::Not(Box::new(b.clone()))]),
                            Condition::All(vec![Condition::Not(Box::new(a)), b]),
                        ])
                    })
                    .unwrap_or(Condition::Not(Box::new(Condition::True)))),
                Some("surrogate") => {
                    // the first predicate whose fields are all present decides
                    let mut out = Condition::Not(Box::new(Condition::True));
                    for p in parts.into_iter().rev() {
                        let mut fs = Vec::new();
                        p.features(&mut fs);
                        let present = Condition::All(
                            fs.iter().map(|f| Condition::Cmp { feature: f.to_string(), op: Op::IsPresent, value: None }).collect(),
                        );
                        out = Condition::Any(vec![
                            Condition::All(vec![present.clone(), p]),
                            Condition::All(vec![Condition::Not(Box::new(present)), out]),
                        ]);
                    }
                    Ok(out)
                }
                other => Err(perr(format!("unknown CompoundPredicate booleanOperator `{}`", other.unwrap_or("")), at)),
            }
        }
        other => Err(perr(format!("unknown predicate <{other}>"), at)),
    }
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

    #[test]
    fn not_a_scorecard_and_unknown_predicate() {
        let e = import(r#"<PMML version="4.4"><TreeModel/></PMML>"#).unwrap_err();
        assert!(e.message().contains("not a Scorecard"), "{e}");
        let e = import(r#"<PMML version="4.4"><Scorecard><Characteristics><Characteristic name="c" baselineScore="0"><Attribute partialScore="1"><Fancy field="x"/></Attribute></Characteristic></Characteristics></Scorecard></PMML>"#).unwrap_err();
        assert_eq!(e.code(), "pmml");
        assert!(e.message().contains("unknown predicate <Fancy>"), "{e}");
    }
}
