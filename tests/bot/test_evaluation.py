"""`pharos bot-eval`: a knowledge base from the training file only, every test text
answered, the figures as one JSON object; BANKING77's `category` column; --per-label;
clear errors for files it cannot use."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pharos.bot import evaluation

TRAIN = [
    ("my card has not arrived yet", "card_arrival"),
    ("when will I get my new card", "card_arrival"),
    ("still waiting for the card in the post", "card_arrival"),
    ("the card you sent never came", "card_arrival"),
    ("how do I top up with a bank transfer", "top_up"),
    ("add money to my account", "top_up"),
    ("can I load funds from my bank", "top_up"),
    ("put cash into my balance", "top_up"),
    ("my card was stolen", "lost_or_stolen_card"),
    ("I lost my card yesterday", "lost_or_stolen_card"),
    ("someone took my wallet with the card", "lost_or_stolen_card"),
    ("cannot find my card anywhere", "lost_or_stolen_card"),
]
TEST = [
    ("the new card is taking ages to be delivered", "card_arrival"),
    ("how can I add funds to my account", "top_up"),
    ("a thief has my card", "lost_or_stolen_card"),
]
FIGURES = {
    "accuracy_at_1",
    "accuracy_at_3",
    "coverage",
    "accuracy_when_answered",
    "p50_ms",
    "p95_ms",
    "n_test",
}


def write(path: Path, rows: list[tuple[str, str]], label: str = "category") -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", label])
        writer.writerows(rows)
    return path


def run(*arguments: str) -> dict[str, object]:
    output = StringIO()
    call_command("bot_eval", *arguments, stdout=output)
    lines = output.getvalue().strip().splitlines()
    assert len(lines) == 1  # one JSON object, nothing else on stdout
    figures: dict[str, object] = json.loads(lines[0])
    return figures


def test_it_answers_every_test_text_and_prints_the_figures(tmp_path: Path) -> None:
    figures = run("--train", str(write(tmp_path / "train.csv", TRAIN)),
                  "--test", str(write(tmp_path / "test.csv", TEST, "label")))  # fmt: skip
    assert figures.keys() >= FIGURES
    assert figures["n_test"] == 3 and figures["n_train"] == 12 and figures["n_labels"] == 3
    assert figures["accuracy_at_1"] == 1.0 and figures["accuracy_at_3"] == 1.0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]  # type: ignore[operator]
    assert figures["language"] == "en"


def test_labels_are_read_only_after_the_answers(tmp_path: Path) -> None:
    """Wrong labels in the test file change the score, not the answers: the answers come
    from the texts alone."""
    wrong = [(text, "top_up") for text, _ in TEST]
    train = str(write(tmp_path / "train.csv", TRAIN))
    figures = run("--train", train, "--test", str(write(tmp_path / "test.csv", wrong)))
    assert figures["accuracy_at_1"] == pytest.approx(1 / 3, abs=1e-3)


def test_per_label_limits_the_training_examples_reproducibly(tmp_path: Path) -> None:
    examples = [evaluation.Example(text, label) for text, label in TRAIN]
    first = evaluation.limit_per_label(examples, 2, seed=7)
    assert len(first) == 6 and first == evaluation.limit_per_label(examples, 2, seed=7)
    assert first != evaluation.limit_per_label(examples, 2, seed=8)
    figures = run("--train", str(write(tmp_path / "train.csv", TRAIN)),
                  "--test", str(write(tmp_path / "test.csv", TEST)), "--per-label", "2")  # fmt: skip
    assert figures["n_train"] == 6


def test_unanswerable_test_rows_count_against_answering_them(tmp_path: Path) -> None:
    test = [*TEST, ("what is the capital of australia", "none")]
    figures = run("--train", str(write(tmp_path / "train.csv", TRAIN)),
                  "--test", str(write(tmp_path / "test.csv", test)), "--language", "en")  # fmt: skip
    assert figures["n_test"] == 4 and figures["n_unanswerable"] == 1
    assert figures["unanswerable_answered"] in {0.0, 1.0}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("question,answer\nhi,there\n", "needs a text column"),
        ("text,label\n", "no rows"),
        ("text,label\n\xff\xfe\x00", "utf-8"),
    ],
)
def test_files_it_cannot_use_get_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content.encode("latin-1"))
    good = str(write(tmp_path / "train.csv", TRAIN))
    with pytest.raises(CommandError, match=message):
        run("--train", good, "--test", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        run("--train", str(tmp_path / "missing.csv"), "--test", good)


def test_the_pharos_command_spells_it_with_a_hyphen(tmp_path: Path) -> None:
    pharos = Path(sys.executable).parent / "pharos"
    finished = subprocess.run(  # noqa: S603 (our own command, our own files)
        [str(pharos), "bot-eval", "--train", str(write(tmp_path / "a.csv", TRAIN)),
         "--test", str(write(tmp_path / "b.csv", TEST))],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert json.loads(finished.stdout.strip().splitlines()[-1])["n_test"] == 3
