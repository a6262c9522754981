//! Property tests: build → parse round-trips, QR codes decode back to their
//! text, and no input of any shape makes the core panic.

use proptest::prelude::*;
use serde_json::json;
use vietqr::emv::payload::{build, parse, Initiation, PayloadRequest, Service};

fn request() -> impl Strategy<Value = PayloadRequest> {
    (
        prop_oneof![
            "[0-9]{6}",
            proptest::sample::select(
                vietqr::banks::BANKS
                    .iter()
                    .map(|b| b.code.to_string())
                    .collect::<Vec<_>>()
            ),
        ],
        "[A-Za-z0-9]{1,19}",
        any::<bool>(),
        proptest::option::of(1u64..=9_999_999_999_999),
        proptest::option::of("[ -~]{1,25}"),
        proptest::option::of("[A-Za-z0-9]{1,25}"),
        proptest::option::of(prop_oneof![
            Just(Initiation::Static),
            Just(Initiation::Dynamic)
        ]),
    )
        .prop_map(
            |(bank, account, card, amount, purpose, bill_number, initiation)| PayloadRequest {
                bank,
                account,
                service: if card {
                    Service::Card
                } else {
                    Service::Account
                },
                amount,
                purpose,
                bill_number,
                initiation,
                fold_purpose: false,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn build_then_parse_round_trips(req in request()) {
        let payload = build(&req).unwrap();
        let p = parse(&payload).unwrap();
        let bin = vietqr::banks::lookup(&req.bank).map_or(req.bank.clone(), |b| b.bin.to_string());
        prop_assert_eq!(p.bin, bin);
        prop_assert_eq!(p.account, req.account);
        prop_assert_eq!(p.service, req.service);
        prop_assert_eq!(p.amount, req.amount);
        prop_assert_eq!(p.purpose, req.purpose);
        prop_assert_eq!(p.bill_number, req.bill_number);
        let want = req.initiation.unwrap_or(if req.amount.is_some() { Initiation::Dynamic } else { Initiation::Static });
        prop_assert_eq!(p.initiation, Some(want));
        prop_assert_eq!(&p.crc, &payload[payload.len() - 4..]);
        prop_assert!(p.crc.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    }

    #[test]
    fn parse_never_panics_on_random_text(s in "\\PC{0,300}") {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn a_changed_character_is_caught(req in request(), at in any::<prop::sample::Index>(), c in "[0-9A-Z]") {
        // CRC-16 detects every single-character change; any edit either
        // fails to parse or (if it hit the CRC digits' case) parses the same.
        let payload = build(&req).unwrap();
        let i = at.index(payload.len());
        let mut edited = payload.clone();
        edited.replace_range(i..i + 1, &c);
        if edited != payload {
            prop_assert!(parse(&edited).is_err(), "{} accepted", edited);
        }
    }

    #[test]
    fn call_never_panics(op in "[a-z._]{0,30}", input in "\\PC{0,200}") {
        let out = vietqr::call_json(&op, &input);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v["ok"].is_boolean());
    }

    #[test]
    fn fold_gives_clean_content(s in "\\PC{0,80}", max in 1usize..40) {
        let f = vietqr::text::fold(&s, Some(max));
        prop_assert!(f.len() <= max);
        prop_assert!(f.is_empty() || vietqr::text::is_clean_content(&f, max));
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn qr_decodes_back_to_its_text(text in "[ -~]{1,300}", ecl in proptest::sample::select(vec!["L", "M", "Q", "H"])) {
        let m = vietqr::qr::Matrix::encode(&vietqr::qr::QrOptions {
            text: text.clone(), ecl: Some(ecl.into()), module_px: Some(1), quiet_zone: Some(4),
        }).unwrap();
        let size = m.size();
        let q = m.quiet_zone;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(size * 3, size * 3, |x, y| {
            let (x, y) = (x / 3, y / 3);
            let dark = x >= q && y >= q && x - q < m.width && y - q < m.width && m.dark[(y - q) * m.width + (x - q)];
            if dark { 0 } else { 255 }
        });
        let grids = img.detect_grids();
        prop_assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        prop_assert_eq!(content, text);
    }
}

#[test]
fn every_op_refuses_garbage_without_panicking() {
    let ops = vietqr::call("ops.list", json!({}));
    for op in ops["value"].as_array().unwrap() {
        let op = op.as_str().unwrap();
        for input in [
            json!(null),
            json!(1),
            json!("x"),
            json!([]),
            json!({"zzz": 1}),
            json!({"text": 5, "payload": null}),
        ] {
            let out = vietqr::call(op, input.clone());
            assert!(out["ok"].is_boolean(), "{op} {input}: {out}");
            if op != "ops.list" && op != "banks.list" && op != "api.errors" {
                assert_eq!(out["ok"], false, "{op} accepted {input}");
                assert!(out["error"]["code"].is_string(), "{op} {input}: {out}");
            }
        }
    }
}
