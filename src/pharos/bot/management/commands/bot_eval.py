"""`pharos bot-eval --train TRAIN.csv --test TEST.csv`: how well the answer bot answers
questions it has not seen, from a knowledge base built from the training file alone."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from pharos.bot import evaluation
from pharos.bot.embedding import Embedder, cached
from pharos.bot.matcher import MatcherParams
from pharos.bot.policy import Thresholds


class Command(BaseCommand):
    help = (
        "Build a temporary knowledge base from TRAIN (one entry per label), answer every "
        "text of TEST and print the figures as one JSON object."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", required=True, type=Path, help="CSV: text,label")
        parser.add_argument("--test", required=True, type=Path, help="CSV: text,label")
        parser.add_argument(
            "--per-label", type=int, default=0, help="use at most K training texts per label"
        )
        parser.add_argument("--seed", type=int, default=1, help="for --per-label")
        parser.add_argument(
            "--language",
            choices=["auto", "en", "zh-hans"],
            default="auto",
            help="the language of the questions (auto: from the text)",
        )
        parser.add_argument(
            "--no-label-titles",
            action="store_true",
            help="do not use the label's words as the entry's title",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="CPU threads for each embedding (default: the cores, up to 4; the command "
            "is the only work here, unlike a server, which embeds with one)",
        )
        parser.add_argument(
            "--curve",
            action="store_true",
            help="also print coverage and accuracy at each answer threshold (to stderr)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            training = evaluation.read_texts_and_labels(options["train"])
            test = evaluation.read_texts_and_labels(options["test"])
        except evaluation.EvaluationError as problem:
            raise CommandError(str(problem)) from problem
        if options["per_label"] < 0:
            raise CommandError("--per-label must be 0 (all) or more")
        if options["per_label"]:
            training = evaluation.limit_per_label(training, options["per_label"], options["seed"])
        language = options["language"]
        if language == "auto":
            language = evaluation.guess_language([example.text for example in test])
        if options["threads"] < 1:
            raise CommandError("--threads must be 1 or more")
        model: Embedder = import_string(settings.BOT_EMBEDDER)(threads=options["threads"])
        embedder = cached(model)
        thresholds = Thresholds.from_settings()
        matcher = evaluation.build_matcher(
            training,
            embedder,
            MatcherParams.from_settings(settings.BOT_MATCHER),
            query_embedder=embedder.model,
            label_titles=not options["no_label_titles"],
        )
        # Only the texts go in; the labels are read after the last answer.
        answers = evaluation.evaluate(matcher, [example.text for example in test], thresholds)
        labels = [example.label for example in test]
        figures = evaluation.score(answers, labels, thresholds, params=matcher.params)
        unknown_labels = sorted(set(labels) - set(matcher.keys) - {"none"})
        figures.update(
            {
                "n_train": len(training),
                "n_labels": len(matcher),
                "test_labels_not_in_training": len(unknown_labels),
                "language": language,
                "thresholds": thresholds.__dict__,
                "build_seconds": round(matcher.build_seconds, 2),
                "model": embedder.name,
                "threads": options["threads"],
            }
        )
        if options["curve"]:
            steps = [round(0.05 * step, 2) for step in range(2, 20)] + [0.97, 0.98, 0.99]
            for point in evaluation.coverage_curve(answers, labels, steps):
                sys.stderr.write(json.dumps(point) + "\n")
        self.stdout.write(json.dumps(figures))
