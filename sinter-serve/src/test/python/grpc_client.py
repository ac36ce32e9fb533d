"""A gRPC client of the Open Inference Protocol written with Python's grpcio and protobuf runtimes.

It builds the message classes from a serialized FileDescriptorSet (no generated code), then checks
the server's health, metadata, typed and raw inference against expected outputs, and one refusal.
Usage: grpc_client.py HOST:PORT DESCRIPTOR_SET EXPECTED_JSON
"""
import json
import struct
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

target, descriptor_file, expected_file = sys.argv[1:4]
fds = descriptor_pb2.FileDescriptorSet()
with open(descriptor_file, "rb") as f:
    fds.ParseFromString(f.read())
pool = descriptor_pool.DescriptorPool()
for fd in fds.file:
    pool.Add(fd)
factory = message_factory.MessageFactory(pool)


def cls(name):
    return factory.GetPrototype(pool.FindMessageTypeByName("inference." + name))


channel = grpc.insecure_channel(target)


def call(method, request, reply):
    stub = channel.unary_unary("/inference.GRPCInferenceService/" + method,
                               request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=cls(reply).FromString)
    return stub(request, timeout=30)


expected = json.load(open(expected_file))
assert call("ServerLive", cls("ServerLiveRequest")(), "ServerLiveResponse").live
assert call("ServerReady", cls("ServerReadyRequest")(), "ServerReadyResponse").ready
meta = call("ModelMetadata", cls("ModelMetadataRequest")(name=expected["model"]), "ModelMetadataResponse")
assert meta.name == expected["model"], meta
assert list(meta.inputs[0].shape) == [-1, 4], meta

rows = expected["input"]
flat = [v for row in rows for v in row]
Request = cls("ModelInferRequest")
typed = Request(model_name=expected["model"], id="py-1")
tensor = typed.inputs.add(name="x", datatype="FP32", shape=[len(rows), 4])
tensor.contents.fp32_contents.extend(flat)
raw = Request(model_name=expected["model"])
raw.inputs.add(name="x", datatype="FP32", shape=[len(rows), 4])
raw.raw_input_contents.append(struct.pack("<%df" % len(flat), *flat))
want = [v for row in expected["output"] for v in row]
for request in (typed, raw):
    reply = call("ModelInfer", request, "ModelInferResponse")
    assert reply.outputs[0].name == "y" and list(reply.outputs[0].shape) == [len(rows), 3], reply
    got = struct.unpack("<%df" % len(want), reply.raw_output_contents[0])
    for g, w in zip(got, want):
        assert abs(g - w) <= 1e-5 * max(1.0, abs(w)), (got, want)

bad = Request(model_name=expected["model"])
bad.inputs.add(name="x", datatype="INT64", shape=[1, 4]).contents.int64_contents.extend([1, 2, 3, 4])
try:
    call("ModelInfer", bad, "ModelInferResponse")
    raise SystemExit("a wrong datatype was accepted")
except grpc.RpcError as e:
    assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e
    assert "is FP32, got INT64" in e.details(), e.details()
print("python grpc client: ok")
