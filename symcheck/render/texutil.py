"""Small LaTeX helpers shared by the printers: escaping prose, the document wrapper."""

from __future__ import annotations

import re

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "⊙": r"$\odot$",
    "η": r"$\eta$",
    "σ": r"$\sigma$",
    "δ": r"$\delta$",
    "β": r"$\beta$",
    "θ": r"$\theta$",
    "→": r"$\to$",
    "≈": r"$\approx$",
    "—": "---",
    "–": "--",
}


def tex_text(text: str) -> str:
    """Plain text (notes, method names) made safe to typeset."""
    return "".join(_ESCAPES.get(char, char) for char in str(text))


def sci(value: float) -> str:
    """1.2e-16 -> $1.2 \\times 10^{-16}$ (deterministic: fixed format)."""
    if value == 0:
        return "$0$"
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"${mantissa} \times 10^{{{int(exponent)}}}$"


#: A verdict or a claim's status, as typeset.
STATUS_TEX = {"proved": "proved", "refuted": r"\textbf{refuted}", "undecided": r"\emph{undecided}",
              "holds": "holds", "fails": r"\textbf{fails}"}


def check_status(check) -> str:
    """'proved: 3 identities (2 by syntactic identity; ...)' for any check with status,
    identities and methods."""
    count = f"{check.identities} identit{'y' if check.identities == 1 else 'ies'}"
    methods = "; ".join(f"{n} by {tex_text(method)}" for method, n in check.methods) or "none needed"
    kernels = "".join(f"; {tex_text(k.describe())}" for k in getattr(check, "kernels", ()))
    return f"{STATUS_TEX[check.status]}: {count} ({methods}{kernels})"


PREAMBLE = r"""\documentclass[11pt]{article}
\ifdefined\pdfinfoomitdate
  \pdfinfoomitdate=1
  \pdftrailerid{}
  \pdfsuppressptexinfo=-1
\fi
\usepackage[%PAPER%margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\usepackage{booktabs,array}
\usepackage{graphicx}
\usepackage[hidelinks,pdfcreator={symcheck},pdfproducer={symcheck}]{hyperref}
\setcounter{MaxMatrixCols}{20}
\allowdisplaybreaks
"""


#: the paper sizes a handout can be set on (``symcheck handout --paper``)
PAPERS = ("a4", "letter")


def approx(value: float) -> str:
    """A measured (float) value in math mode with at most 4 significant digits and a ≈ sign,
    or an exact 0 (deterministic fixed format; no 20-digit decimals, no e-notation)."""
    if value == 0:
        return "$0$"
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return rf"$\approx {text}$"


def standalone(body: str, title: str, definitions: str = "", paper: str | None = None) -> str:
    """A complete document around a fragment; deterministic (no date). ``definitions`` go
    into the preamble; ``paper`` is a4 or letter (default: the engine's)."""
    preamble = PREAMBLE.replace("%PAPER%", f"{paper}paper," if paper else "")
    return (preamble + definitions + "\\title{" + title + "}\n\\author{}\n\\date{}\n\\begin{document}\n\\maketitle\n"
            + body + "\\end{document}\n")


#: A decimal with more digits than a reader needs (a witness value printed from 15-60 digits).
_LONG_DECIMAL = re.compile(r"(?<![\w.^])-?\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])")


def short_number(match_text: str, tex: bool) -> tuple[str, bool]:
    """'0.0266440356670329' -> ('0.02664', True: rounded); '3.14673953049789e-5' -> '3.147·10⁻⁵' (or
    LaTeX); a short exact decimal such as '-0.0500000000000000' keeps its value ('-0.05', False)."""
    value = float(match_text)
    text = f"{value:.4g}"
    rounded = float(text) != value
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = (rf"{mantissa} \times 10^{{{int(exponent)}}}" if tex
                else f"{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPTS)}")
    return text, rounded


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def shorten_numbers(text: str, tex: bool = False, inline: bool = False) -> tuple[str, bool]:
    """Every long decimal in a value string rounded to 4 significant digits; also whether any was
    rounded, so the caller writes ≈ instead of = (the JSON output keeps every digit). ``inline``:
    each number in its own math mode, for numbers inside prose."""
    rounded = False

    def one(match):
        nonlocal rounded
        short, was_rounded = short_number(match.group(0), tex)
        rounded = rounded or was_rounded
        return f"${short}$" if inline else short

    return _LONG_DECIMAL.sub(one, text), rounded


def network_tex(spec) -> str:
    """"MLP 2--2--1 (input width 2, 1 hidden layer, output width 1)"."""
    widths = "--".join(map(str, spec.widths))
    layers = spec.depth
    return (rf"MLP {widths} (input width {spec.input_width}, {layers} hidden "
            rf"layer{'s' if layers != 1 else ''}, output width {spec.output_width})")
