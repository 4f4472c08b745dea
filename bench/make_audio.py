#!/usr/bin/env python3
"""Builds the benchmark recording: ~10 minutes of espeak-ng speech from seeded,
varied business-meeting sentences, plus the exact reference text for WER.

usage: make_audio.py OUT_DIR [--minutes 10]
writes OUT_DIR/meeting.wav (16 kHz mono 16-bit) and OUT_DIR/reference.txt
"""
import argparse
import random
import subprocess
import wave
from pathlib import Path

PEOPLE = ["Anna", "Marco", "Priya", "David", "Sofia", "James", "Elena", "Tom", "Grace", "Luke"]
COMPANIES = ["Northwind", "Bluestone", "Acme Logistics", "Harbor Health", "Summit Bank", "Greenfield Foods"]
PRODUCTS = ["the analytics platform", "the reporting module", "our mobile app", "the data connector",
            "the security add-on", "the customer portal", "the scheduling tool"]
NUMBERS = ["twenty", "fifty", "one hundred", "two hundred", "five hundred", "three thousand", "twelve thousand"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week", "the end of the month"]
TEMPLATES = [
    "Thanks for making time today, {p}, I know your team is busy this quarter.",
    "Could you walk me through how {c} handles renewals right now?",
    "We currently pay about {n} dollars a month for a tool that does less than {prod}.",
    "Our main concern is whether {prod} integrates with the billing system we already use.",
    "If we sign before {d}, can you hold the discount you mentioned on the last call?",
    "I will send the revised proposal to {p} by {d} so finance can review it.",
    "The pilot would start with {n} users in the sales team and then expand.",
    "Security review usually takes three weeks at {c}, so we should start early.",
    "Let me check with legal about the data processing terms and get back to you.",
    "What would success look like for you six months after the rollout?",
    "We lost two deals last quarter because our reporting was too slow.",
    "{p} asked whether the contract can be cancelled after the first year.",
    "Can you share a case study from a company similar in size to {c}?",
    "The budget for this project was approved, but it is capped at {n} dollars.",
    "I think the next step is a technical demo with {p} and the IT lead.",
    "How many people on your side will need access to {prod}?",
    "We had some issues with onboarding in the past, so training matters to us.",
    "Please include implementation support and a dedicated account manager in the quote.",
    "Our renewal date is in March, so we need a decision by {d}.",
    "That sounds reasonable, let us schedule a follow up call for {d}.",
]


def fill(template, rng):
    """One sentence from a template, with names, products, amounts and days drawn from rng."""
    return template.format(p=rng.choice(PEOPLE), c=rng.choice(COMPANIES), prod=rng.choice(PRODUCTS),
                           n=rng.choice(NUMBERS), d=rng.choice(DAYS))


def sentences(minutes, seed=7):
    rng = random.Random(seed)
    words_needed = int(minutes * 166)
    out, words = [], 0
    while words < words_needed:
        s = fill(rng.choice(TEMPLATES), rng)
        if out and s == out[-1]:
            continue
        out.append(s)
        words += len(s.split())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--minutes", type=float, default=10.0)
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    text = sentences(args.minutes)
    (out / "reference.txt").write_text(" ".join(text) + "\n")
    raw = out / "raw.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), " ".join(text)], check=True)
    # 16 kHz mono so both systems decode the same samples; sox does the resampling once.
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out / "meeting.wav")], check=True)
    raw.unlink()
    with wave.open(str(out / "meeting.wav")) as w:
        print(f"{w.getnframes() / w.getframerate():.1f} s of audio, {len(text)} sentences")


if __name__ == "__main__":
    main()
