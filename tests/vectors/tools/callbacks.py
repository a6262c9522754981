#!/usr/bin/env python3
"""Writes tests/vectors/callbacks.json.

Expected outputs are computed here, in Python, independently of the Rust core:
the token is "vqr1.<exp>." + base64url(HMAC-SHA256(secret, "token\\nvqr1.<exp>")),
the sign is hex(HMAC-SHA256(secret, "sign\\n<orderId>|<bankaccount>"))[:32]
(see src/callback.rs), and the reply bodies are those of reference §1d.
Run: python3 tests/vectors/tools/callbacks.py
"""
import base64, hashlib, hmac, json, os

SECRET = "shop-callback-secret-0123456789"
NOW = 1_763_800_000
USER, PASS = "vietqr-shop", "s3cret-pass"
ACCOUNT = "0123456789"


def mac(purpose, msg):
    return hmac.new(SECRET.encode(), (purpose + "\n" + msg).encode(), hashlib.sha256).digest()


def token(now):
    exp = now + 300
    return f"vqr1.{exp}." + base64.urlsafe_b64encode(mac("token", f"vqr1.{exp}")).decode().rstrip("=")


def sign(order, acct):
    return mac("sign", f"{order}|{acct}").hex()[:32]


def basic(u, p):
    return "Basic " + base64.b64encode(f"{u}:{p}".encode()).decode()


V = []
REF = "reference §1d (VietQR → shop), server TransactionBankController.pushNewTransactionToCustomerSync"


def vec(name, prov, op, inp, expect):
    V.append({"name": name, "provenance": prov, "op": op, "input": inp, "expect": expect})


def ok(v):
    return {"ok": True, "value": v}


# --- callback.token ---------------------------------------------------------
tok_in = {"authorization": basic(USER, PASS), "username": USER, "password": PASS, "secret": SECRET, "now": NOW}
vec("token-issued", "reference §1d (1): Basic in, {access_token, token_type Bearer, expires_in 300} out", "callback.token", tok_in,
    ok({"status": 200, "reason": "accepted", "body": {"access_token": token(NOW), "token_type": "Bearer", "expires_in": 300}}))


def refused(reason):
    return ok({"status": 401, "reason": reason, "body": {"error": "unauthorized", "reason": reason}})


vec("token-wrong-password", "derived: wrong Basic credentials get 401 (VietQR treats non-2xx as no token)", "callback.token",
    dict(tok_in, authorization=basic(USER, "guess")), refused("bad_credentials"))
vec("token-wrong-username", "derived: as above", "callback.token", dict(tok_in, authorization=basic("admin", PASS)), refused("bad_credentials"))
vec("token-lowercase-scheme", "derived: RFC 7617, the scheme is case-insensitive", "callback.token",
    dict(tok_in, authorization=basic(USER, PASS).replace("Basic", "basic")),
    ok({"status": 200, "reason": "accepted", "body": {"access_token": token(NOW), "token_type": "Bearer", "expires_in": 300}}))
vec("token-no-header", "derived: missing Authorization", "callback.token", dict(tok_in, authorization=""), refused("no_credentials"))
vec("token-bearer-instead", "derived: wrong scheme", "callback.token", dict(tok_in, authorization="Bearer " + token(NOW)), refused("not_basic"))
vec("token-bad-base64", "derived: undecodable Basic value", "callback.token", dict(tok_in, authorization="Basic %%%"), refused("malformed_basic"))
vec("token-no-colon", "derived: Basic value without user:pass", "callback.token",
    dict(tok_in, authorization="Basic " + base64.b64encode(b"justuser").decode()), refused("malformed_basic"))
vec("token-weak-secret", "derived: a host misconfiguration is an error, not a 401", "callback.token", dict(tok_in, secret="short"),
    {"ok": False, "error": {"code": "weak_secret", "message": "the callback secret must be at least 16 bytes"}})

# --- callback.transaction_sync ------------------------------------------------
order = "DH1234"
good = {
    "transactionid": "3f2c9a1e-7b7d-4c1e-9d35-6a1f0c2b8e11",
    "transactiontime": 1763800123000,
    "referencenumber": "FT25326123456789",
    "amount": 150000,
    "content": "VQR1a2b3c4d5e DH1234",
    "bankaccount": ACCOUNT,
    "transType": "C",
    "orderId": order,
    "sign": sign(order, ACCOUNT),
    "terminalCode": "",
    "urlLink": "",
    "subTerminalCode": "",
    "serviceCode": "",
}
txn = {
    "transaction_id": good["transactionid"], "transaction_time": 1763800123, "reference_number": good["referencenumber"],
    "amount": 150000, "content": good["content"], "bank_account": ACCOUNT, "trans_type": "C", "order_id": order,
    "sign": good["sign"], "sign_valid": True, "terminal_code": "", "url_link": "", "sub_terminal_code": "", "service_code": "",
}
bearer = "Bearer " + token(NOW)


def sync_in(body, **kw):
    d = {"authorization": bearer, "body": body if isinstance(body, str) else json.dumps(body, separators=(",", ":")), "secret": SECRET, "now": NOW + 10}
    d.update(kw)
    return d


def accepted(t, ref=None):
    return ok({"status": 200, "reason": "accepted",
               "body": {"error": False, "errorReason": "000", "toastMessage": "", "object": {"reftransactionid": ref or t["transaction_id"]}},
               "transaction": t})


def rejected(status, code, reason, msg):
    return ok({"status": status, "reason": reason, "body": {"error": True, "errorReason": code, "toastMessage": msg, "object": None}, "transaction": None})


vec("sync-accepted-13-lowercase-keys", REF + ": exactly the 13 keys the server sends; transactiontime in ms", "callback.transaction_sync",
    sync_in(good, bank_account=ACCOUNT), accepted(txn))
camel = {("transactionId" if k == "transactionid" else "transactionTime" if k == "transactiontime" else "referenceNumber" if k == "referencenumber" else "bankAccount" if k == "bankaccount" else k): v for k, v in good.items()}
camel["transactionTime"] = 1763800123
vec("sync-accepted-camel-case-keys", "reference §5.2: the English docs camel-case the keys; parse case-insensitively; seconds accepted", "callback.transaction_sync",
    sync_in(camel), accepted(txn))
nosign = dict(good, sign="", orderId="")
vec("sync-accepted-static-qr-no-sign", "derived: a transfer to a static QR carries no orderId or sign", "callback.transaction_sync",
    sync_in(nosign, ref_transaction_id="ledger-42"), accepted(dict(txn, sign="", sign_valid=None, order_id=""), "ledger-42"))
strs = dict(good, amount="150000", transactiontime="1763800123")
vec("sync-amount-as-string", "reference §1f: values may arrive as strings (as in WS N05)", "callback.transaction_sync", sync_in(strs), accepted(txn))
vec("sync-null-optionals", "derived: null optional fields read as empty", "callback.transaction_sync",
    sync_in(dict(nosign, terminalCode=None, urlLink=None)), accepted(dict(txn, sign="", sign_valid=None, order_id="")))

AUTH = "invalid or expired bearer token"
vec("sync-no-token", "derived: no Authorization; 401 so that VietQR retries with a new token (reference §1d retry rules)", "callback.transaction_sync",
    sync_in(good, authorization=""), rejected(401, "012", "no_token", AUTH))
vec("sync-basic-not-bearer", "derived", "callback.transaction_sync", sync_in(good, authorization=basic(USER, PASS)), rejected(401, "012", "not_bearer", AUTH))
vec("sync-expired-token", "derived: a 300 s token used at 301 s", "callback.transaction_sync", sync_in(good, now=NOW + 300), rejected(401, "012", "token_expired", AUTH))
vec("sync-token-other-secret", "derived: token signed with another secret", "callback.transaction_sync",
    sync_in(good, secret="another-shop-secret-000000"), rejected(401, "012", "token_forged", AUTH))
forged = "Bearer vqr1.%d.%s" % (NOW + 9999, token(NOW).split(".")[2])
vec("sync-token-exp-edited", "derived: expiry changed, MAC kept", "callback.transaction_sync", sync_in(good, authorization=forged), rejected(401, "012", "token_forged", AUTH))
vec("sync-token-garbage", "derived", "callback.transaction_sync", sync_in(good, authorization="Bearer eyJhbGciOiJIUzUxMiJ9.e30.x"), rejected(401, "012", "token_malformed", AUTH))

vec("sync-body-not-json", "reference §1d: 001 invalid request body", "callback.transaction_sync", sync_in("transactionid=1&amount=2"),
    rejected(400, "001", "body_not_json", "body is not JSON"))
vec("sync-body-array", "reference §1d: 001", "callback.transaction_sync", sync_in("[]"), rejected(400, "001", "body_not_object", "body is not a JSON object"))
vec("sync-body-oversized", "derived: bodies over 16 KiB are refused unparsed", "callback.transaction_sync", sync_in(json.dumps(dict(good, content="x" * 17000))),
    rejected(400, "001", "body_too_large", "body is %d bytes; at most 16384" % len(json.dumps(dict(good, content="x" * 17000)))))
vec("sync-amount-missing", "reference §1d: 002 invalid amount", "callback.transaction_sync", sync_in({k: v for k, v in good.items() if k != "amount"}),
    rejected(400, "002", "invalid_amount", "amount must be a positive whole number of VND"))
vec("sync-amount-negative", "reference §1d: 002", "callback.transaction_sync", sync_in(dict(good, amount=-5)),
    rejected(400, "002", "invalid_amount", "amount must be a positive whole number of VND"))
vec("sync-amount-fraction", "reference §1d: 002; VND has no minor unit", "callback.transaction_sync", sync_in(dict(good, amount=1500.5)),
    rejected(400, "002", "invalid_amount", "amount must be a positive whole number of VND"))
vec("sync-debit", "reference §1d: 003; only credits pay an order", "callback.transaction_sync", sync_in(dict(good, transType="D")),
    rejected(400, "003", "not_credit", 'transType is "D"; only C (credit) pays an order'))
vec("sync-trans-type-bad", "reference §1d: 003", "callback.transaction_sync", sync_in(dict(good, transType="X")),
    rejected(400, "003", "invalid_trans_type", "transType must be C or D"))
vec("sync-time-missing", "reference §1d: 004", "callback.transaction_sync", sync_in({k: v for k, v in good.items() if k != "transactiontime"}),
    rejected(400, "004", "invalid_transaction_time", "transactiontime must be a positive epoch time"))
vec("sync-transactionid-empty", "reference §1d: 007", "callback.transaction_sync", sync_in(dict(good, transactionid="")),
    rejected(400, "007", "invalid_transaction_id", "transactionid must be a non-empty string of at most 64 characters"))
vec("sync-reference-missing", "reference §1d: 008", "callback.transaction_sync", sync_in({k: v for k, v in good.items() if k != "referencenumber"}),
    rejected(400, "008", "invalid_reference_number", "referencenumber is missing"))
vec("sync-content-number", "reference §1d: 009", "callback.transaction_sync", sync_in(dict(good, content=42)),
    rejected(400, "009", "invalid_content", "content must be a string of at most 500 characters"))
vec("sync-wrong-account", "reference §1d: 010; the shop's account is passed in", "callback.transaction_sync", sync_in(dict(good, bankaccount="9999999999"), bank_account=ACCOUNT),
    rejected(400, "010", "wrong_account", "bankaccount is not this shop's account"))
vec("sync-sign-tampered", "reference §1l: sign is ours and echoed verbatim; an edited orderId no longer matches", "callback.transaction_sync",
    sync_in(dict(good, orderId="DH9999")), rejected(400, "011", "sign_mismatch", "sign does not match orderId and bankaccount"))
vec("sync-sign-garbage", "reference §1l", "callback.transaction_sync", sync_in(dict(good, sign="deadbeef")),
    rejected(400, "011", "sign_mismatch", "sign does not match orderId and bankaccount"))

# --- callback.sign -------------------------------------------------------------
vec("sign-for-order", "derived: src/callback.rs sign(), recomputed with Python hmac", "callback.sign",
    {"secret": SECRET, "order_id": order, "bank_account": ACCOUNT}, ok({"sign": sign(order, ACCOUNT)}))

# --- ws.parse ------------------------------------------------------------------
n05 = {"notificationType": "N05", "transactionid": "7c1d", "transactiontime": "1714000000", "referencenumber": "FT24117000001",
       "amount": "10000", "content": "VQR0123456789 DH77", "bankaccount": ACCOUNT, "transType": "C", "orderId": "DH77",
       "terminalCode": "", "serviceCode": "", "subTerminalCode": ""}
vec("ws-n05-transaction", "reference §1f WS Transaction Sync: all values strings, seconds, no sign", "ws.parse", {"message": json.dumps(n05)},
    ok({"type": "N05", "transaction": {"transaction_id": "7c1d", "transaction_time": 1714000000, "reference_number": "FT24117000001", "amount": 10000,
                                        "content": "VQR0123456789 DH77", "bank_account": ACCOUNT, "trans_type": "C", "order_id": "DH77", "sign": "",
                                        "sign_valid": None, "terminal_code": "", "url_link": "", "sub_terminal_code": "", "service_code": ""}}))
n22 = {"notificationType": "N22", "bankAccount": ACCOUNT, "userBankName": "NGUYEN VAN A", "bankCode": "MB", "ecommerceSite": "https://shop.example"}
vec("ws-n22-linked", "reference §1f WS Sync Bank Account", "ws.parse", {"message": json.dumps(n22)},
    ok({"type": "N22", "bank_account": ACCOUNT, "user_bank_name": "NGUYEN VAN A", "bank_code": "MB", "ecommerce_site": "https://shop.example"}))
vec("ws-other-type", "reference §1f: other notification types share the socket; named and ignored", "ws.parse", {"message": '{"notificationType":"N11","x":"1"}'},
    ok({"type": "unknown", "notification_type": "N11"}))
vec("ws-not-json", "derived", "ws.parse", {"message": "hello"}, {"ok": False, "error": {"code": "invalid_ws_message", "message": "message is not JSON"}})
vec("ws-n05-bad-amount", "derived: N05 fields validated as transaction-sync", "ws.parse", {"message": json.dumps(dict(n05, amount="10,000"))},
    {"ok": False, "error": {"code": "invalid_ws_message", "message": "N05 invalid_amount (002): amount must be a positive whole number of VND"}})

out = {"description": "VietQR calling the shop: callback.token, callback.transaction_sync, callback.sign and ws.parse (reference §1d, §1f, §1l). Expected values computed in Python by tests/vectors/tools/callbacks.py.",
       "vectors": V}
path = os.path.join(os.path.dirname(__file__), "..", "callbacks.json")
with open(path, "w") as f:
    json.dump(out, f, ensure_ascii=False, indent=2)
    f.write("\n")
print(len(V), "vectors")
