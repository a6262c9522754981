// The JS host itself: plain objects in and out, typed shortcuts, no throws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { call, callJson, qrSvg, buildPayload } from "./load-core.mjs";

const ACB_DYNAMIC =
  "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";

test("call returns plain objects", () => {
  const out = call("payload.build", { bank: "ACB", account: "257678859", amount: 10000, purpose: "Chuyen tien" });
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepStrictEqual(out, { ok: true, value: { payload: ACB_DYNAMIC } });
});

test("callJson agrees with call", () => {
  const input = { payload: ACB_DYNAMIC };
  assert.deepStrictEqual(JSON.parse(callJson("payload.parse", JSON.stringify(input))), call("payload.parse", input));
  assert.equal(JSON.parse(callJson("payload.parse", "{oops")).error.code, "invalid_input");
});

test("typed shortcuts", () => {
  assert.equal(buildPayload("ACB", "257678859", 10000, "Chuyen tien"), ACB_DYNAMIC);
  assert.match(qrSvg("hello", 2), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 29 29" width="58" height="58"/);
  assert.throws(() => buildPayload("ACB", "257678859", 10.5), /whole number/);
  assert.throws(() => buildPayload("NOPE", "1"), /neither a six-digit BIN nor a VietQR bank code/);
});

test("every op answers garbage with ok:false and a code, never a throw", () => {
  const ops = call("ops.list").value;
  assert.ok(ops.length >= 30, `${ops.length} ops`);
  for (const op of ops) {
    for (const input of [undefined, null, 1, "x", [], { zzz: 1 }, { text: 5 }, new Map(), () => 1]) {
      const out = call(op, input);
      assert.equal(typeof out.ok, "boolean", `${op} ${String(input)}`);
      if (!out.ok) assert.match(out.error.code, /^[a-z_]+$/);
    }
  }
});

test("banks.list has the whole table", () => {
  const banks = call("banks.list", {}).value;
  assert.ok(banks.length >= 60);
  assert.deepStrictEqual(banks.find((b) => b.code === "MB"), {
    bin: "970422", code: "MB", short_name: "MBBank", name: "Ngân hàng TMCP Quân đội",
  });
});
