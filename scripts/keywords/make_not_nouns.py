#!/usr/bin/env python3
"""Writes src/insights/data/not_nouns.txt: the English words that are seldom or never nouns, from
WordNet 3.0 as Debian's `wordnet-base` package installs it (/usr/share/wordnet).

A word is listed when WordNet has no noun sense for it ("big", "bring", "able"), or when its
senses as a verb, adjective or adverb were tagged more often than its noun senses in the SemCor
corpus that WordNet's cntlist.rev counts ("help", "add"). A keyword must name a thing, so such a
word is a keyword only where the call uses it as one; words WordNet does not know (product and
company names) are not listed.

The Rust side looks a said word up as it is and with a regular ending taken off ("brings",
"joining", "bigger"; `detached` below is the same rule as `detached` in
src/insights/keywords/word_class.rs). So the file also lists irregular forms ("brought") and,
marked with "+", the nouns whose regular ending would lead to a listed word and that SemCor
tagged as nouns ("meeting", "building"), which must stay.

Run: python3 scripts/keywords/make_not_nouns.py [WORDNET_DIR] > src/insights/data/not_nouns.txt
"""

import re
import sys
from collections import defaultdict

WORD = re.compile(r"^[a-z]{3,}$")
POS_OF_FILE = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# cntlist.rev's sense keys carry the synset type: 1 noun, 2 verb, 3 adjective, 4 adverb,
# 5 adjective satellite.
POS_OF_SS_TYPE = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}


def detached(word):
    """(base, class) for each way one regular English ending could have been added to a base of
    that class: "s", "ing", "ed" to a verb ("v"), "er", "est" to an adjective ("a")."""
    out = []
    for ending, base_endings, word_class in [
        ("ies", ["y"], "v"),
        ("es", [""], "v"),
        ("s", [""], "v"),
        ("ing", ["", "e"], "v"),
        ("ied", ["y"], "v"),
        ("ed", ["", "e"], "v"),
        ("iest", ["y"], "a"),
        ("est", ["", "e"], "a"),
        ("ier", ["y"], "a"),
        ("er", ["", "e"], "a"),
    ]:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            if ending == "s" and stem.endswith("s"):
                continue
            for base in base_endings:
                out.append((stem + base, word_class))
            # "stopping", "bigger": a doubled last consonant.
            if ending in ("ing", "ed", "er", "est") and len(stem) >= 3 and stem[-1] == stem[-2]:
                out.append((stem[:-1], word_class))
    return out


def main(wordnet):
    classes = defaultdict(set)
    for name, pos in POS_OF_FILE.items():
        with open(f"{wordnet}/index.{name}", encoding="latin-1") as index:
            for line in index:
                if line.startswith(" "):
                    continue  # the licence header
                lemma = line.split(" ", 1)[0]
                if WORD.match(lemma):
                    classes[lemma].add(pos)
    tagged = defaultdict(lambda: defaultdict(int))
    with open(f"{wordnet}/cntlist.rev", encoding="latin-1") as counts:
        for line in counts:
            key, _sense, count = line.split()
            lemma, rest = key.split("%", 1)
            tagged[lemma][POS_OF_SS_TYPE[rest[0]]] += int(count)

    def seldom_a_noun(lemma):
        counts = tagged.get(lemma, {})
        other = max((counts.get(p, 0) for p in "var"), default=0)
        return "n" not in classes[lemma] or other > counts.get("n", 0)

    # Each listed word with the classes it takes endings in: "v" (a verb), "a" (an adjective or
    # adverb; "-" for neither, e.g. a word only an adverb).
    listed = {}
    for lemma in classes:
        if seldom_a_noun(lemma):
            listed[lemma] = ("v" if "v" in classes[lemma] else "") + (
                "a" if "a" in classes[lemma] else ""
            ) or "-"
    nouns = set(classes) - set(listed)
    # Irregular forms of listed words ("brought", "better"), unless a noun in their own right;
    # listed as they are, taking no further ending.
    for name in ("verb", "adj"):
        with open(f"{wordnet}/{name}.exc", encoding="latin-1") as exceptions:
            for line in exceptions:
                form, *lemmas = line.split()
                if WORD.match(form) and form not in nouns and any(l in listed for l in lemmas):
                    listed.setdefault(form, "-")

    def leads_to_listed(word):
        return any(base in listed and c in listed[base] for base, c in detached(word))

    # A noun that SemCor never tagged ("joining", "stopping") is the verb's form in practice.
    kept = sorted(n for n in nouns if leads_to_listed(n) and tagged.get(n, {}).get("n", 0) > 0)

    print("# English words that are seldom or never nouns, from WordNet 3.0 (WordNet 3.0 Copyright")
    print("# 2006 by Princeton University. All rights reserved. Used under the WordNet 3.0 licence,")
    print("# which permits use, copying and distribution with this notice). Each word is followed by")
    print("# the endings it takes: v (a verb's), a (an adjective's), - (none); ! marks a word with no")
    print("# noun sense at all. A line starting with + is a noun whose regular ending leads to a")
    print("# listed word. Made by")
    print("# scripts/keywords/make_not_nouns.py from Debian's wordnet-base; do not edit.")
    for word in sorted(listed):
        never = "" if "n" in classes.get(word, set()) else "!"
        print(f"{never}{word} {listed[word]}")
    for word in kept:
        print(f"+{word}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
