"""symcheck.torch: scan of a live nn.Sequential and TieMonitor in a real PyTorch training loop."""

from __future__ import annotations

import pytest

from symcheck.errors import InvalidSpec

torch = pytest.importorskip("torch", reason="needs torch (pip install symcheck[torch])")
from torch import nn  # noqa: E402

from symcheck.torch import TieMonitor, optimizer_name, scan  # noqa: E402


def _model():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2))
    with torch.no_grad():
        model[0].weight[5] = model[0].weight[2]
        model[0].bias[5] = model[0].bias[2]
        model[2].weight[:, 5] = model[2].weight[:, 2]
    return model


def _loop(model, optimizer, monitor, steps, start=1):
    generator = torch.Generator().manual_seed(1)
    for t in range(start, start + steps):
        x, y = torch.randn(16, 6, generator=generator), torch.randn(16, 2, generator=generator)
        optimizer.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        optimizer.step()
        monitor.step(t)


def test_scan_live_model_with_its_optimizer():
    model = _model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    result = scan(model, optimizer)
    assert result.verdict == "proved" and result.analysis.optimizer.name == "adam"
    assert (2, 5) in result.analysis.partition.layers[0]
    assert optimizer_name(torch.optim.Adam(model.parameters(), weight_decay=0.1)) == "adam_l2"
    assert optimizer_name(torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)) == "momentum"


def test_scan_rejects_unsupported_modules():
    with pytest.raises(InvalidSpec, match="Dropout"):
        scan(nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Linear(2, 1)))
    with pytest.raises(InvalidSpec, match="negative_slope"):
        scan(nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(0.2), nn.Linear(2, 1)))


def test_monitor_bitwise_then_drifting_then_broken():
    model = _model()
    monitor = TieMonitor(model, every=5, tolerance=1e-6)
    assert [(t.layer, t.units) for t in monitor.ties] == [(1, (2, 5))]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    _loop(model, optimizer, monitor, 50)  # float32, CPU: twins stay bitwise equal
    assert monitor.summary() == {"bitwise": 1, "drifting": 0, "broken": 0} and monitor.checks == 10
    with torch.no_grad():  # one unit in the last place: drifting, not broken
        w = model[0].weight
        w[5, 0] = torch.nextafter(w[5, 0], torch.tensor(float("inf")))
    monitor.step(55)
    assert monitor.ties[0].status == "drifting" and monitor.ties[0].first_drift_step == 55
    with torch.no_grad():
        model[0].weight[5, 0] += 0.1
    monitor.step(60)
    assert monitor.ties[0].status == "broken" and monitor.ties[0].broke_step == 60
    assert "broke at step 60" in monitor.report()


def test_monitor_sees_dropout_break_ties():
    torch.manual_seed(0)
    model = _model()
    train = nn.Sequential(model[0], nn.Dropout(0.5), *list(model)[1:])
    monitor = TieMonitor(model, every=1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    generator = torch.Generator().manual_seed(2)
    for t in range(1, 21):
        x, y = torch.randn(16, 6, generator=generator), torch.randn(16, 2, generator=generator)
        optimizer.zero_grad()
        ((train(x) - y) ** 2).mean().backward()
        optimizer.step()
        monitor.step(t)
    assert monitor.ties[0].status == "broken" and monitor.ties[0].broke_step is not None


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(6, 4), nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class _Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(6, 6), nn.Linear(6, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)) + x)


def test_scan_traces_a_module_with_fx():
    net = _Net()
    with torch.no_grad():
        net.fc1.weight[3] = net.fc1.weight[0]
        net.fc1.bias[3] = net.fc1.bias[0]
        net.fc2.weight[:, 3] = net.fc2.weight[:, 0]
    result = scan(net, torch.optim.SGD(net.parameters(), lr=0.1))
    assert result.activation == "relu" and (0, 3) in result.analysis.partition.layers[0]
    with pytest.raises(InvalidSpec, match="not a chain"):
        scan(_Residual())


def test_monitor_functional_ties_identity_middle_layer():
    """W1 with equal rows, W2 = identity, W3 with equal columns: one functional class per layer,
    no twins in layer 2; the monitor follows its block sums."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    with torch.no_grad():
        model[0].weight.copy_(model[0].weight[0].expand(4, 5))
        model[0].bias.fill_(0.1)
        model[2].weight.copy_(torch.eye(4, dtype=torch.float64))
        model[2].bias.fill_(0.2)
        model[4].weight.copy_(model[4].weight[:, :1].expand(2, 4))
    monitor = TieMonitor(model, every=1, tolerance=1e-6)
    kinds = sorted((t.layer, t.kind, t.units) for t in monitor.ties)
    assert kinds == [(1, "functional", (0, 1, 2, 3)), (2, "functional", (0, 1, 2, 3))]  # identity: no twins
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    generator = torch.Generator().manual_seed(3)
    for t in range(1, 51):
        x, y = torch.randn(8, 5, generator=generator, dtype=torch.float64), torch.randn(8, 2, dtype=torch.float64,
                                                                                      generator=generator)
        optimizer.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        optimizer.step()
        monitor.step(t)
    assert all(t.largest <= 1e-6 for t in monitor.ties)  # exact in theory; float64 keeps it within rounding
    assert "functional" in monitor.report()
