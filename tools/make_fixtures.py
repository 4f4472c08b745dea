"""Render hand-written sales-call dialogues into WebVTT (Teams/Zoom), SRT and Zapis JSON fixtures.

Dialogue lines: 'R: text' (rep) or 'C: text' (customer). A label {{owner|due|gist}} at the end of a
line marks an expected action item in that segment (owner: rep|customer|Name, due: YYYY-MM-DD or -).
Timing is derived from word counts (about 2.5 words/s) with seeded pauses and a few overlaps.
"""
import json, os, random, re, sys, textwrap, uuid

sys.path.insert(0, os.path.dirname(__file__))
from dialogues import CALLS  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "calls")
LABEL = re.compile(r"\{\{([^|}]+)\|([^|}]+)\|([^}]+)\}\}")


def ts(ms, sep="."):
    h, rem = divmod(ms, 3600000)
    m, rem = divmod(rem, 60000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render(call):
    rnd = random.Random(call["name"])
    t = rnd.randint(1500, 4000)
    segs, items = [], []
    for idx, raw in enumerate(call["lines"], start=1):
        who, text = raw.split(":", 1)
        labels = LABEL.findall(text)
        text = LABEL.sub("", text).strip()
        speaker = call["rep"] if who.strip() == "R" else call["customer"]
        words = len(text.split())
        dur = int(words / rnd.uniform(2.0, 2.6) * 1000) + 300
        start = t
        end = start + dur
        segs.append({"speaker": speaker, "start": start, "end": end, "text": text})
        for owner, due, gist in labels:
            items.append({"segment": idx, "owner": owner.strip(), "due": None if due.strip() == "-" else due.strip(), "text": gist.strip()})
        gap = rnd.choice([rnd.randint(150, 900), rnd.randint(150, 900), rnd.randint(900, 2500), -rnd.randint(200, 700)])
        t = max(start + 400, end + gap)
    return segs, items


def write(call):
    segs, items = render(call)
    fmt = call["format"]
    base = os.path.join(OUT, call["name"])
    if fmt == "teams":
        conv = uuid.UUID(int=random.Random(call["name"] + "g").getrandbits(128))
        out = ["\ufeffWEBVTT" if call.get("bom") else "WEBVTT", ""]
        for i, s in enumerate(segs):
            out += [f"{conv}/{i + 10}-0", f"{ts(s['start'])} --> {ts(s['end'])}", f"<v {s['speaker']}>{s['text']}</v>", ""]
        path = base + ".vtt"
    elif fmt == "zoom":
        out = ["WEBVTT", ""]
        for i, s in enumerate(segs):
            body = textwrap.wrap(f"{s['speaker']}: {s['text']}", 90)
            out += [str(i + 1), f"{ts(s['start'])} --> {ts(s['end'])}", *body, ""]
        path = base + ".vtt"
    elif fmt == "srt":
        out = []
        for i, s in enumerate(segs):
            body = textwrap.wrap(f"{s['speaker']}: {s['text']}", 70)
            out += [str(i + 1), f"{ts(s['start'], ',')} --> {ts(s['end'], ',')}", *body, ""]
        path = base + ".srt"
    else:
        doc = {"segments": [{"start": s["start"] / 1000, "end": s["end"] / 1000, "speaker": s["speaker"], "text": s["text"]} for s in segs]}
        with open(base + ".json", "w") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
        path = None
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    expected = {"date": call["date"], "rep": call["rep"], "customer": call["customer"], "kind": call["kind"],
                "customer_sentiment": call["sentiment"], "action_items": items}
    with open(base + ".expected.json", "w") as f:
        json.dump(expected, f, indent=2)
    minutes = segs[-1]["end"] / 60000
    words = sum(len(s["text"].split()) for s in segs)
    print(f"{call['name']:32s} {fmt:6s} {minutes:5.1f} min {words:5d} words {len(items):2d} items")


for c in CALLS:
    write(c)
