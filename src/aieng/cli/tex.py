"""Render the LaTeX of lessons as readable Unicode for the terminal (the web UI uses MathML).

Covers what the lessons use: Greek letters, operators, sub/superscripts, fractions, roots, norms.
It is a reading aid, not a TeX engine: what it does not know it leaves as written.

>>> to_unicode(r"\\|x\\|_2 = \\sqrt{x_1^2 + x_2^2}")
'‖x‖₂ = √(x₁² + x₂²)'
"""

from __future__ import annotations

import re

_SYMBOLS = {
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\Delta": "Δ", r"\epsilon": "ε",
    r"\varepsilon": "ε", r"\eta": "η", r"\theta": "θ", r"\lambda": "λ", r"\Lambda": "Λ", r"\mu": "μ",
    r"\nu": "ν", r"\pi": "π", r"\rho": "ρ", r"\sigma": "σ", r"\Sigma": "Σ", r"\tau": "τ", r"\phi": "φ",
    r"\varphi": "φ", r"\psi": "ψ", r"\omega": "ω", r"\Omega": "Ω", r"\xi": "ξ", r"\kappa": "κ", r"\chi": "χ",
    r"\infty": "∞", r"\sum": "Σ", r"\prod": "Π", r"\int": "∫", r"\iint": "∬", r"\partial": "∂",
    r"\nabla": "∇", r"\cdot": "·", r"\cdots": "⋯", r"\ldots": "…", r"\dots": "…", r"\times": "×",
    r"\le": "≤", r"\leq": "≤", r"\ge": "≥", r"\geq": "≥", r"\ne": "≠", r"\neq": "≠", r"\approx": "≈",
    r"\to": "→", r"\rightarrow": "→", r"\Rightarrow": "⇒", r"\iff": "⇔", r"\in": "∈", r"\notin": "∉",
    r"\subset": "⊂", r"\mathbb{R}": "ℝ", r"\pm": "±", r"\circ": "∘", r"\top": "ᵀ", r"\|": "‖",
    r"\lVert": "‖", r"\rVert": "‖", r"\langle": "⟨", r"\rangle": "⟩", r"\min": "min", r"\max": "max",
    r"\arg": "arg", r"\log": "log", r"\ln": "ln", r"\exp": "exp", r"\sin": "sin", r"\cos": "cos",
    r"\tan": "tan", r"\det": "det", r"\forall": "∀", r"\exists": "∃", r"\sim": "∼", r"\propto": "∝",
    r"\quad": "  ", r"\qquad": "    ", r"\,": " ", r"\;": " ", r"\!": "", r"\{": "{", r"\}": "}",
    r"\mid": "|", r"\hat": "", r"\bar": "", r"\tilde": "",
}
_SYMBOLS.update({
    r"\star": "⋆", r"\ast": "∗", r"\leftarrow": "←", r"\gets": "←", r"\mapsto": "↦", r"\ell": "ℓ", r"\zeta": "ζ",
    r"\Phi": "Φ", r"\Psi": "Ψ", r"\Gamma": "Γ", r"\Theta": "Θ", r"\Pi": "Π", r"\upsilon": "υ", r"\iota": "ι",
    r"\arccos": "arccos", r"\arcsin": "arcsin", r"\arctan": "arctan", r"\tanh": "tanh", r"\sinh": "sinh",
    r"\cosh": "cosh", r"\argmin": "argmin", r"\argmax": "argmax", r"\lim": "lim", r"\sup": "sup", r"\inf": "inf",
    r"\Longleftrightarrow": "⟺", r"\Longrightarrow": "⟹", r"\Leftrightarrow": "⇔", r"\implies": "⟹",
    r"\lesssim": "≲", r"\gtrsim": "≳", r"\ll": "≪", r"\gg": "≫", r"\mp": "∓", r"\lvert": "|", r"\rvert": "|",
    r"\vert": "|", r"\Vert": "‖", r"\equiv": "≡", r"\cap": "∩", r"\cup": "∪", r"\emptyset": "∅",
    r"\perp": "⊥", r"\parallel": "∥", r"\bullet": "•", r"\prime": "′", r"\cdotp": "·", r"\colon": ":",
    r"\displaystyle": "", r"\textstyle": "", r"\nolimits": "", r"\limits": "", r"\max": "max", r"\min": "min",
    r"\\": "; ", r"\ ": " ",
})
_SUPER = dict(zip("0123456789+-=()nixkTtpaeh", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱˣᵏᵀᵗᵖᵃᵉʰ", strict=True))
_SUB = dict(zip("0123456789+-=()aeijknmptxhlsr", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₘₚₜₓₕₗₛᵣ", strict=True))
_BLACKBOARD = {"R": "ℝ", "E": "𝔼", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ"}
_ONE_ARG_KEEP = {"text", "mathrm", "mathbf", "mathit", "operatorname", "boldsymbol", "mathcal", "vec", "hat",
                 "bar", "tilde", "overline", "widehat", "widetilde", "textbf", "emph", "mathsf", "underbrace",
                 "overbrace", "dot", "ddot", "left", "right"}
_FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(c in table or c in table.values() for c in text):  # \top is already ᵀ
        return "".join(table.get(c, c) for c in text)
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def _group(tex: str, i: int) -> tuple[str, int]:
    """The argument starting at tex[i] (a {braced group} or one token) as raw TeX, and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth, j = 0, i
        while j < len(tex):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1 : j], j + 1
            j += 1
        return tex[i + 1 :], len(tex)
    if tex[i] == "\\":
        m = re.match(r"\\([a-zA-Z]+|.)", tex[i:])
        assert m is not None
        return m.group(0), i + len(m.group(0))
    return tex[i], i + 1


def _wrap(text: str) -> str:
    """Parenthesise a fraction's part unless it is a single symbol or number."""
    return text if re.fullmatch(r"[\w.′]+|√?\(.*\)", text) and text.count("(") <= 1 else f"({text})"


def _environment(name: str, body: str) -> str:
    rows = [r.strip() for r in re.split(r"\\\\", body) if r.strip()]
    cells = [[_convert(c.strip()) for c in row.split("&")] for row in rows]
    if name.endswith("matrix"):
        return "[" + "; ".join(" ".join(row) for row in cells) + "]"
    return "; ".join(" ".join(row) for row in cells)


def _convert(tex: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = re.match(r"\\([a-zA-Z]+|.)", tex[i:])
            assert m is not None
            name, i = m.group(1), i + len(m.group(0))
            if name == "begin":
                env, i = _group(tex, i)
                close = tex.find(f"\\end{{{env}}}", i)
                close = len(tex) if close < 0 else close
                body = re.sub(r"^\{[^{}]*\}", "", tex[i:close]) if env == "array" else tex[i:close]
                out.append(_environment(env, body))
                i = close + len(f"\\end{{{env}}}")
            elif name in _FRACTIONS:
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                top, bottom = _convert(top), _convert(bottom)
                simple = _wrap(top) == top and _wrap(bottom) == bottom
                out.append(f"({top}/{bottom})" if simple else f"{_wrap(top)}/{_wrap(bottom)}")
            elif name == "sqrt":
                index = ""
                if tex[i : i + 1] == "[":
                    close = tex.index("]", i)
                    index, i = _script(_convert(tex[i + 1 : close]), _SUPER, "^"), close + 1
                arg, i = _group(tex, i)
                inner = _convert(arg)
                bare = re.fullmatch(r"\w", inner) or (inner.startswith("(") and _wrap(inner) == inner)
                out.append(f"{index}√{inner}" if bare else f"{index}√({inner})")
            elif name == "binom":
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(f"C({_convert(top)}, {_convert(bottom)})")
            elif name == "mathbb":
                arg, i = _group(tex, i)
                out.append("".join(_BLACKBOARD.get(ch, ch) for ch in arg))
            elif name in ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"):
                continue  # sizing: the delimiter that follows is kept
            elif name in ("underbrace", "overbrace"):
                arg, i = _group(tex, i)
                out.append(_convert(arg))
                if tex[i : i + 1] in ("_", "^"):
                    label, i = _group(tex, i + 1)
                    out.append(f" [{_convert(label)}]")
            elif name in _ONE_ARG_KEEP:
                arg, i = _group(tex, i)
                out.append(_convert(arg))
            elif name.startswith("xrightarrow"):
                arg, i = _group(tex, i)
                out.append(f" →[{_convert(arg)}] ")
            elif f"\\{name}" in _SYMBOLS:
                symbol = _SYMBOLS[f"\\{name}"]
                if symbol.isalpha() and len(symbol) > 1 and tex[i : i + 1] == "\\":
                    symbol += " "  # an operator name before another command: \cos\theta -> "cos θ"
                out.append(symbol)
            else:
                out.append(name)  # unknown command: its name reads better than a backslash
        elif c in "^_":
            arg, i = _group(tex, i + 1)
            out.append(_script(_convert(arg), _SUPER if c == "^" else _SUB, c))
        elif c == "{":
            arg, i = _group(tex, i)
            out.append(_convert(arg))
        elif c == "}":
            i += 1
        elif c == "&":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def to_unicode(tex: str) -> str:
    """Convert one LaTeX math expression to Unicode text."""
    return re.sub(r" {2,}", "  ", _convert(tex)).strip()


def lesson_for_terminal(markdown: str) -> str:
    """Replace `$...$` with inline Unicode and `$$...$$` with an indented block of its own."""

    def replace(match: re.Match[str]) -> str:
        if match[1] is not None:
            return "\n\n    " + to_unicode(" ".join(match[1].split())) + "\n\n"
        return to_unicode(match[2])

    parts = re.split(r"(```.*?```|`[^`]*`)", markdown, flags=re.DOTALL)  # leave code alone
    return "".join(p if p.startswith("`") else _MATH.sub(replace, p) for p in parts)
