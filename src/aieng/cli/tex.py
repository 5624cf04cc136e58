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
_SUPER = dict(zip("0123456789+-=()nixkTtp", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱˣᵏᵀᵗᵖ", strict=True))
_SUB = dict(zip("0123456789+-=()aeijknmptx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₘₚₜₓ", strict=True))
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.DOTALL)


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def to_unicode(tex: str) -> str:
    """Convert one LaTeX math expression to Unicode text."""
    out = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b\s*", "", tex)
    out = re.sub(r"\\(?:text|mathrm|mathbf|mathit|operatorname|boldsymbol)\{([^{}]*)\}", r"\1", out)
    for _ in range(3):  # nested fractions and roots, innermost first
        out = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: f"({m[1]})/({m[2]})", out)
        out = re.sub(r"\\sqrt\{([^{}]*)\}", r"√(\1)", out)
    for command in sorted(_SYMBOLS, key=len, reverse=True):
        guard = r"(?![a-zA-Z])" if command[-1].isalpha() else ""  # \in must not eat \infty
        out = re.sub(re.escape(command) + guard, lambda _m, c=command: _SYMBOLS[c], out)
    out = re.sub(r"\^\{([^{}]*)\}", lambda m: _script(m[1], _SUPER, "^"), out)
    out = re.sub(r"\^(\w)", lambda m: _script(m[1], _SUPER, "^"), out)
    out = re.sub(r"_\{([^{}]*)\}", lambda m: _script(m[1], _SUB, "_"), out)
    out = re.sub(r"_(\w)", lambda m: _script(m[1], _SUB, "_"), out)
    out = re.sub(r"√\((\w)\)", r"√\1", out)
    return out.replace("{", "").replace("}", "").strip()


def lesson_for_terminal(markdown: str) -> str:
    """Replace `$...$` with inline Unicode and `$$...$$` with an indented block of its own."""

    def replace(match: re.Match[str]) -> str:
        if match[1] is not None:
            return "\n\n    " + to_unicode(" ".join(match[1].split())) + "\n\n"
        return to_unicode(match[2])

    parts = re.split(r"(```.*?```|`[^`]*`)", markdown, flags=re.DOTALL)  # leave code alone
    return "".join(p if p.startswith("`") else _MATH.sub(replace, p) for p in parts)
