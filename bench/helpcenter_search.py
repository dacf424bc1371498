"""Help-center search at scale: generates 10,000 bilingual articles, then measures the
search service as the API calls it (content-version check, ranking, snippets).

    .venv/bin/python bench/helpcenter_search.py [--articles 10000] [--queries 3000]

Prints a table and, as its last line, one JSON object (search_p50_ms, search_p95_ms,
search_qps, …). Runs on a throw-away SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    ("钱提不出来", "zh-hans"), ("充错链了", "zh-hans"), ("收不到验证码", "zh-hans"),
    ("提币", "zh-hans"), ("提幣審核中", "zh-hans"), ("充值没到账", "zh-hans"),
    ("谷歌验证器丢了", "zh-hans"), ("防钓鱼码是什么", "zh-hans"), ("账号被盗了", "zh-hans"),
    ("账户被锁了怎么解锁", "zh-hans"), ("忘记密码", "zh-hans"), ("合约爆仓", "zh-hans"),
    ("挂单吃单手续费", "zh-hans"), ("卖家不放币", "zh-hans"), ("提币手续费多少", "zh-hans"),
    ("API 限频", "zh-hans"), ("怎么注册账号", "zh-hans"), ("转人工", "zh-hans"),
    ("how do I turn off google authenticator", "en"), ("withdraw", "en"),
    ("my withdrawal is stuck", "en"), ("withdrawl pending", "en"), ("deposit not credited", "en"),
    ("sent USDT on the wrong network", "en"), ("forgot the memo tag", "en"),
    ("not receiving sms code", "en"), ("lost phone with authenticator", "en"),
    ("ACCOUNT LOCKED", "en"), ("someone hacked my account", "en"), ("reset password", "en"),
    ("KYC levels limits", "en"), ("liquidation price", "en"), ("maker taker fees", "en"),
    ("api key permissions", "en"), ("429 too many requests", "en"), ("vip benefits", "en"),
    ("TxID", "en"), ("funding fee", "en"), ("提币", "en"), ("withdraw", "zh-hans"),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=3_000)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pharos-bench-") as data_dir:
        os.environ["PHAROS_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "pharos.settings"
        os.environ["PHAROS_RATE_LIMITS"] = "false"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        figures = run(options.articles, options.queries)
    report(figures)


def run(article_count: int, query_count: int) -> dict[str, float]:
    from pharos.helpcenter import indexing, services
    from pharos.helpcenter.demo import load_demo_help_center
    from pharos.helpcenter.markdown import render_markdown
    from pharos.helpcenter.models import Article, ArticleStatus, Category, Tag

    load_demo_help_center()
    demo = list(Article.objects.all())
    generated = article_count - len(demo)
    started = time.perf_counter()
    articles = generate_articles(
        demo, generated, list(Category.objects.exclude(slug="announcements"))
    )
    for article in articles:
        article.body_html_en = render_markdown(article.body_en, "en")
        article.body_html_zh_hans = render_markdown(article.body_zh_hans, "zh-hans")
    Article.objects.bulk_create(articles, batch_size=500)
    tags = list(Tag.objects.all())
    rng = random.Random(11)
    through = Article.tags.through
    generated_ids = Article.objects.filter(slug__startswith="gen-").values_list("pk", flat=True)
    through.objects.bulk_create(
        [
            through(article_id=pk, tag_id=tag.pk)
            for pk in generated_ids
            for tag in rng.sample(tags, 2)
        ],
        batch_size=2000,
    )
    indexing.bump_content_version(rebuild=True)
    generate_seconds = time.perf_counter() - started
    total = Article.objects.filter(status=ArticleStatus.PUBLISHED).count()

    started = time.perf_counter()
    indexing.with_current_engine(lambda engine: None)
    build_seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    for query, language in QUERIES:  # warm-up
        services.search(query, language)
    latencies = []
    results = []
    started = time.perf_counter()
    for number in range(query_count):
        query, language = QUERIES[number % len(QUERIES)]
        began = time.perf_counter()
        page = services.search(query, language, limit=10)
        latencies.append((time.perf_counter() - began) * 1000)
        results.append(page.total)
    elapsed = time.perf_counter() - started

    typing = []
    for query, language in QUERIES:
        for end in range(2, len(query) + 1):
            began = time.perf_counter()
            services.search(query[:end], language, limit=6, as_you_type=True)
            typing.append((time.perf_counter() - began) * 1000)

    latencies.sort()
    typing.sort()
    return {
        "articles": total,
        "documents": total * 2,
        "generate_s": round(generate_seconds, 2),
        "index_build_s": round(build_seconds, 2),
        "max_rss_mb": round(rss_mb, 1),
        "queries": query_count,
        "search_p50_ms": round(percentile(latencies, 50), 2),
        "search_p95_ms": round(percentile(latencies, 95), 2),
        "search_p99_ms": round(percentile(latencies, 99), 2),
        "search_mean_ms": round(statistics.fmean(latencies), 2),
        "search_qps": round(query_count / elapsed, 1),
        "as_you_type_p95_ms": round(percentile(typing, 95), 2),
        "mean_results": round(statistics.fmean(results), 1),
    }


def generate_articles(demo, count, categories):  # type: ignore[no-untyped-def]
    """Articles made of the demo articles' own sentences and words, so the vocabulary and
    its frequencies look like a real help center's."""
    from pharos.helpcenter.models import Article, ArticleStatus

    rng = random.Random(7)
    english_sentences = [s.strip() + "." for a in demo for s in a.body_en.split(".") if len(s) > 30]
    chinese_sentences = [
        s.strip() + "。" for a in demo for s in a.body_zh_hans.split("。") if len(s) > 10
    ]
    english_words = [w for a in demo for w in a.title_en.split() if len(w) > 3]
    chinese_titles = [a.title_zh_hans for a in demo]
    articles = []
    for number in range(count):
        title_en = " ".join(rng.sample(english_words, 5)).capitalize()
        title_zh = rng.choice(chinese_titles)[:8] + rng.choice(chinese_titles)[-6:]
        articles.append(
            Article(
                slug=f"gen-{number:05d}",
                category=rng.choice(categories),
                status=ArticleStatus.PUBLISHED,
                title_en=title_en,
                title_zh_hans=title_zh,
                summary_en=rng.choice(english_sentences),
                summary_zh_hans=rng.choice(chinese_sentences),
                body_en="\n\n".join(" ".join(rng.sample(english_sentences, 3)) for _ in range(4)),
                body_zh_hans="\n\n".join(
                    "".join(rng.sample(chinese_sentences, 3)) for _ in range(4)
                ),
                keywords_en="\n".join(rng.sample(english_words, 3)),
                keywords_zh_hans=rng.choice(chinese_titles)[:6],
            )
        )
    return articles


def percentile(values: list[float], percent: float) -> float:
    index = min(len(values) - 1, max(0, round(percent / 100 * len(values)) - 1))
    return values[index]


def report(figures: dict[str, float]) -> None:
    print("Help-center search benchmark")
    print(f"{'figure':<22}{'value':>12}")
    for name, value in figures.items():
        print(f"{name:<22}{value:>12}")
    targets_met = figures["search_p95_ms"] <= 20
    print(f"target search p95 <= 20 ms at 10,000 articles: {'met' if targets_met else 'NOT met'}")
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
