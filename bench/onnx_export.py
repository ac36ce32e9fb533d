"""Exports the models of the compiler's inference comparison to ONNX with PyTorch's exporter
(torch.onnx.export, opset 13), each at its benchmark batch size, into the directory given:
MLP 784-512-512-10 (b128), LeNet-5 (b64) and the Lab 1 CNN (b64) as bench/train_step.py builds them,
ResNet-18 at 3x224x224 (b1, b16), written here layer for layer as torchvision builds it
(torchvision is not packaged), and the zoo's GPT (4 blocks, d=128, 4 heads, vocabulary 96) on 64
token ids (b1, b16), as tools/fixtures/torch_gpt.py builds it (the fixture's reference model).
Weights are random: the comparison is of time, not accuracy. The models are in eval mode
(BatchNorm uses running statistics, dropout is off). Image models take float32 "x", GPT int64 "x".

    /usr/bin/python3 bench/onnx_export.py OUT_DIR
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))
from train_step import MODELS  # noqa: E402  (the same model definitions as the training comparison)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools", "fixtures"))
from torch_gpt import GPT  # noqa: E402  (the zoo's GPT in PyTorch, checked against Sinter's by gen_gpt.py)

# OnnxRuntimeBench builds the same: vocabulary, context, d_model, heads, layers.
GPT_SIZES = (96, 64, 128, 4, 4)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(y + (x if self.downsample is None else self.downsample(x)))


def resnet18(classes=1000):
    def stage(cin, cout, stride):
        return nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1))
    return nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
                         stage(64, 64, 1), stage(64, 128, 2), stage(128, 256, 2), stage(256, 512, 2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    jobs = [(name, make(), torch.randn(batch, 1, 28, 28)) for name, (make, batch) in MODELS.items()]
    jobs += [("resnet18_b1", resnet18(), torch.randn(1, 3, 224, 224)), ("resnet18_b16", resnet18(), torch.randn(16, 3, 224, 224))]
    vocab, context = GPT_SIZES[0], GPT_SIZES[1]
    jobs += [("gpt_b%d" % b, GPT(*GPT_SIZES), torch.randint(0, vocab, (b, context))) for b in (1, 16)]
    for name, model, x in jobs:
        model.eval()
        path = os.path.join(out, name + ".onnx")
        torch.onnx.export(model, x, path, opset_version=13, input_names=["x"], output_names=["y"])
        print(name, tuple(x.shape), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
