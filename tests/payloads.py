"""Hand-written model answers for the ceasefire test article (devset/ceasefire_marenia.txt)."""

from __future__ import annotations

import json

SIDES = {
    "is_negotiation": True,
    "summary": "Marenia and the Dostrak Liberation Front extended their truce by 30 days as UN-led talks resumed in Geneva.",
    "parties": [
        {"name": "Marenia", "aliases": ["Marenia's delegation"], "representatives": ["Paulo Veras"]},
        {"name": "Dostrak Liberation Front", "aliases": ["the Front"], "representatives": ["Amira Kessel"]},
    ],
    "mediators": [{"name": "United Nations", "role": "chairs the talks", "representatives": ["Ingrid Solheim"]}],
}
ITEMS = {
    "positions": [
        {"party": "Marenia", "stance": "The Front must hand over heavy weapons to monitors first.", "sentence": 3},
        {
            "party": "Dostrak Liberation Front",
            "stance": "A constitutional guarantee of autonomy and release of 400 fighters.",
            "sentence": 6,
        },
    ],
    "proposals": [
        {
            "by": "United Nations",
            "proposal": "A phased plan to register weapons while a commission drafts autonomy.",
            "status": "proposed",
            "sentence": 7,
        },
        {
            "by": "Marenia and Dostrak Liberation Front",
            "proposal": "Open two humanitarian corridors into Sarvel.",
            "status": "agreed",
            "sentence": 9,
        },
    ],
    "next_steps": [
        {"action": "Fourth round of talks in Geneva.", "who": ["United Nations"], "when": "April 9", "sentence": 11}
    ],
}
SIDES_JSON = json.dumps(SIDES)
ITEMS_JSON = json.dumps(ITEMS)
