"""Typeset the plain-text formulas that the math modules write in their statements.

Lemma statements, hypotheses, optimizer rules and derivation reasons are
sentences with ASCII formulas in them ("W_1 = 1 u^T, b_1 = beta_1 1  =>  z_1
has equal entries"). ``plain_math_tex`` finds the formula runs (identifiers with
an index, Greek names, single letters, operators, numbers) and sets them in
math mode; the prose around them is escaped. The vocabulary is the project's
own, so the rules are few: ``1`` next to a letter is the ones vector, ``x``
between two quantities is the product of dimensions, ``~`` is a tilde accent.
"""

from __future__ import annotations

import re

from .texutil import tex_text

GREEK = {"alpha", "beta", "gamma", "delta", "zeta", "eta", "theta", "kappa", "sigma", "tau", "phi", "mu", "lambda"}
FUNCTIONS = {"Var": r"\operatorname{Var}", "tanh": r"\tanh", "exp": r"\exp", "log": r"\log",
             "relu": r"\operatorname{relu}", "leaky_relu": r"\operatorname{leaky\_relu}",
             "softmax": r"\operatorname{softmax}", "sigmoid": r"\operatorname{sigmoid}",
             "fan_in": r"\mathrm{fan}_{\mathrm{in}}", "fan_out": r"\mathrm{fan}_{\mathrm{out}}",
             "fan_avg": r"\mathrm{fan}_{\mathrm{avg}}"}
OPERATORS = {"<-": r"\leftarrow", "=>": r"\implies", "<=": r"\le", ">=": r"\ge", "->": r"\to", "(.)": r"\odot", "...": r"\dots",
             "..": r"\dots", "*": r"\cdot", "<": "<", ">": ">", "|": "|"}
#: Single letters that are English words in these sentences.
WORDS = {"a", "A", "I"}

_TOKEN = re.compile(r"""
    (?P<word>'s\b|i\.i\.d\.)
  | (?P<partial>d[lL]/d(?:o|[A-Za-z]+(?:_(?:\{[^}]*\}|[A-Za-z0-9]+))?))
  | (?P<ones>(?<![\d.])1(?:_[A-Za-z]|\^T)?(?![\d.e]))
  | (?P<number>\d+(?:\.\d+)?(?:e-?\d+)?)
  | (?P<ident>[A-Za-z]+\d*(?:_[A-Za-z]{2,}\b(?!\{))?~?(?:_(?:\{[^}]*\}|[A-Za-z0-9]+))?(?:\^(?:\{[^}]*\}|\([^)]*\)|[A-Za-z0-9]))?(?:'+(?![A-Za-z]))?)
  | (?P<op><-|=>|<=|>=|->|\(\.\)|\.\.\.|\.\.|[-=+*/<>|()\[\]{},.^])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE)

_TRIM = (",", ".", "-")
_OPEN, _CLOSE = ("(", "[", "{"), (")", "]", "}")


def _is_math_ident(word: str, previous: str | None, following: str | None) -> bool:
    base = re.match(r"[A-Za-z]+", word).group(0)
    if base != word and word[len(base)].isdigit():  # b1, W2: a layer index
        return len(base) == 1
    if any(c in word for c in "_^~'") or base in GREEK or word in FUNCTIONS:
        return True
    if len(word) != 1:
        return False
    if word in WORDS:  # "a" is the article unless it stands in a formula ("a = 0", "U(-a, a)", "[-a, a]")
        return previous in ("=", "<", ">", "-", "(", "[") or following in ("=", "<", ">", ")", "]")
    return True


def _ident_tex(word: str) -> str:
    if word in FUNCTIONS:
        return FUNCTIONS[word]
    match = re.fullmatch(r"([A-Za-z]+)(\d*)(?:_([A-Za-z]{2,})\b)?(~?)(?:_(\{[^}]*\}|[A-Za-z0-9]+))?(?:\^(\{[^}]*\}|\([^)]*\)|[A-Za-z0-9]))?('*)",
                         word)
    base, digits, word_sub, tilde, sub, sup, primes = match.groups()
    sub = sub or digits or None
    if word_sub:  # kappa_relu, fan_in: a word as subscript
        if f"{base}_{word_sub}" in FUNCTIONS:
            text = FUNCTIONS[f"{base}_{word_sub}"]
        else:
            sub, word_sub = rf"\mathrm{{{word_sub}}}", None
    if not word_sub:
        text = "\\" + base if base in GREEK else (base if len(base) == 1 else rf"\mathrm{{{base}}}")
    if tilde:
        text = rf"\tilde{{{text}}}"
    text += primes
    if sub:
        sub = sub[1:-1] if sub.startswith("{") else sub
        text += f"_{{{sub}}}"
    if sup:
        sup = sup[1:-1] if sup.startswith("{") else sup
        text += "^{\\top}" if sup == "T" else f"^{{{sup}}}"
    return text


def _number_tex(text: str) -> str:
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup, m.group(0)) for m in _TOKEN.finditer(text)]


def plain_math_tex(text: str) -> str:
    """The sentence with its formulas in math mode (deterministic, never raises on odd input)."""
    tokens = _tokens(str(text))
    kinds = []
    significant = [i for i, (kind, _) in enumerate(tokens) if kind != "space"]
    for position, (kind, value) in enumerate(tokens):
        if kind == "ident":
            index = significant.index(position)
            before = tokens[significant[index - 1]][1] if index > 0 else None
            after = tokens[significant[index + 1]][1] if index + 1 < len(significant) else None
            kinds.append("math" if _is_math_ident(value, before, after) else "text")
        elif kind == "partial":
            kinds.append("math")
        elif kind in ("space",):
            kinds.append("space")
        elif kind in ("number", "op", "ones"):
            kinds.append("neutral")
        else:
            kinds.append("text")
    # A formula run: from the first neutral token before a math token to the last math/neutral token.
    runs, start = [], None
    for position, kind in enumerate(kinds + ["text"]):
        if kind == "text":
            if start is not None:
                runs.append((start, position))
                start = None
            continue
        if start is None and kind != "space":
            start = position
    output = []
    cursor = 0
    for first, last in runs:
        piece = list(range(first, last))
        if not any(kinds[i] == "math" for i in piece):
            continue
        while piece and (kinds[piece[-1]] == "space" or tokens[piece[-1]][1] in _TRIM + _OPEN
                         or _unbalanced_close(tokens, piece)):
            piece.pop()
        while piece and (kinds[piece[0]] == "space" or tokens[piece[0]][1] in _TRIM + _CLOSE
                         or _unbalanced_open(tokens, piece)):
            piece.pop(0)
        if not any(kinds[i] == "math" for i in piece):
            continue
        output.append(_text(tokens[cursor:piece[0]]))
        output.append("$" + _math(tokens, piece) + "$")
        cursor = piece[-1] + 1
    output.append(_text(tokens[cursor:]))
    return "".join(output)


def _unbalanced_close(tokens, piece) -> bool:
    values = [tokens[i][1] for i in piece]
    return values[-1] in _CLOSE and sum(map(values.count, _CLOSE)) > sum(map(values.count, _OPEN))


def _unbalanced_open(tokens, piece) -> bool:
    values = [tokens[i][1] for i in piece]
    return values[0] in _OPEN and sum(map(values.count, _OPEN)) > sum(map(values.count, _CLOSE))


def _text(tokens) -> str:
    return tex_text("".join(value for _, value in tokens))


def _math(tokens, piece) -> str:
    parts = []
    significant = [i for i in piece if tokens[i][0] != "space"]
    for n, i in enumerate(significant):
        kind, value = tokens[i]
        before = tokens[significant[n - 1]] if n > 0 else None
        after = tokens[significant[n + 1]] if n + 1 < len(significant) else None
        if kind == "partial":
            tex = rf"\partial {value[1]}/\partial " + _ident_tex(value[4:])
        elif kind == "ones":
            beside = (before and before[0] in ("ident", "ones", "partial")) or (after and after[0] in ("ident", "ones"))
            if value == "1" and not beside:
                tex = "1"
            else:
                tex = r"\mathbf{1}" + (r"^{\top}" if value.endswith("^T") else (f"_{{{value[2:]}}}" if "_" in value else ""))
        elif kind == "number":
            tex = _number_tex(value)
        elif kind == "ident":
            if value == "x" and before and after and before[0] == "ident" and after[0] == "ident":
                tex = r"\times"
            else:
                tex = _ident_tex(value)
        else:
            tex = OPERATORS.get(value, {"{": r"\{", "}": r"\}", "^": "^"}.get(value, value))
            if value in ("=>", "->"):
                tex = rf"\quad{tex}\quad" if value == "=>" else tex
        parts.append(tex)
    text = ""
    for n, tex in enumerate(parts):
        # a space between letters keeps "u^T x" from fusing; none before punctuation
        if n and re.match(r"[A-Za-z\\]", tex) and re.search(r"[A-Za-z0-9}']$", text):
            text += " "
        elif n and tex not in (",", ")", "]", "(", "[", "'") and not text.endswith(("(", "[")):
            text += " "
        text += tex
    return text.replace(",", ",\\,").replace(r",\,\,", r",\,")


#: A layer quantity with a layer index, as plain_math_tex writes it: W_{i}, h_{i-1}, \delta_{K+1}, b_{2}.
_LAYERED = re.compile(r"(?<![\\\w])(W|b|h|z|g|\\delta)_\{(i|i-1|i\+1|K|K-1|K\+1|\d+)\}(\^)?")


def with_layer_notation(tex: str, notation: str) -> str:
    """plain_math_tex's W_{i} in the chosen notation: W^{[i]} for "bracket" (braced when a
    superscript follows, so W_{i}^{\\top} becomes {W^{[i]}}^{\\top}); unchanged for "subscript"."""
    if notation != "bracket":
        return tex

    def bracket(match):
        letter, layer, superscript = match.groups()
        text = f"{letter}^{{[{layer}]}}"
        return f"{{{text}}}^" if superscript else text

    return _LAYERED.sub(bracket, tex)
