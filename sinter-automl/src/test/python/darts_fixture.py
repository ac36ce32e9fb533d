#!/usr/bin/python3
"""Generates src/test/resources/automl/darts.json: DARTS' mixed operation, search network and a derived network computed
by PyTorch (Debian's python3-torch), for DartsNumericsTest to compare Sinter's org.sinter.automl.nas against.

The modules below mirror Sinter's layer by layer and name by name (so a PyTorch state dict loads into Sinter's modules
as is): Operation.build, MixedOperation, CellStack, SearchNetwork and DerivedNetwork. Everything runs in float64 in
training mode (batch norms use batch statistics and update their running ones); the fixture stores the inputs, every
weight and buffer, the outputs, the gradients of a cross-entropy loss with respect to the inputs, alpha and every weight,
and the running statistics after the step.

Run: /usr/bin/python3 sinter-automl/src/test/python/darts_fixture.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "max_pool_3x3", "avg_pool_3x3", "sep_conv_3x3", "dil_conv_3x3"]


class Zero(nn.Module):
    def forward(self, x):
        return x.mul(0.0)


def norm(c, affine):
    return nn.BatchNorm2d(c, eps=1e-5, momentum=0.1, affine=affine, track_running_stats=True)


def build(op, c, affine):
    if op == "none":
        return Zero()
    if op == "skip_connect":
        return nn.Identity()
    if op == "max_pool_3x3":
        return nn.Sequential(nn.MaxPool2d(3, 1, 1), norm(c, affine))
    if op == "avg_pool_3x3":
        return nn.Sequential(nn.AvgPool2d(3, 1, 1, count_include_pad=False), norm(c, affine))
    dilation = 1 if op == "sep_conv_3x3" else 2
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, 3, 1, dilation, dilation, groups=c, bias=False),
                         nn.Conv2d(c, c, 1, bias=False), norm(c, affine))


class MixedOperation(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ops = nn.ModuleList([build(o, c, False) for o in OPS])

    def forward(self, x, weights):
        return sum(w * op(x) for w, op, name in zip(weights, self.ops, OPS) if name != "none")


def edge_index(node, inp):
    return node * (node + 3) // 2 + inp


class CellStack(nn.Module):
    def __init__(self, channels, cells, nodes, classes):
        super().__init__()
        self.channels, self.cells_n, self.nodes = channels, cells, nodes
        self.reduction = cells // 2
        stem = 2 * channels
        self.stem = nn.Sequential(nn.Conv2d(1, stem, 3, 1, 1), nn.BatchNorm2d(stem), nn.MaxPool2d(2))
        self.preprocess0, self.preprocess1 = nn.ModuleList(), nn.ModuleList()
        previous, current = stem, stem
        for i in range(cells):
            c = self.cell_channels(i)
            self.preprocess0.append(self.relu_conv_bn(previous, c))
            self.preprocess1.append(self.relu_conv_bn(current, c))
            previous, current = current, nodes * c
        self.classifier = nn.Linear(current, classes)

    def cell_channels(self, i):
        return 2 * self.channels if i >= self.reduction else self.channels

    @staticmethod
    def relu_conv_bn(i, o):
        return nn.Sequential(nn.ReLU(), nn.Conv2d(i, o, 1, bias=False), nn.BatchNorm2d(o))

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for i in range(self.cells_n):
            if i == self.reduction:
                s0, s1 = F.max_pool2d(s0, 2), F.max_pool2d(s1, 2)
            out = self.cell(i, self.preprocess0[i](s0), self.preprocess1[i](s1))
            s0, s1 = s1, out
        return self.classifier(s1.mean(dim=(2, 3)))


class SearchNetwork(CellStack):
    def __init__(self, channels, cells, nodes, classes):
        super().__init__(channels, cells, nodes, classes)
        edges = nodes * (nodes + 3) // 2
        self.cells = nn.ModuleList([nn.ModuleList([MixedOperation(self.cell_channels(i)) for _ in range(edges)])
                                    for i in range(cells)])
        self.alpha = (1e-3 * torch.randn(edges, len(OPS), dtype=torch.float64)).requires_grad_()

    def cell(self, index, s0, s1):
        weights = F.softmax(self.alpha, dim=1)
        states = [s0, s1]
        for j in range(self.nodes):
            states.append(sum(self.cells[index][edge_index(j, i)](states[i], weights[edge_index(j, i)]) for i in range(j + 2)))
        return torch.cat(states[2:], dim=1)


class DerivedNetwork(CellStack):
    def __init__(self, genotype, channels, cells, classes):
        super().__init__(channels, cells, len(genotype), classes)
        self.genotype = genotype
        self.cells = nn.ModuleList([nn.ModuleList([build(op, self.cell_channels(i), True) for node in genotype for op, _ in node])
                                    for i in range(cells)])

    def cell(self, index, s0, s1):
        states, k = [s0, s1], 0
        for node in self.genotype:
            total = 0
            for _, inp in node:
                total = total + self.cells[index][k](states[inp])
                k += 1
            states.append(total)
        return torch.cat(states[2:], dim=1)


def randomise(module):
    """Non-trivial batch-norm buffers and affine parameters, so that loading and updating them is tested."""
    with torch.no_grad():
        for name, b in module.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn_like(b))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand_like(b))
        for name, p in module.named_parameters():
            if name.endswith(".weight") and p.dim() == 1:
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif name.endswith(".bias") and p.dim() == 1 and "classifier" not in name:
                p.copy_(0.1 * torch.randn_like(p))


def flat(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def state(module):
    return {k: flat(v) for k, v in module.state_dict().items()}


def grads(module):
    return {k: flat(p.grad) for k, p in module.named_parameters() if p.grad is not None}


def mixed_case():
    c = 3
    op = MixedOperation(c).double()
    randomise(op)
    before = state(op)
    x = torch.randn(2, c, 5, 5, dtype=torch.float64, requires_grad=True)
    alpha = torch.randn(len(OPS), dtype=torch.float64, requires_grad=True)
    g = torch.randn(2, c, 5, 5, dtype=torch.float64)
    y = op(x, F.softmax(alpha, dim=0))
    (y * g).sum().backward()
    return {"state": before, "x": flat(x), "alpha": flat(alpha), "upstream": flat(g), "y": flat(y),
            "grad_x": flat(x.grad), "grad_alpha": flat(alpha.grad), "grads": grads(op), "state_after": state(op)}


def network_case(net, with_alpha):
    net.double()
    randomise(net)
    before = state(net)
    x = torch.randn(3, 1, 28, 28, dtype=torch.float64, requires_grad=True)
    target = torch.tensor([1, 7, 3])
    logits = net(x)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    out = {"state": before, "x": flat(x), "target": target.tolist(), "logits": flat(logits), "loss": loss.item(),
           "grad_x": flat(x.grad), "grads": grads(net), "state_after": state(net)}
    if with_alpha:
        out["alpha"] = flat(net.alpha)
        out["grad_alpha"] = flat(net.alpha.grad)
    return out


def main():
    torch.manual_seed(17)
    fixture = {"torch": torch.__version__, "ops": OPS, "mixed": mixed_case()}
    # channels 2, 2 cells (the second after the fixed reduction), 2 intermediate nodes: 5 edges per cell.
    fixture["search"] = {"channels": 2, "cells": 2, "nodes": 2, "classes": 10, **network_case(SearchNetwork(2, 2, 2, 10), True)}
    genotype = [[["sep_conv_3x3", 0], ["max_pool_3x3", 1]], [["dil_conv_3x3", 1], ["avg_pool_3x3", 2]],
                [["skip_connect", 0], ["sep_conv_3x3", 3]]]
    fixture["derived"] = {"channels": 2, "cells": 2, "classes": 10, "genotype": genotype,
                          **network_case(DerivedNetwork(genotype, 2, 2, 10), False)}
    out = os.path.join(os.path.dirname(__file__), "..", "resources", "automl", "darts.json")
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(fixture, f)
    os.replace(tmp, out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
