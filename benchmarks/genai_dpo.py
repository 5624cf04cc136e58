"""DPO's effect, measured: a tiny GPT is SFT-trained on a generated task, then aligned with DPO on preference
pairs, and compared with its SFT self (the reference) before and after.

The task (char-level, vocabulary a-f > . !): a prompt of 4 random letters, '>', an answer of 3 random letters
and a final mark. In the SFT data the mark is '.' a quarter of the time and '!' otherwise. A preference pair
shares prompt and letters; the chosen answer ends with '.', the rejected one with '!'. The rule that judges a
sampled answer: does it end with '.'? A deliberately simple preference, so that the effect shows in seconds
on a CPU; nothing in the method depends on it.

Measured on held-out data, before DPO (policy = SFT model) and after:
- reward margin: mean over 1000 held-out pairs of beta [(log pi(y_w) - log pi_ref(y_w)) - (log pi(y_l) -
  log pi_ref(y_l))], the implicit reward margin (0 before, by construction), and the fraction of pairs with a
  positive margin (pair accuracy);
- rule rate: the fraction of sampled answers (temperature 1) to 1000 fresh prompts that end with '.', and
  the fraction that are malformed: not three letters and a mark. DPO only says "'.' rather than '!' here";
  the letters of a pair are identical, so their gradients cancel and nothing holds them in place, and the
  probability taken from '!' may flow to tokens and positions no pair ever showed;
- win rate against the SFT model: on each prompt one answer from each model, 1 if only the policy's follows
  the rule, 1/2 on a tie (0.5 = no change);
- the same with an SFT term on the chosen answers (loss + w * their NLL per token, `--nll-weight`), which
  keeps the chosen answers likely and so stops the drift into malformed answers;
- KL(policy || SFT): the Monte-Carlo mean of log pi(y|x) - log pi_ref(y|x) over the policy's own samples, in
  nats per answer: how far DPO moved the model (the quantity RLHF's penalty keeps small).

    python benchmarks/genai_dpo.py            # 3 seeds, beta in {0.1, 0.5}, ~1 minute on 2 busy cores
    python benchmarks/genai_dpo.py --quick    # 1 seed, beta 0.1
    python benchmarks/genai_dpo.py --full     # 5 seeds, beta in {0.05, 0.1, 0.5}, 200 steps, ~10 minutes
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from rich.console import Console
from rich.table import Table

from aieng.lib.genai.gpt import GPT
from aieng.lib.genai.preference import implicit_reward, sequence_logprobs, train_dpo, win_rate

LETTERS, SEP, DOT, BANG = 6, 6, 7, 8
VOCAB, PROMPT, ANSWER = 9, 4, 3
LENGTH = PROMPT + 1 + ANSWER + 1


def task(n: int, generator: torch.Generator, p_dot: float) -> torch.Tensor:
    """n sequences: 4 prompt letters, '>', 3 answer letters, then '.' (probability p_dot) or '!'."""
    seqs = torch.randint(LETTERS, (n, LENGTH), generator=generator)
    seqs[:, PROMPT] = SEP
    seqs[:, -1] = torch.where(torch.rand(n, generator=generator) < p_dot, torch.tensor(DOT), torch.tensor(BANG))
    return seqs


def response_mask(n: int) -> torch.Tensor:
    mask = torch.zeros(n, LENGTH, dtype=torch.bool)
    mask[:, PROMPT + 1:] = True
    return mask


def pairs(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    chosen = task(n, generator, 1.0)
    rejected = chosen.clone()
    rejected[:, -1] = BANG
    return chosen, rejected


def batches(batch_size: int, seed: int) -> Iterator[tuple[torch.Tensor, ...]]:
    generator = torch.Generator().manual_seed(seed)
    mask = response_mask(batch_size)
    while True:
        chosen, rejected = pairs(batch_size, generator)
        yield chosen, rejected, mask, mask


def train_sft(seed: int, steps: int) -> GPT:
    """A 2-layer, 32-d GPT trained on the task's answers (prompt tokens masked out of the loss)."""
    torch.manual_seed(seed)
    model = GPT(vocab_size=VOCAB, block_size=LENGTH, n_layer=2, n_head=2, n_embd=32)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        seqs = task(64, generator, 0.25)
        targets = seqs[:, 1:].clone()
        targets[:, :PROMPT] = -100
        loss = F.cross_entropy(model(seqs[:, :-1]).reshape(-1, VOCAB), targets.reshape(-1), ignore_index=-100)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@torch.no_grad()
def measure(policy: GPT, reference: GPT, beta: float, n: int, seed: int) -> dict[str, float]:
    policy.eval()
    chosen, rejected = pairs(n, torch.Generator().manual_seed(10_000 + seed))
    mask = response_mask(n)
    margin = (implicit_reward(sequence_logprobs(policy, chosen, mask), sequence_logprobs(reference, chosen, mask),
                              beta)
              - implicit_reward(sequence_logprobs(policy, rejected, mask),
                                sequence_logprobs(reference, rejected, mask), beta))
    prompts = task(n, torch.Generator().manual_seed(20_000 + seed), 0.0)[:, :PROMPT + 1]
    mine = policy.generate(prompts, ANSWER + 1, temperature=1.0, generator=torch.Generator().manual_seed(seed))
    base = reference.generate(prompts, ANSWER + 1, temperature=1.0,
                              generator=torch.Generator().manual_seed(seed + 1))
    mine_ok, base_ok = (mine[:, -1] == DOT).double(), (base[:, -1] == DOT).double()
    letters_ok = (mine[:, PROMPT + 1:-1] < LETTERS).all(dim=1)
    invalid = (~letters_ok | ((mine[:, -1] != DOT) & (mine[:, -1] != BANG))).double()
    kl = (sequence_logprobs(policy, mine, mask) - sequence_logprobs(reference, mine, mask)).mean()
    return {"margin": margin.mean().item(), "pair_acc": (margin > 0).double().mean().item(),
            "rate": mine_ok.mean().item(), "invalid": invalid.mean().item(), "ref_rate": base_ok.mean().item(),
            "win": win_rate(mine_ok.numpy(), base_ok.numpy()), "kl": kl.item()}


def run(seed: int, beta: float, sft_steps: int, dpo_steps: int, lr: float, n_eval: int,
        nll_weight: float = 0.0) -> tuple[dict, dict]:
    reference = train_sft(seed, sft_steps)
    policy = copy.deepcopy(reference)
    before = measure(policy, reference, beta, n_eval, seed)
    train_dpo(policy, reference, batches(32, seed + 1), dpo_steps, beta=beta, lr=lr, nll_weight=nll_weight)
    return before, measure(policy, reference, beta, n_eval, seed)


def summary(values: list[float], digits: int = 3) -> str:
    mean = statistics.fmean(values)
    if len(values) == 1:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="1 seed, beta 0.1")
    size.add_argument("--full", action="store_true", help="5 seeds, beta in {0.05, 0.1, 0.5}, longer training")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--nll-weight", type=float, default=1.0,
                        help="also run DPO plus this multiple of the chosen answers' NLL per token (0: skip)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    seeds, betas, sft_steps, dpo_steps, n_eval = [0, 1, 2], [0.1, 0.5], 300, 100, 1000
    if args.quick:
        seeds, betas, sft_steps, dpo_steps, n_eval = [0], [0.1], 200, 60, 500
    elif args.full:
        seeds, betas, sft_steps, dpo_steps, n_eval = [0, 1, 2, 3, 4], [0.05, 0.1, 0.5], 500, 200, 2000
    console = Console() if sys.stdout.isatty() else Console(width=140)  # a file or pipe: no wrapping
    table = Table(title=f"DPO on a tiny GPT ('.'-ending answers preferred): {len(seeds)} seed(s), {dpo_steps} "
                        f"DPO steps (Adam lr {args.lr}, 32 pairs/step), {n_eval} held-out pairs and prompts")
    for column in ("beta", "model", "reward margin", "pair accuracy", "ends with '.'", "malformed",
                   "win rate vs SFT", "KL(policy || SFT), nats"):
        table.add_column(column, justify="right")
    start = time.perf_counter()
    keys = ("margin", "pair_acc", "rate", "invalid", "win", "kl")
    for beta in betas:
        results = [run(seed, beta, sft_steps, dpo_steps, args.lr, n_eval) for seed in seeds]
        for label, index in (("SFT", 0), ("DPO", 1)):
            rows = [r[index] for r in results]
            table.add_row(f"{beta:g}", label, *(summary([r[key] for r in rows]) for key in keys))
        if args.nll_weight > 0:
            anchored = [run(seed, beta, sft_steps, dpo_steps, args.lr, n_eval, args.nll_weight)[1] for seed in seeds]
            table.add_row(f"{beta:g}", f"DPO + {args.nll_weight:g} NLL", *(summary([r[key] for r in anchored])
                                                                         for key in keys))
        table.add_section()
    console.print(table)
    console.print(f"SFT: 2 layers, 32-d, {sft_steps} steps; the SFT model's own rate of '.' answers is "
                  f"{summary([r[0]['ref_rate'] for r in results])}. Mean ± standard deviation over seeds. "
                  f"{time.perf_counter() - start:.0f} s.")


if __name__ == "__main__":
    main()
