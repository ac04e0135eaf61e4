"""Measure the gap between the exact theorem and real floating point with ``symcheck.torch.TieMonitor``
(docs/scan.md, "The exact theorem and real floating point"): twins (a copied unit or channel) in a
tanh MLP and a ReLU CNN under SGD, momentum and Adam in float32 and float64 (and ``torch.compile``),
then functional ties (identity middle layer) under SGD and Adam. Several minutes on 2 cores.

    PYTHONPATH=. python benchmarks/float_ties.py
"""

import torch, torch.nn as nn, warnings
from symcheck.torch import TieMonitor, scan
warnings.simplefilter("ignore")

def twin_model(dtype, conv=False):
    torch.manual_seed(0)
    if conv:
        m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8*4*4, 10))
        lin = [m[0], m[2], m[5]]
    else:
        m = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 10))
        lin = [m[0], m[2], m[4]]
    m = m.to(dtype)
    with torch.no_grad():
        for a, b in ((lin[0], lin[1]),):
            a.weight[5] = a.weight[2]; a.bias[5] = a.bias[2]
            ch = a.weight.shape[0]
            w = b.weight.view(b.weight.shape[0], ch, -1); w[:, 5] = w[:, 2]
        # a functional-only tie would need sums; twins only here
    return m

def run(dtype, opt, steps=1000, conv=False, compiled=False):
    m = twin_model(dtype, conv)
    mon = TieMonitor(m, every=10, tolerance=1e-6)
    o = {"sgd": lambda p: torch.optim.SGD(p, lr=0.01), "adam": lambda p: torch.optim.Adam(p, lr=1e-3),
         "momentum": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9)}[opt](m.parameters())
    f = torch.compile(m) if compiled else m
    g = torch.Generator().manual_seed(1)
    shape = (32, 3, 8, 8) if conv else (32, 64)
    for t in range(1, steps + 1):
        x = torch.randn(*shape, generator=g).to(dtype); y = torch.randn(32, 10, generator=g).to(dtype)
        o.zero_grad(); loss = ((f(x) - y) ** 2).mean(); loss.backward(); o.step(); mon.step(t)
    t0 = mon.ties[0]
    return f"{str(dtype):14} {opt:8} conv={conv} compiled={compiled}: {t0.status} largest {t0.largest:.3g} first-not-bitwise {t0.first_drift_step} broke {t0.broke_step}"

for conv in (False, True):
    for dtype in (torch.float32, torch.float64):
        for opt in ("sgd", "momentum", "adam"):
            print(run(dtype, opt, conv=conv), flush=True)
try:
    print(run(torch.float32, "adam", steps=200, compiled=True))
except Exception as e:
    print("torch.compile failed:", type(e).__name__, str(e).splitlines()[0][:200])


def functional_model(dtype):
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 10)).to(dtype)
    with torch.no_grad():
        m[0].weight.copy_(m[0].weight[0].expand(128, 64)); m[0].bias.fill_(0.1)
        m[2].weight.copy_(torch.eye(128, dtype=dtype)); m[2].bias.fill_(0.0)
        m[4].weight.copy_(m[4].weight[:, :1].expand(10, 128))
    return m
for dtype in (torch.float32, torch.float64):
    for opt in ("sgd", "adam"):
        m = functional_model(dtype); mon = TieMonitor(m, every=10)
        o = torch.optim.SGD(m.parameters(), lr=0.01) if opt == "sgd" else torch.optim.Adam(m.parameters(), lr=1e-3)
        g = torch.Generator().manual_seed(1)
        for t in range(1, 1001):
            x = torch.randn(32, 64, generator=g).to(dtype); y = torch.randn(32, 10, generator=g).to(dtype)
            o.zero_grad(); ((m(x) - y) ** 2).mean().backward(); o.step(); mon.step(t)
        print(dtype, opt, [(t.layer, t.kind, t.status, f"{t.largest:.2g}", t.first_drift_step, t.broke_step) for t in mon.ties], flush=True)
