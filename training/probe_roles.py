"""Experiment: the embedded model's calibrated answer to "what is this name in the talks?" as a
signal of the fitted party decider (``training.parties``).

    python -m training.probe_roles --realdev-briefs DIR --out roles-signals.json [--report OUT.json]

For each negotiation of realdev with a saved brief, the candidates of ``training.parties`` (step
1's sides and every capitalised name; other names with one mention are left out) are asked one
question each after the pipeline's own system and article messages: party, mediator or other.
Nothing is sampled: the logits of each option's first token after the answer's opening quote
give its log-probability, and the same question about a content-free name ("N/A") in the same
article gives the prior that is subtracted (contextual calibration, Zhao et al. 2021). The
answers are features beside the others; ``training.parties``' cross-validation scores the
decider with and without them. Not part of the runtime.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from summariser.eval import find_articles
from summariser.load import load_article
from summariser.prompt import article_messages
from summariser.segment import segment_text
from training.harness import embedded_llama, emit
from training.parties import collect, cross_validate
from training.probe_kinds import _logprobs
from training.probe_negotiation import _chatml

OPTIONS = ("party", "mediator", "other")
GUIDE = (
    "Question about one name in the article: what is it in the talks the article reports? Answer with one "
    "word: party (a side negotiating: it makes demands or offers, or must agree), mediator (a third party "
    "that hosts, chairs, brokers or carries proposals between the sides), or other (anyone or anything "
    "else: a place, a commentator, a company or country the talks only mention).\nName:\n"
)


def _option_tokens(llama: Any) -> list[int]:
    firsts = [llama.tokenize(option.encode(), add_bos=False, special=False)[0] for option in OPTIONS]
    if len(set(firsts)) != len(firsts):
        raise SystemExit(f"two options share a first token: {firsts}")
    return firsts


def probe_article(llama: Any, text_path: Path, names: list[str], options: list[int]) -> dict[str, list[float]]:
    """Each name's calibrated log-probabilities over OPTIONS (the "N/A" prior subtracted)."""
    article = load_article(str(text_path))
    base = article_messages(article, segment_text(article.text))
    guide = _chatml([*base, {"role": "user", "content": GUIDE + "\x00"}])
    guide_tokens = llama.tokenize(guide[: guide.index("\x00")].encode(), add_bos=False, special=True)
    llama.reset()
    llama.eval(guide_tokens)
    state = llama.save_state()

    def ask(name: str) -> np.ndarray:
        tokens = llama.tokenize(
            (_chatml([*base, {"role": "user", "content": GUIDE + name}]) + '"').encode(), add_bos=False, special=True
        )
        if tokens[: len(guide_tokens)] != guide_tokens:
            raise SystemExit("the guide does not tokenize alike before every name")
        return _logprobs(llama, state, len(guide_tokens), tokens, options)

    prior = ask("N/A")
    return {name: (ask(name) - prior).round(4).tolist() for name in names}


def _asked(features: dict[str, float]) -> bool:
    """Step 1's sides, and every other name the article uses twice or more."""
    return bool(features["step1_party"] or features["step1_mediator"] or features["mentions"] > np.log1p(1) / 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.probe_roles", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--realdev-briefs", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="the signals (articles already in it are kept)")
    parser.add_argument("--C", type=float, nargs="*", default=[0.1, 1.0])
    parser.add_argument("--thresholds", type=float, nargs="*", default=[0.3, 0.5])
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    articles = collect(args.realdev_briefs, args.realdev)
    done: dict[str, dict[str, list[float]]] = (
        json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    )
    paths = {name: text for name, text, _ in find_articles(args.realdev)}
    todo = [a for a in articles if a["article"] not in done]
    if todo:
        llama = embedded_llama()
        options = _option_tokens(llama)
        for article in todo:
            names = [r["name"] for r in article["rows"] if _asked(r["features"])]
            done[article["article"]] = probe_article(llama, paths[article["article"]], names, options)
            args.out.write_text(json.dumps(done) + "\n", encoding="utf-8")
            print(f"{article['article']}: {len(names)} names", file=sys.stderr, flush=True)
    probed = []
    for article in articles:
        answers = done.get(article["article"], {})
        rows = []
        for row in article["rows"]:
            if row["name"] not in answers:
                continue  # named once: not asked, and not a candidate either way
            features = dict(row["features"])
            features.update({f"model_{o}": v for o, v in zip(OPTIONS, answers[row["name"]], strict=True)})
            rows.append({**row, "features": features})
        probed.append({**article, "rows": rows})
    plain = [
        {
            **a,
            "rows": [
                {**r, "features": {k: v for k, v in r["features"].items() if not k.startswith("model_")}}
                for r in a["rows"]
            ],
        }
        for a in probed
    ]
    results = []
    for label, data in (("without the model's answer", plain), ("with it", probed)):
        for add in (False, True):
            for c in args.C:
                for t in args.thresholds:
                    results.append({"inputs": label, **cross_validate(data, 5, c, t, add=add)})
    emit(results, args.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
