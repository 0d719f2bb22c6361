"""`heed templates check|preview`: what a social-care lead runs after editing `templates/`.

heed templates check [--dir DIR]
heed templates preview [--dir DIR] [--language xx] [--platform p] [--customer NAME]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from heed.models import Platform

ENV_TEMPLATES_DIR = "HEED_TEMPLATES_DIR"
SAMPLE_PREVIEW_CUSTOMER = "Sam Rivera"


def _default_dir() -> Path:
    from heed.settings import _REPO_TEMPLATES

    return Path(os.environ.get(ENV_TEMPLATES_DIR) or _REPO_TEMPLATES)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("templates", help="check or preview the reply templates and policy")
    sub = parser.add_subparsers(dest="templates_command", required=True)

    check = sub.add_parser("check", help="fail with one line per problem; OK otherwise")
    check.add_argument("--dir", type=Path, default=None, help="templates directory (default: the repo's)")
    check.set_defaults(handler=run_check)

    preview = sub.add_parser("preview", help="render every template for a sample mention")
    preview.add_argument("--dir", type=Path, default=None, help="templates directory (default: the repo's)")
    preview.add_argument("--language", help="only this language (en, es, fr, pt...)")
    preview.add_argument(
        "--platform",
        choices=[p.value for p in Platform],
        default=Platform.X.value,
        help="measure against this platform's limit (default: x, the tightest)",
    )
    preview.add_argument("--customer", default=SAMPLE_PREVIEW_CUSTOMER, help="sample customer name")
    preview.set_defaults(handler=run_preview)


def run_check(args: argparse.Namespace) -> int:
    from heed.acknowledge.check import check_report

    templates_dir = args.dir or _default_dir()
    report = check_report(templates_dir)
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.problems:
        print(f"FAILED: {len(report.problems)} problem(s) in {templates_dir}", file=sys.stderr)
        return 1
    print(f"OK: {report.templates} templates, {report.renderings} renderings checked")
    return 0


def run_preview(args: argparse.Namespace) -> int:
    from heed.acknowledge.check import SAMPLE_TASK_REF, check_report
    from heed.acknowledge.length import PLATFORM_LIMITS, weighted_length
    from heed.acknowledge.render import choose_signature, clean_customer_name, follow_up_phrase, render
    from heed.acknowledge.templates import read_templates
    from heed.policy import load_policy

    templates_dir = args.dir or _default_dir()
    report = check_report(templates_dir)
    if report.problems:
        for problem in report.problems:
            print(f"problem: {problem}")
        print("Fix these first (heed templates check).", file=sys.stderr)
        return 1
    policy = load_policy(templates_dir)
    templates = read_templates(templates_dir)
    platform = Platform(args.platform)
    limit = PLATFORM_LIMITS[platform]
    languages = [args.language] if args.language else list(templates.languages)
    unknown = [lang for lang in languages if lang not in templates.languages]
    if unknown:
        print(
            f"no templates for {', '.join(unknown)}; have {', '.join(templates.languages)}", file=sys.stderr
        )
        return 2

    # The preview is the edge: reading the clock here is fine; the sample follow-up is the next
    # morning at opening time in the brand's time zone.
    zone = ZoneInfo(policy.business_hours.timezone)
    now = datetime.now(UTC)
    tomorrow_9 = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(9, 0), tzinfo=zone)
    signature = choose_signature(policy.signatures, SAMPLE_TASK_REF)
    customer = clean_customer_name(args.customer)
    print(
        f"{policy.brand} · tone in policy: {policy.tone} · customer {customer!r} · "
        f"signed {signature} · ref {SAMPLE_TASK_REF} · measured on {platform} (limit {limit})"
    )
    for language in languages:
        lang_templates = templates.languages[language]
        values = {
            "customer": customer or lang_templates.customer_fallback,
            "signature": signature,
            "brand": policy.brand,
            "task_ref": SAMPLE_TASK_REF,
            "follow_up_time": follow_up_phrase(lang_templates.follow_up_time, tomorrow_9, now, str(zone)),
        }
        for kind, channels in lang_templates.replies.items():
            for channel, tones in channels.items():
                for tone, template in tones.items():
                    marker = "" if tone == policy.tone else "   (not the policy's tone)"
                    print(f"\n── {language} · {kind} · {channel} · {tone}{marker}")
                    chosen = False
                    for variant in ("normal", "short"):
                        text = render(template.text(variant), values)
                        length = weighted_length(text, platform)
                        fits = length <= limit
                        sent = fits and not chosen
                        chosen = chosen or fits
                        flag = "→ sent" if sent else ("too long" if not fits else "")
                        print(f"  {variant:<6} {length:>4}/{limit} {flag}")
                        print(f"         {text}")
    return 0
