"""The handout's figures, drawn with matplotlib (an optional extra) as vector PDFs.

Reproducible bytes: the Agg backend, a fixed style, and no creation date or
producer in the PDF metadata."""

from __future__ import annotations

from pathlib import Path

from ..errors import MissingDependency

FIGURE_NAMES = ("weights", "loss")
LABELS = {"constant": "constant init", "zeros": "zero init", "random": "random init"}


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingDependency(
            "figures need matplotlib: python -m pip install -e \".[handout]\" (or pip install matplotlib)"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcdefaults()
    plt.rcParams.update({"svg.hashsalt": "symcheck", "pdf.fonttype": 42, "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


METADATA = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}


#: Figure sizes in inches at the width they are printed (\textwidth of A4 with 2.2 cm margins is
#: 6.5 in), so a 10 pt figure font is printed at 10 pt, next to 11 pt body text.
TEXT_WIDTH = 6.5
FONT_SIZE = 10
UNIT_STYLES = ("-", "--")  # hidden unit 1 solid, unit 2 dashed: tied units show as one dashed-over line
LOSS_STYLES = {"constant": ("-", "C0"), "zeros": ("--", "C1"), "random": (":", "C2")}


def draw_figures(handout, directory: Path, stem: str) -> dict[str, Path]:
    """Write ``<stem>-weights.pdf`` and ``<stem>-loss.pdf``; return the paths by name."""
    plt = _pyplot()
    plt.rcParams.update({"font.size": FONT_SIZE, "legend.fontsize": FONT_SIZE})
    runs = {run.label: run for run in handout.runs}
    paths = {name: Path(directory) / f"{stem}-{name}.pdf" for name in FIGURE_NAMES}

    figure, axes = plt.subplots(1, 3, figsize=(TEXT_WIDTH, 2.9))
    difference = axes[0]
    for label in ("constant", "random"):
        style, color = LOSS_STYLES[label]
        difference.plot(runs[label].row_difference, linestyle=style, color=color, linewidth=1.6,
                        label=LABELS[label])
    difference.set_title("units 1 and 2: row difference", fontsize=FONT_SIZE)
    difference.set_xlabel("step")
    difference.legend(frameon=False, loc="best")
    for axis, label in zip(axes[1:], ("constant", "random")):
        run = runs[label]
        for unit in range(2):
            axis.plot(run.biases[:, unit], linestyle=UNIT_STYLES[unit], color="C3", linewidth=1.6,
                      label=f"bias, unit {unit + 1}")
            axis.plot(run.outgoing[:, unit], linestyle=UNIT_STYLES[unit], color="C4", linewidth=1.6,
                      label=f"out-weight, unit {unit + 1}")
        axis.set_title(LABELS[label], fontsize=FONT_SIZE)
        axis.set_xlabel("step")
    handles, labels = axes[2].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=4, frameon=False, fontsize=FONT_SIZE - 1,
                  handlelength=2.2, columnspacing=1.0)
    figure.tight_layout(rect=(0, 0.1, 1, 1))  # room for the shared legend below the panels
    figure.savefig(paths["weights"], format="pdf", metadata=METADATA)
    plt.close(figure)

    figure, axis = plt.subplots(figsize=(0.62 * TEXT_WIDTH, 2.4))
    for label in ("constant", "zeros", "random"):
        style, color = LOSS_STYLES[label]
        axis.plot(runs[label].losses, label=LABELS[label], linestyle=style, color=color, linewidth=1.8)
    axis.set_xlabel("gradient-descent step")
    axis.set_ylabel("mean training loss")
    axis.set_yscale("log")
    axis.legend(frameon=False)
    figure.tight_layout()
    figure.savefig(paths["loss"], format="pdf", metadata=METADATA)
    plt.close(figure)
    return paths
