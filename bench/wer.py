#!/usr/bin/env python3
"""Word error rate of a hypothesis against a reference (both text files), as a fraction.

Both systems are scored by this one function: lowercase, punctuation dropped, digits spelled the
way espeak-ng reads them is not attempted, so numbers count against whoever writes them as digits.
"""
import re
import sys


def words(text):
    return re.sub(r"[^\w\s']", " ", text.lower()).split()


def wer(reference, hypothesis):
    r, h = words(reference), words(hypothesis)
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        cur = [i] + [0] * len(h)
        for j, hw in enumerate(h, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rw != hw))
        prev = cur
    return prev[-1] / max(len(r), 1)


if __name__ == "__main__":
    print(wer(open(sys.argv[1]).read(), open(sys.argv[2]).read()))
