//! The committed JSON Schemas in schemas/ are exactly what the Rust types generate, and every
//! example store, the default model and a decision validate against them.
//! Regenerate after changing a contract: `UPDATE_SCHEMAS=1 cargo test --features schema --test schemas`.
#![cfg(feature = "schema")]

#[test]
fn committed_schemas_match_the_types() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut stale = Vec::new();
    for (name, text) in merchant_credit::schema::generate() {
        let path = format!("{root}/schemas/{name}.schema.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != text {
            if std::env::var_os("UPDATE_SCHEMAS").is_some() {
                std::fs::write(&path, &text).unwrap();
            } else {
                stale.push(path);
            }
        }
    }
    assert!(stale.is_empty(), "stale schemas (regenerate with UPDATE_SCHEMAS=1): {stale:?}");
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = match name {
        "store" => merchant_credit::schema::STORE,
        "model" => merchant_credit::schema::MODEL,
        _ => merchant_credit::schema::DECISION,
    };
    let schema: serde_json::Value = serde_json::from_str(text).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).take(5).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{what} does not validate: {errors:#?}");
}

#[test]
fn examples_model_and_decisions_validate() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (store_v, model_v, decision_v) = (validator("store"), validator("model"), validator("decision"));
    let model: serde_json::Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
    assert_valid(&model_v, &model, "models/default.json");
    let mut n = 0;
    for entry in std::fs::read_dir(format!("{root}/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_valid(&store_v, &doc, &path.display().to_string());
            let d = merchant_credit::evaluate_json(&text).unwrap();
            let dj: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
            assert_valid(&decision_v, &dj, &format!("decision of {}", path.display()));
            n += 1;
        }
    }
    assert!(n >= 6, "expected the six example stores, found {n}");
}

#[test]
fn schema_rejects_what_the_engine_rejects() {
    let v = validator("store");
    let bad: serde_json::Value = serde_json::json!({"as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "m", "opened_on": "2024-01-01", "typo": 1}, "monthly": []});
    assert!(!v.is_valid(&bad), "unknown fields must be rejected by the schema too");
}
