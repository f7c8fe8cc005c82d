"""Rendering one Medienpass PDF: the app's renderer against naive WeasyPrint, same run.

    python -m bench.pass_pdf              # 30 runs each after 3 warm-up runs
    python -m bench.pass_pdf --runs 60

It builds a throw-away instance on SQLite with the demo data, issues one pass for the demo
learner, then times (a) `app.mediapass.pdf.render_pass` as issuing calls it and (b) the naive
baseline: a fresh `HTML(string=...).write_pdf()` with default settings on the same HTML.
It prints the median, p90 and the ratio of the medians. Goal: a median of 150 ms or less.
"""

import argparse
import logging
import sys
import tempfile

from bench.timing import summary, timed

GOAL_MS = 150


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)

    from flask_migrate import upgrade

    from app import create_app, svg_print
    from app.accounts.models import User
    from app.extensions import db
    from app.mediapass import issuing, pdf

    with tempfile.TemporaryDirectory(prefix="medienpass-bench-") as folder:
        app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            result = app.test_cli_runner().invoke(args=["seed", "demo"])
            assert result.exit_code == 0, result.output
            learner = db.session.scalar(
                db.select(User).where(User.email == "learner@muster-gmbh.example")
            )
            record = issuing.issue(None, learner)
            import json

            from weasyprint import HTML

            context = pdf.context_of(json.loads(record.content), record)
            template = app.jinja_env.get_template("mediapass/pass_pdf.css")
            css = template.render(colour=context["colour"])
            # The naive baseline: the same page with its styles inline, default settings.
            html = pdf.render_html(context).replace("</head>", f"<style>{css}</style></head>")
            print(f"pass {record.serial}: {len(record.pdf):,} bytes")
            ours = timed(lambda: pdf.render_pass(record), args.runs, args.warmup)
            # WeasyPrint as it comes: without the app's whole-label drawing of SVG text.
            with svg_print.letter_by_letter():
                naive = timed(lambda: HTML(string=html).write_pdf(), args.runs, args.warmup)
    mine = summary("render_pass (this app)", ours)
    baseline = summary("naive HTML().write_pdf() baseline", naive)
    print(f"ratio of medians: {mine / baseline:.2f} (this app / naive); goal {GOAL_MS} ms")
    return 0 if mine <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
