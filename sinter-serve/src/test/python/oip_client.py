#!/usr/bin/env python3
"""An Open Inference Protocol client written only with Python's standard library (urllib, json,
struct), as a user following KServe's v2 REST docs would write it. Run by PythonClientTest against a
server on loopback; it exits non-zero with a message on the first disagreement.

usage: oip_client.py BASE_URL EXPECTED_JSON
EXPECTED_JSON holds {"model": ..., "input": [[...]], "output": [[...]]}: the model's answer computed
in Java beside the server, which the answers over HTTP must match.
"""
import json
import struct
import sys
import urllib.error
import urllib.request


def call(base, method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def close(a, b, tol=1e-5):
    return len(a) == len(b) and all(abs(x - y) <= tol * (1 + abs(y)) for x, y in zip(a, b))


def main():
    base, expected_file = sys.argv[1], sys.argv[2]
    with open(expected_file) as f:
        expected = json.load(f)
    model = expected["model"]
    rows = expected["input"]
    want = [v for row in expected["output"] for v in row]

    check(call(base, "GET", "/v2/health/live")[0] == 200, "server live")
    check(call(base, "GET", "/v2/health/ready")[0] == 200, "server ready")
    status, _, body = call(base, "GET", "/v2")
    check(status == 200 and "binary_tensor_data" in json.loads(body)["extensions"], "server metadata lists the binary extension")
    status, _, body = call(base, "GET", "/v2/models/" + model)
    meta = json.loads(body)
    check(status == 200 and meta["inputs"][0]["shape"][0] == -1, "model metadata with a batch dimension")
    check(call(base, "GET", "/v2/models/%s/ready" % model)[0] == 200, "model ready")

    inp = meta["inputs"][0]
    request = {"id": "py-1", "inputs": [{"name": inp["name"], "shape": [len(rows), len(rows[0])],
                                         "datatype": inp["datatype"], "data": [v for r in rows for v in r]}]}
    status, _, body = call(base, "POST", "/v2/models/%s/infer" % model, json.dumps(request).encode(),
                           {"Content-Type": "application/json"})
    answer = json.loads(body)
    check(status == 200 and answer["id"] == "py-1", "infer with JSON data")
    out = answer["outputs"][0]
    check(out["shape"] == [len(rows), len(expected["output"][0])], "output shape %s" % out["shape"])
    check(close(out["data"], want), "JSON outputs match the model's answer in Java")

    flat = [v for r in rows for v in r]
    raw = struct.pack("<%df" % len(flat), *flat)
    header = json.dumps({"inputs": [{"name": inp["name"], "shape": [len(rows), len(rows[0])], "datatype": "FP32",
                                     "parameters": {"binary_data_size": len(raw)}}],
                         "outputs": [{"name": meta["outputs"][0]["name"], "parameters": {"binary_data": True}}]}).encode()
    status, headers, body = call(base, "POST", "/v2/models/%s/infer" % model, header + raw,
                                 {"Inference-Header-Content-Length": str(len(header)),
                                  "Content-Type": "application/octet-stream"})
    check(status == 200, "infer with the binary tensor data extension")
    hl = int({k.lower(): v for k, v in headers.items()}["inference-header-content-length"])
    head = json.loads(body[:hl])
    size = head["outputs"][0]["parameters"]["binary_data_size"]
    got = list(struct.unpack("<%df" % (size // 4), body[hl:hl + size]))
    check(close(got, want), "binary outputs match the model's answer in Java")

    bad = {"inputs": [{"name": inp["name"], "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}
    status, _, body = call(base, "POST", "/v2/models/%s/infer" % model, json.dumps(bad).encode())
    check(status == 400 and "inputs[0].shape" in json.loads(body)["error"], "a wrong shape gets 400 naming inputs[0].shape")

    status, _, body = call(base, "POST", "/v2/repository/index", b"{}")
    check(status == 200 and any(m["name"] == model and m["state"] == "READY" for m in json.loads(body)), "repository index")
    status, _, body = call(base, "GET", "/metrics")
    check(status == 200 and b"sinter_inference_request_success_total" in body, "Prometheus metrics")
    print("all checks passed")


if __name__ == "__main__":
    main()
