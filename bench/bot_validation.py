"""The answer bot's validation: `pharos bot-eval` on our own split of BANKING77 (all
training examples, and 10 per label with three seeds) and on the demo help center with
the Chinese and English questions of bench/data/ (written from the articles, not from
their example questions).

    .venv/bin/python bench/bot_validation.py [--quick]

BANKING77's held-out test split is never read: the split here is of its training file,
80 % to build the knowledge base and 20 % to answer, stratified by label, seeded. Prints
a table and, as its last line, one JSON object with every run's figures."""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

from harness import PROJECT_DIR, pharos_command

BANKING77 = PROJECT_DIR.parent / "shared" / "data" / "banking77" / "train.csv"
ARTICLES = PROJECT_DIR / "src" / "pharos" / "helpcenter" / "demo_content" / "articles"
DATA = Path(__file__).resolve().parent / "data"
SPLIT_SEED = 2026
TEST_SHARE = 0.2


def write_csv(path: Path, rows: list[tuple[str, str]], label_column: str = "label") -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", label_column])
        writer.writerows(rows)
    return path


def split_banking77(folder: Path) -> tuple[Path, Path]:
    by_label: dict[str, list[str]] = defaultdict(list)
    with BANKING77.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            by_label[row["category"]].append(row["text"])
    generator = random.Random(SPLIT_SEED)
    training, test = [], []
    for label in sorted(by_label):
        texts = list(by_label[label])
        generator.shuffle(texts)
        cut = round(len(texts) * TEST_SHARE)
        test += [(text, label) for text in texts[:cut]]
        training += [(text, label) for text in texts[cut:]]
    return (
        write_csv(folder / "banking77-train.csv", training, "category"),
        write_csv(folder / "banking77-test.csv", test, "category"),
    )


def demo_knowledge(folder: Path) -> Path:
    """The demo articles as the bot knows them: titles, keywords and example questions."""
    rows = []
    for path in sorted(ARTICLES.glob("*/*.toml")):
        with path.open("rb") as file:
            article = tomllib.load(file)
        for language in ("en", "zh-hans"):
            part = article[language]
            for text in [part["title"], *part.get("keywords", []), *part.get("questions", [])]:
                rows.append((text, article["slug"]))
    return write_csv(folder / "demo-knowledge.csv", rows)


def bot_eval(train: Path, test: Path, *options: str) -> dict[str, Any]:
    finished = subprocess.run(
        [str(pharos_command()), "bot-eval", "--train", str(train), "--test", str(test), *options],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    )
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one 10-per-label seed only")
    arguments = parser.parse_args()
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        train, test = split_banking77(folder)
        runs["banking77 all"] = bot_eval(train, test)
        for seed in (1,) if arguments.quick else (1, 2, 3):
            runs[f"banking77 10/label seed {seed}"] = bot_eval(
                train, test, "--per-label", "10", "--seed", str(seed)
            )
        knowledge = demo_knowledge(folder)
        runs["demo zh-hans"] = bot_eval(knowledge, DATA / "helpcenter_zh_validation.csv")
        runs["demo en"] = bot_eval(knowledge, DATA / "helpcenter_en_validation.csv")
    columns = [
        ("accuracy_at_1", "acc@1"),
        ("accuracy_at_3", "acc@3"),
        ("coverage", "coverage"),
        ("accuracy_when_answered", "acc answered"),
        ("choice_rate", "choice"),
        ("unanswerable_answered", "off-topic answered"),
        ("p50_ms", "p50 ms"),
        ("p95_ms", "p95 ms"),
        ("n_test", "n"),
    ]
    print(f"{'run':<28}" + "".join(f"{title:>19}" for _, title in columns))
    for name, figures in runs.items():
        cells = "".join(f"{_cell(figures.get(key)):>19}" for key, _ in columns)
        print(f"{name:<28}{cells}")
    sys.stdout.flush()
    print(json.dumps(runs))


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value <= 1.0:
        return f"{value * 100:.1f} %"
    return str(value)


if __name__ == "__main__":
    main()
