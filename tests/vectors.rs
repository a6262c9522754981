//! Runs every shared vector file in `tests/vectors/` through the native core.
//! Node runs the same files through `pkg/` (tests/node/vectors.test.mjs).

use serde_json::Value;
use std::path::Path;

fn files() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn run_file(wanted: &str) {
    let (name, file) = files()
        .into_iter()
        .find(|(n, _)| n == wanted)
        .unwrap_or_else(|| panic!("no vector file {wanted}"));
    let vectors = file["vectors"].as_array().expect("vectors array");
    assert!(!vectors.is_empty(), "{name} has no vectors");
    let mut failures = Vec::new();
    for v in vectors {
        let label = v["name"].as_str().unwrap_or("?");
        assert!(
            v["provenance"].as_str().is_some_and(|p| !p.is_empty()),
            "{name}/{label} has no provenance"
        );
        let got = vietqr::call(v["op"].as_str().expect("op"), v["input"].clone());
        if got != v["expect"] {
            failures.push(format!(
                "{name}/{label}\n  expected {}\n  got      {}",
                v["expect"], got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn every_vector_file_has_a_test_here() {
    let known = [
        "api_replies.json",
        "api_requests.json",
        "callbacks.json",
        "candidates.json",
        "checksums.json",
        "deeplinks.json",
        "payloads.json",
        "qr.json",
    ];
    for (name, _) in files() {
        assert!(
            known.contains(&name.as_str()),
            "{name} is not run by tests/vectors.rs"
        );
    }
}

#[test]
fn payloads() {
    run_file("payloads.json");
}

#[test]
fn checksums() {
    run_file("checksums.json");
}

#[test]
fn callbacks() {
    run_file("callbacks.json");
}

#[test]
fn api_requests() {
    run_file("api_requests.json");
}

#[test]
fn api_replies() {
    run_file("api_replies.json");
}

#[test]
fn qr() {
    run_file("qr.json");
}

#[test]
fn deeplinks() {
    run_file("deeplinks.json");
}

#[test]
fn candidates() {
    run_file("candidates.json");
}

#[test]
fn payload_vectors_meet_the_floor() {
    // Issue #2: at least 15 distinct published or spec-derived payloads,
    // one with a CRC that starts with 0, one with a lowercase CRC.
    let (_, file) = files()
        .into_iter()
        .find(|(n, _)| n == "payloads.json")
        .unwrap();
    let mut valid: Vec<&str> = file["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["op"] == "payload.parse" && v["expect"]["ok"] == true)
        .map(|v| v["input"]["payload"].as_str().unwrap())
        .collect();
    valid.sort_unstable();
    valid.dedup();
    assert!(valid.len() >= 15, "{} distinct payloads", valid.len());
    let crcs: Vec<&str> = valid.iter().map(|p| &p[p.len() - 4..]).collect();
    assert!(crcs.iter().any(|c| c.starts_with('0')));
    assert!(crcs
        .iter()
        .any(|c| c.bytes().any(|b| b.is_ascii_lowercase())));
}

/// Every `error.code` an expected output in the vectors carries.
fn vector_error_codes() -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(o) => {
                if let (Some(Value::Bool(false)), Some(Value::Object(e))) =
                    (o.get("ok"), o.get("error"))
                {
                    if let Some(Value::String(c)) = e.get("code") {
                        out.insert(c.clone());
                    }
                }
                o.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for (_, file) in files() {
        walk(&file, &mut out);
    }
    out
}

/// `vietqr::error::Code` is the one list of error codes: every code the
/// vectors expect is in it, and every code in it is in the vectors but for
/// the few named here, which no shared vector reaches.
#[test]
fn error_codes_are_the_enum() {
    use vietqr::error::Code;
    // Not in the vectors: `internal` (no input causes it), `invalid_field`
    // and `missing_credentials` (covered by the crate's unit tests only).
    let not_in_vectors = ["internal", "invalid_field", "missing_credentials"];
    let mut expected = vector_error_codes();
    expected.extend(not_in_vectors.iter().map(|c| c.to_string()));
    let listed: std::collections::BTreeSet<String> =
        Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    assert_eq!(listed, expected, "Code::ALL vs the codes the vectors use");
    assert_eq!(listed.len(), Code::ALL.len(), "a wire string repeats");
    for pair in Code::ALL.windows(2) {
        assert!(
            pair[0].as_str() < pair[1].as_str(),
            "{:?} out of order",
            pair[1]
        );
    }
    for c in Code::ALL {
        assert!(
            c.as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{c:?} is not snake_case"
        );
        assert_eq!(serde_json::to_value(c).unwrap(), Value::from(c.as_str()));
    }
}

/// `callback::Reason` is the one table of callback answers: every reason
/// the vectors expect is in it, with the HTTP status and VietQR
/// `errorReason` the table gives it.
#[test]
fn callback_reasons_are_the_table() {
    use vietqr::callback::Reason;
    let (_, file) = files()
        .into_iter()
        .find(|(n, _)| n == "callbacks.json")
        .expect("callbacks.json");
    let mut seen = std::collections::BTreeSet::new();
    for v in file["vectors"].as_array().expect("vectors") {
        let value = &v["expect"]["value"];
        let Some(name) = value["reason"].as_str() else {
            continue;
        };
        let reason = Reason::ALL
            .iter()
            .find(|r| r.as_str() == name)
            .unwrap_or_else(|| panic!("{}: reason {name} is not a callback::Reason", v["name"]));
        assert_eq!(value["status"], reason.status(), "{}", v["name"]);
        if let Some(code) = value["body"].get("errorReason") {
            assert_eq!(Some(code.as_str().unwrap()), reason.code(), "{}", v["name"]);
        } else if name != "accepted" {
            assert_eq!(reason.code(), None, "{}", v["name"]);
        }
        seen.insert(name);
    }
    // The table's other rows: no vector reaches them, unit tests do.
    for r in Reason::ALL {
        let s = r.as_str();
        assert!(
            seen.contains(s)
                || [
                    "invalid_field",
                    "invalid_bank_account",
                    "token_not_yet_valid"
                ]
                .contains(&s),
            "{s} is in no vector"
        );
    }
}
