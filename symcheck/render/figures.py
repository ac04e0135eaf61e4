"""The handout's figures, drawn with matplotlib (an optional extra) as vector PDFs.

Reproducible bytes: the Agg backend, a fixed style, and no creation date or
producer in the PDF metadata."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from ..errors import MissingDependency

FIGURE_NAMES = ("weights", "loss")
LABELS = {"constant": "constant init", "zeros": "zero init", "random": "random init"}


def load_pyplot():
    """matplotlib's pyplot, set up for reproducible figures; ``MissingDependency`` without the extra."""
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
    plt = load_pyplot()
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


# ------------------------------------------------------------------ init-report

#: One style per scheme, so that curves that coincide (lecun_normal and xavier_normal on square
#: layers) stay visible: different line styles, markers and widths.
SCHEME_STYLES = (("-", "o", 2.8), ("--", "s", 2.2), (":", "^", 1.8), ("-.", "x", 1.6), ((0, (5, 1, 1, 1)), "d", 1.4),
                 ((0, (1, 1)), "v", 1.2))
#: Relative variances beyond these are off the scale (the text below the plots gives their factors).
SIGNAL_CLIP = (1e-4, 1e4)


def _scheme_label(outcome) -> str:
    spread = f"std {outcome.std:.3g}" + (f", bound {outcome.bound:.3g}" if outcome.bound is not None else "")
    return f"{outcome.scheme} ({spread})"


def draw_signal_report(report, path, scheme_outcomes) -> None:
    """The report as one stand-alone figure: per activation, the variances relative to their
    starting layer (clipped), the saturated fraction, a legend with each scheme's std or bound
    (``scheme_outcomes``, ``initialization.signal.outcomes``), and the conclusion in words below the
    plots (``report.conclusions``)."""
    conclusions = report.conclusions
    plt = load_pyplot()
    from matplotlib.ticker import MaxNLocator

    plt.rcParams.update({"font.size": FONT_SIZE, "legend.fontsize": FONT_SIZE})
    activations = list(dict.fromkeys(run.activation for run in report.runs))
    rows = (("activation_variance", "Var(h_i) / Var(h_1)"), ("gradient_variance", "Var(dL/dz_i) / Var(dL/dz_L)"),
            ("saturation", "saturated fraction"))
    columns = len(activations)
    text_lines = sum(len(textwrap.wrap(conclusions[a], 60 * columns)) + 1 for a in activations)
    height = 8.0 + 0.19 * text_lines
    figure, axes = plt.subplots(len(rows), columns, squeeze=False, figsize=(4.4 * columns, height))
    layers = np.arange(1, report.depth + 1)
    labels = {o.scheme: _scheme_label(o) for o in scheme_outcomes}
    for column, activation in enumerate(activations):
        runs = [r for r in report.runs if r.activation == activation]
        for row, (field, label) in enumerate(rows):
            ax = axes[row][column]
            for k, run in enumerate(runs):
                values = getattr(run, field)
                if values is None:
                    continue
                values = np.asarray(values, dtype=float)
                if field == "activation_variance":
                    values = values / values[0]
                elif field == "gradient_variance":
                    values = values / values[-1]  # backward starts at the last layer
                style, marker, width = SCHEME_STYLES[k % len(SCHEME_STYLES)]
                ax.plot(layers, values, linestyle=style, marker=marker, markersize=4, markevery=max(1, len(layers) // 8),
                        linewidth=width, color=f"C{k}", label=labels.get(run.scheme, run.scheme), fillstyle="none")
            if field == "saturation":
                ax.set_ylim(-0.02, 1.02)
                if all(getattr(r, field) is None for r in runs):
                    ax.text(0.5, 0.5, f"{activation} does not saturate", ha="center", transform=ax.transAxes)
            else:
                ax.set_yscale("log")
                ax.set_ylim(*SIGNAL_CLIP)
                ax.axhline(1.0, color="0.6", linewidth=0.8)
            if row == 0:
                ax.set_title(activation)
            if column == 0:
                ax.set_ylabel(label)
            if row == len(rows) - 1:
                ax.set_xlabel("layer i")
            ax.set_xlim(1, max(2, report.depth))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are whole numbers
            ax.grid(True, alpha=0.3)
    handles, names = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.35 / height), ncol=min(3, len(names)),
                  frameon=False)
    figure.suptitle(f"Signal propagation at initialization: {report.depth} layers of width {report.width}, "
                    f"{report.samples} inputs x ~ N(0, I), biases 0, seed {report.seed}, {report.convention} "
                    f"convention", fontsize=FONT_SIZE + 1)
    caption = [f"Variances relative to layer 1 (forward) and to layer {report.depth} (backward, where the "
               f"gradient enters), axis clipped to [10⁻⁴, 10⁴]; a unit is saturated when σ′(z) is below 1% of "
               f"its peak. Below, each scheme's factor over the whole depth: forward Var(h_{report.depth}) / "
               f"Var(h_1), backward Var(dL/dz_1) / Var(dL/dz_{report.depth}) (what reaches layer 1)."]
    caption += [conclusions[activation] for activation in activations]
    wrapped = "\n\n".join(textwrap.fill(paragraph, 60 * columns) for paragraph in caption)
    text_height = (0.19 * text_lines + 0.6) / height
    figure.text(0.02, 0.01, wrapped, ha="left", va="bottom", fontsize=FONT_SIZE - 1)
    figure.tight_layout(rect=(0, text_height, 1, 1 - 0.95 / height))
    metadata = METADATA if str(path).lower().endswith(".pdf") else {"Software": None}
    figure.savefig(path, metadata=metadata)
    plt.close(figure)
