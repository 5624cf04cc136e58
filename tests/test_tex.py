"""Terminal rendering of lesson math as Unicode."""

from aieng.cli.tex import lesson_for_terminal, to_unicode


def test_common_notation() -> None:
    assert to_unicode(r"\|x\|_2 = \sqrt{x_1^2 + x_2^2}") == "‖x‖₂ = √(x₁² + x₂²)"
    assert to_unicode(r"x \in \mathbb{R}^n, \lambda \to \infty") == "x ∈ ℝⁿ, λ → ∞"
    assert to_unicode(r"\frac{a}{b} \le \Big(\sum_{i=1}^{n} x_i\Big)^{1/p}") == "(a/b) ≤ (Σᵢ₌₁ⁿ xᵢ)^(1/p)"


def test_nested_arguments_matrices_and_operators() -> None:
    assert to_unicode(r"\frac{\partial f}{\partial x} = \tfrac{1}{2}h^2") == "(∂ f)/(∂ x) = (1/2)h²"
    assert to_unicode(r"\sqrt{\frac{a}{b}}") == "√(a/b)"
    assert to_unicode(r"\begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix}") == (
        "[cos θ -sin θ; sin θ cos θ]"
    )
    assert to_unicode(r"\mathbb{E}[X] = \binom{n}{k}") == "𝔼[X] = C(n, k)"


def test_lessons_keep_code_and_give_display_math_its_own_block() -> None:
    text = lesson_for_terminal("Inline $a^2$ and `$not math$`.\n\n$$\\sum_i x_i$$\n")
    assert "Inline a² and `$not math$`." in text
    assert "\n    Σᵢ xᵢ\n" in text
