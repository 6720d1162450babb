//! PMML import of field treatments (MiningField missing-value replacement, missing-value codes,
//! invalid values, outliers) and derived fields (TransformationDictionary / LocalTransformations):
//! scores computed by hand from the PMML semantics, the refer rule for PMML's invalid result, the
//! export round trip, and the exact error for every construct the import does not translate.
//! The same fixtures are checked against JPMML-Evaluator by tests/pmml_reference.py.
#![cfg(feature = "develop")]

use merchant_credit::develop::table::Table;
use merchant_credit::develop::{flat, pmml};
use merchant_credit::{policy, Model};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/pmml/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn scores(model: &Model, csv: &str) -> Vec<f64> {
    flat::score_csv(model, csv).unwrap().iter().map(|s| s.raw_score).collect()
}

/// Which rows fire the PMML-INVALID refer rule.
fn invalid_rows(model: &Model, csv: &str) -> Vec<bool> {
    let t = Table::parse(csv).unwrap();
    (0..t.rows.len()).map(|i| policy::evaluate(model, &t.features(i)).iter().any(|h| h.rule == "PMML-INVALID")).collect()
}

const TREATMENT_ROWS: &str = "age,util,delinq,region,income,balance
,,,,40000,
-999,-2,-8,?,10000,60000
15,0.2,99,X,30000,20000
22,2,0,N,50000,5000
30,0.5,1,S,,100
abc,0.1,abc,E,31000,abc
";

#[test]
fn field_treatments_score_as_pmml() {
    let m = pmml::import(&fixture("treatments.pmml")).unwrap();
    // row 1: age missing -> 35 (20), util missing -> 0.5 (10), delinq missing (0), region -> W (5),
    //   income 40000 (20), balance missing: surrogate falls through to age 35 > 30 (5): 100 + 60
    // row 2: age code -999 -> 35 (20), util -2 clamped to 0 (40 - 20 * 0 = 40), delinq code -8 (0),
    //   region code ? -> W (5), income 10000 (0), balance 60000 an outlier -> missing -> age (5)
    // row 3: age 15 outside [18, 100] -> invalid -> missing -> 35 (20), util 0.2 (36), delinq 99
    //   invalid -> 3 (-10), region X invalid -> W (5), income 30000 (20), balance 20000 (5)
    // row 4: age 22 (10), util 2 clamped to 1 (10), delinq 0 (25), region N (15), income (20),
    //   balance 5000: surrogate false, xor(true, true) false -> True (1)
    // row 5: income missing under returnInvalid: PMML returns no score; the engine scores the
    //   characteristic's lowest points (0) and the refer rule fires: 100 + 20 + 10 + 10 + 15 + 0 + 12
    // row 6: age text -> missing -> 35 (20), util 0.1 (38), delinq text -> 3 (-10), region E (0),
    //   income (20), balance text -> missing -> age (5)
    assert_eq!(scores(&m, TREATMENT_ROWS), vec![160.0, 170.0, 176.0, 181.0, 167.0, 173.0]);
    assert_eq!(invalid_rows(&m, TREATMENT_ROWS), vec![false, false, false, false, true, false]);
    let rule = &m.policy[0];
    assert!(rule.message.contains("`income`"), "{}", rule.message);
    // util: text under invalidValueTreatment="asIs" cannot be taken as a number
    assert_eq!(m.extensions["pmml"]["invalid_input"]["fields"], serde_json::json!(["income", "util"]));
    // text in income is invalid too; util text under asIs cannot be read as a number: invalid
    let more = "age,util,delinq,region,income,balance\n30,0.5,0,N,abc,100\n30,abc,0,N,40000,100\n30,0.5,0,N,40000,100\n";
    assert_eq!(invalid_rows(&m, more), vec![true, true, false]);
    // flat scoring names the rule on the records PMML would not score, and only on those
    let rules: Vec<Vec<String>> = flat::score_csv(&m, TREATMENT_ROWS).unwrap().into_iter().map(|s| s.rules).collect();
    let flagged: Vec<bool> = rules.iter().map(|r| r == &["PMML-INVALID".to_string()]).collect();
    assert_eq!(flagged, vec![false, false, false, false, true, false]);
    assert!(rules.iter().all(|r| r.is_empty() || r.len() == 1));
}

#[test]
fn missing_value_replacement_of_the_simple_scorecard() {
    // SimpleScorecard.pmml (Apache KIE) with missingValueReplacement="20" on input1: a missing
    // input1 scores the points of 20 (50), not the lowest points (-12): 5 + 50 + 32 = 87
    let xml = r#"<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
      <DataDictionary>
        <DataField name="input1" optype="continuous" dataType="double"/>
        <DataField name="input2" optype="continuous" dataType="double"/>
        <DataField name="score" optype="continuous" dataType="double"/>
      </DataDictionary>
      <Scorecard modelName="SimpleScorecard" functionName="regression" useReasonCodes="true" initialScore="5" baselineMethod="other">
        <MiningSchema>
          <MiningField name="input1" usageType="active" invalidValueTreatment="asMissing" missingValueReplacement="20"/>
          <MiningField name="input2" usageType="active" invalidValueTreatment="asMissing"/>
          <MiningField name="score" usageType="target"/>
        </MiningSchema>
        <Characteristics>
          <Characteristic name="input1Score" baselineScore="4" reasonCode="Input1ReasonCode">
            <Attribute partialScore="-12"><SimplePredicate field="input1" operator="lessOrEqual" value="10"/></Attribute>
            <Attribute partialScore="50"><SimplePredicate field="input1" operator="greaterThan" value="10"/></Attribute>
          </Characteristic>
          <Characteristic name="input2Score" baselineScore="8" reasonCode="Input2ReasonCode">
            <Attribute partialScore="-8"><SimplePredicate field="input2" operator="lessOrEqual" value="-5"/></Attribute>
            <Attribute partialScore="32"><SimplePredicate field="input2" operator="greaterThan" value="-5"/></Attribute>
          </Characteristic>
        </Characteristics>
      </Scorecard></PMML>"#;
    let m = pmml::import(xml).unwrap();
    assert_eq!(scores(&m, "input1,input2\n,3\nabc,3\n10,3\n10.5,-5\n"), vec![87.0, 87.0, 25.0, 47.0]);
    // without the replacement a missing input1 matches no attribute (PMML: no score)
    let m = pmml::import(&xml.replace(" missingValueReplacement=\"20\"", "")).unwrap();
    assert_eq!(scores(&m, "input1,input2\n,3\n")[0], 5.0 - 12.0 + 32.0);
}

const DERIVED_ROWS: &str = "x,y,z,cat,w
1000,0,5,a,1
3000,25,20,c,6
,,,,
4000,50,150,zz,-10
2500,5,10,b,5
2499.9,5.0001,100,c,5.0001
2600,30,100.5,,
-1,-5,-3,a,-100
";

#[test]
fn derived_fields_score_as_pmml() {
    let m = pmml::import(&fixture("derived.pmml")).unwrap();
    // x_k = x / 1000: isMissing 0, < 2.5 10, == 3 15, >= 2.5 5 + 4 x_k; neg = 100 - 2y: > 50 20,
    // <= 50 and != 0 8, else 2; yn = NormContinuous(y: 0->0, 10->0.5, 50->1, clamped, missing -> 0):
    // <= 0.25 3, < 0.75 9, >= 0.75 12; zb = Discretize(z: <10 low, [10,20) mid, [20,100] high,
    // default other, missing -> none): low/mid 6, high 11, none 1, else 0; grp = MapValues(cat:
    // a,b -> g1, c -> g2, default g3, missing -> gm): g1 7, g2 4, gm 2, else 0; xr = x, w2 = w + 5:
    // xr > 500 and w2 <= 10 13, else 3
    let want = [
        10.0 + 20.0 + 3.0 + 6.0 + 7.0 + 13.0,
        15.0 + 8.0 + 9.0 + 11.0 + 4.0 + 3.0,
        0.0 + 2.0 + 3.0 + 1.0 + 2.0 + 3.0,
        21.0 + 2.0 + 12.0 + 0.0 + 0.0 + 13.0,
        // x_k 2.5 -> 5 + 10; y 5 -> neg 90 (20), yn 0.25 (3); z 10 mid (6); b g1 (7); w2 10 (13)
        15.0 + 20.0 + 3.0 + 6.0 + 7.0 + 13.0,
        // x_k 2.4999 (10); neg 89.9998 (20); yn 0.250005 (9); z 100 high (11); c (4); w2 10.0001 (3)
        10.0 + 20.0 + 9.0 + 11.0 + 4.0 + 3.0,
        // x_k 2.6 -> 5 + 10.4; y 30 -> neg 40 (8), yn 0.75 (12); z 100.5 other (0); cat missing gm
        // (2); w missing: unknown (3)
        15.4 + 8.0 + 12.0 + 0.0 + 2.0 + 3.0,
        // x_k -0.001 (10); y -5: neg 110 (20), yn clamped 0 (3); z -3 low (6); a (7); xr -1 (3)
        10.0 + 20.0 + 3.0 + 6.0 + 7.0 + 3.0,
    ];
    let got = scores(&m, DERIVED_ROWS);
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() < 1e-9, "row {i}: {g} != {w}");
    }
    // no field treatments: no refer rule; the conditions read the source fields only
    assert!(m.policy.is_empty() || invalid_rows(&m, "x,y,z,cat,w\n1,1,1,a,1\n") == vec![false]);
    let mut feats: Vec<String> = m.feature_names().into_iter().map(|s| s.to_string()).collect();
    feats.sort();
    assert_eq!(feats, vec!["cat", "w", "x", "y", "z"]);
}

#[test]
fn imported_treatments_and_derived_fields_round_trip_through_export() {
    for (f, rows) in [("treatments.pmml", TREATMENT_ROWS), ("derived.pmml", DERIVED_ROWS)] {
        let m = pmml::import(&fixture(f)).unwrap();
        let back = pmml::import(&pmml::export(&m).unwrap()).unwrap();
        // the export reads text in a numeric field as missing: compare rows without such text
        let rows: String = rows.lines().filter(|l| !l.contains("abc")).map(|l| format!("{l}\n")).collect();
        assert_eq!(scores(&back, &rows), scores(&m, &rows), "{f}");
    }
}

fn doc(dd: &str, td: &str, ms: &str, chars: &str) -> String {
    format!(
        r#"<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
        <DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="c" optype="categorical" dataType="string"/>{dd}</DataDictionary>
        <TransformationDictionary>{td}</TransformationDictionary>
        <Scorecard functionName="regression" useReasonCodes="false"><MiningSchema><MiningField name="x"/><MiningField name="c"/>{ms}</MiningSchema>
        <Characteristics><Characteristic name="k">{chars}<Attribute partialScore="0"><True/></Attribute></Characteristic></Characteristics></Scorecard></PMML>"#
    )
}

fn err(xml: &str) -> (String, String) {
    let e = pmml::import(xml).unwrap_err();
    assert_eq!(e.code(), "pmml", "{e}");
    (e.message(), e.path().to_string())
}

fn on(field: &str) -> String {
    format!(r#"<Attribute partialScore="1"><SimplePredicate field="{field}" operator="greaterThan" value="1"/></Attribute>"#)
}

#[test]
fn unsupported_constructs_are_errors_naming_them() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            fixture("unsupported_derived.pmml"),
            "DerivedField `d1` uses <Apply function=\"log10\">, which the import does not support (Apply: +, -, * and / by constants, linear in one field)",
            "TransformationDictionary.DerivedField[0] `d1`",
        ),
        (
            doc("", r#"<DerivedField name="nd" optype="continuous" dataType="double"><NormDiscrete field="c" value="a"/></DerivedField>"#, "", &on("nd")),
            "DerivedField `nd` uses <NormDiscrete>, which the import does not support (FieldRef, linear Apply, NormContinuous, Discretize, MapValues)",
            "TransformationDictionary.DerivedField[0] `nd`",
        ),
        (
            doc(
                "",
                r#"<DerivedField name="d1" optype="continuous" dataType="double"><FieldRef field="x"/></DerivedField><DerivedField name="d2" optype="continuous" dataType="double"><FieldRef field="d1"/></DerivedField>"#,
                "",
                &on("d2"),
            ),
            "DerivedField `d2` reads `d1`, which is not a DataField (derived fields of derived fields are not supported)",
            "TransformationDictionary.DerivedField[1] `d2`",
        ),
        (
            doc(
                "",
                r#"<DerivedField name="m" optype="categorical" dataType="string"><MapValues outputColumn="o"><FieldColumnPair field="c" column="a"/><FieldColumnPair field="x" column="b"/><InlineTable/></MapValues></DerivedField>"#,
                "",
                &on("m"),
            ),
            "DerivedField `m` uses <MapValues> with 2 input columns, which the import does not support (one input column)",
            "TransformationDictionary.DerivedField[0] `m`",
        ),
        (
            doc(
                "",
                r#"<DerivedField name="m" optype="categorical" dataType="string"><MapValues outputColumn="o"><FieldColumnPair field="c" column="a"/><TableLocator/></MapValues></DerivedField>"#,
                "",
                &on("m"),
            ),
            "DerivedField `m` uses <MapValues> without an <InlineTable>, which the import does not support (TableLocator)",
            "TransformationDictionary.DerivedField[0] `m`",
        ),
        (
            doc(
                "",
                r#"<DerivedField name="a" optype="continuous" dataType="double"><Apply function="*"><FieldRef field="x"/><FieldRef field="x"/></Apply></DerivedField>"#,
                "",
                &on("a"),
            ),
            "DerivedField `a` uses <Apply function=\"*\">, which the import does not support (Apply: +, -, * and / by constants, linear in one field)",
            "TransformationDictionary.DerivedField[0] `a`",
        ),
        (
            doc(
                "",
                r#"<DerivedField name="a" optype="continuous" dataType="double"><Apply function="+" defaultValue="1"><FieldRef field="x"/><Constant>1</Constant></Apply></DerivedField>"#,
                "",
                &on("a"),
            ),
            "DerivedField `a` uses <Apply defaultValue>, which the import does not support",
            "TransformationDictionary.DerivedField[0] `a`",
        ),
        (
            doc("", r#"<DerivedField name="n" optype="continuous" dataType="double"><NormContinuous field="c"><LinearNorm orig="0" norm="0"/><LinearNorm orig="1" norm="1"/></NormContinuous></DerivedField>"#, "", &on("n")),
            "DerivedField `n`: <NormContinuous> of `c`, which is not numeric",
            "TransformationDictionary.DerivedField[0] `n`",
        ),
        (
            doc("", "", "", &on("nope")),
            "SimplePredicate reads field `nope`, which is neither in the DataDictionary nor a DerivedField",
            "Characteristic[0].Attribute[0]",
        ),
        (
            doc(
                "",
                r#"<DerivedField name="n" optype="continuous" dataType="double"><NormContinuous field="x"><LinearNorm orig="0" norm="0"/><LinearNorm orig="1" norm="1"/></NormContinuous></DerivedField>"#,
                "",
                r#"<Attribute><True/><ComplexPartialScore><FieldRef field="n"/></ComplexPartialScore></Attribute>"#,
            ),
            "ComplexPartialScore reads DerivedField `n`; only a FieldRef or linear Apply without mapMissingTo is supported there",
            "Characteristic[0].Attribute[0]",
        ),
        (doc("", "", r#"<MiningField name="ghost"/>"#, ""), "MiningField `ghost` is not in the DataDictionary", "Scorecard.MiningSchema.MiningField[2] `ghost`"),
        (
            doc("", "", "", "").replace(r#"<MiningField name="x"/>"#, r#"<MiningField name="x" invalidValueTreatment="asWhatever"/>"#),
            "unknown invalidValueTreatment `asWhatever`",
            "Scorecard.MiningSchema.MiningField[0] `x`",
        ),
        (
            doc("", "", "", "").replace(r#"<MiningField name="x"/>"#, r#"<MiningField name="x" invalidValueTreatment="asValue"/>"#),
            "invalidValueTreatment=\"asValue\" needs invalidValueReplacement",
            "Scorecard.MiningSchema.MiningField[0] `x`",
        ),
        (
            doc("", "", "", "").replace(r#"<MiningField name="x"/>"#, r#"<MiningField name="x" outliers="asExtremeValues"/>"#),
            "outliers needs lowValue or highValue",
            "Scorecard.MiningSchema.MiningField[0] `x`",
        ),
        (
            doc("", "", "", "").replace(r#"<MiningField name="x"/>"#, r#"<MiningField name="x" missingValueReplacement="lots"/>"#),
            "missingValueReplacement `lots` of a numeric field is not a number",
            "Scorecard.MiningSchema.MiningField[0] `x`",
        ),
    ];
    for (xml, msg, path) in cases {
        let (m, p) = err(&xml);
        assert!(m.ends_with(msg), "message {m:?}, want {msg:?}");
        assert_eq!(p, path, "{m}");
    }
}

#[test]
fn negated_comparisons_and_compounds_are_three_valued() {
    // PMML: a comparison on a missing value is unknown, and so is xor over it; the engine's `not`
    // would be true there. x missing: the xor attribute must not match, the surrogate falls through.
    let xml = doc(
        "",
        "",
        "",
        r#"<Attribute partialScore="5"><CompoundPredicate booleanOperator="xor"><SimplePredicate field="x" operator="greaterThan" value="1"/><SimplePredicate field="c" operator="equal" value="a"/></CompoundPredicate></Attribute>
           <Attribute partialScore="7"><CompoundPredicate booleanOperator="surrogate"><SimplePredicate field="x" operator="lessThan" value="1"/><SimplePredicate field="c" operator="equal" value="a"/></CompoundPredicate></Attribute>"#,
    );
    let m = pmml::import(&xml).unwrap();
    // (x, c): (missing, a) surrogate -> c == a; (missing, b) nothing; (2, b) xor true;
    // (2, a) xor false, surrogate x < 1 false; (0, a) xor true; (0, b) surrogate x < 1
    assert_eq!(scores(&m, "x,c\n,a\n,b\n2,b\n2,a\n0,a\n0,b\n"), vec![7.0, 0.0, 5.0, 0.0, 5.0, 7.0]);
}

#[test]
fn a_complex_partial_score_of_a_missing_value_is_referred() {
    // PMML has no partial score for a missing x (empty, or text under asMissing): no score; y's
    // attribute cannot match a missing y (a comparison), so only x flags
    let m = pmml::import(&fixture("cps_missing.pmml")).unwrap();
    let rows = "x,y\n20,1\n5,-1\n,2\nabc,5\n11,\n";
    // (20, 1): 1 + 40 + 3; (5, -1 code -> missing): 5 + 10; (missing, 2): the True bin gives its
    // intercept 1 (PMML: no score; the rule fires) + 6; (text, 5): 1 + 10; (11, missing): 23 + 10
    assert_eq!(scores(&m, rows), vec![44.0, 15.0, 7.0, 11.0, 33.0]);
    assert_eq!(invalid_rows(&m, rows), vec![false, false, true, true, false]);
}
