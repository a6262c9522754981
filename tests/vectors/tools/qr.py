#!/usr/bin/env python3
"""Writes tests/vectors/qr.json.

The SVG and PNG outputs are golden files of the native core (so that every
host draws byte-identical codes), accepted only after `zbarimg` (ZBar, an
independent decoder) read each PNG back to exactly its text. The SVG of each
case is drawn from the same module matrix as its PNG.
Run after `cargo build --release`: python3 tests/vectors/tools/qr.py
"""
import base64, json, os, subprocess, tempfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
CLI = os.path.join(ROOT, "target", "release", "vietqr")


def call(op, inp):
    out = subprocess.run([CLI, "call", op, json.dumps(inp)], capture_output=True, text=True).stdout
    return json.loads(out)


def zbar(png_b64):
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(base64.b64decode(png_b64))
        f.flush()
        r = subprocess.run(["zbarimg", "-q", "--raw", f.name], capture_output=True, text=True, check=True)
        return r.stdout.rstrip("\n")


CASES = [
    ("certificate", "the certificate of the Ecommerce Sync docs example (reference §1e), as the link-shop page shows it",
     {"text": "MER-ECM-MER37695058"}),
    ("payload-dynamic-acb", "the dynamic example payload of reference §3.1",
     {"text": "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6", "module_px": 3}),
    ("payload-static-ecl-h", "the static example payload of reference §3.1 at ECL H, no quiet zone",
     {"text": "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F", "ecl": "H", "module_px": 2, "quiet_zone": 0}),
]

V = []
for name, prov, opts in CASES:
    png = call("qr.png", opts)
    assert png["ok"], png
    text = zbar(png["value"]["png_base64"])
    assert text == opts["text"], (name, text)
    svg = call("qr.svg", opts)
    assert svg["ok"], svg
    p = f"{prov}; golden output of the core, PNG decoded by zbarimg to exactly the text"
    V.append({"name": f"svg-{name}", "provenance": p, "op": "qr.svg", "input": opts, "expect": svg})
    V.append({"name": f"png-{name}", "provenance": p, "op": "qr.png", "input": opts, "expect": png})


def err(name, inp, code, msg, op="qr.svg"):
    V.append({"name": name, "provenance": "derived: option rules of src/qr.rs", "op": op, "input": inp,
              "expect": {"ok": False, "error": {"code": code, "message": msg}}})


err("ecl-unknown", {"text": "x", "ecl": "X"}, "invalid_ecl", 'ecl is "X"; expected L, M, Q or H')
err("module-px-zero", {"text": "x", "module_px": 0}, "invalid_module_px", "module_px is 0; expected 1 to 64", op="qr.png")
err("quiet-zone-too-wide", {"text": "x", "quiet_zone": 17}, "invalid_quiet_zone", "quiet_zone is 17; expected 0 to 16")
err("empty-text", {"text": ""}, "empty_text", "text is empty; a QR code needs content")
err("too-long-for-h", {"text": "9" * 3100, "ecl": "H"}, "qr_too_long", "text of 3100 bytes does not fit in a QR code at ECL H: data too long")
err("unknown-option", {"text": "x", "size": 4}, "invalid_input", "unknown field `size`, expected one of `text`, `ecl`, `module_px`, `quiet_zone`")

with open(os.path.join(ROOT, "tests", "vectors", "qr.json"), "w") as f:
    json.dump({"description": "QR codes as SVG and PNG (golden, decoded by zbarimg), and the option errors.", "vectors": V}, f, ensure_ascii=False, indent=2)
    f.write("\n")
print(len(V), "vectors")
