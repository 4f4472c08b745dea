#!/usr/bin/env python3
"""Checks one labelled call: transcript parses into cues (one speaker each), times increase,
every labelled segment exists; prints each item beside its segment text(s).
usage: scripts/check-call-labels.py tests/fixtures/SET/NN_slug.expected.json"""
import json, re, sys, pathlib, datetime

def ms(t):
    t = t.replace(',', '.')
    parts = t.split(':')
    if len(parts) == 2: parts = ['0'] + parts
    h, m, s = parts
    return int((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)

def cues(path):
    text = path.read_text(encoding='utf-8-sig')
    if path.suffix == '.json':
        return [(int(s['start']*1000), int(s['end']*1000), s.get('speaker'), s['text']) for s in json.loads(text)['segments']]
    blocks = re.split(r'\n\s*\n', text.strip())
    out = []
    for b in blocks:
        lines = [l for l in b.splitlines() if l.strip()]
        if not lines or lines[0].startswith('WEBVTT') or lines[0].startswith('NOTE'):
            continue
        i = next(k for k, l in enumerate(lines) if '-->' in l)
        a, b2 = [x.strip().split(' ')[0] for x in lines[i].split('-->')]
        body = ' '.join(lines[i+1:])
        m = re.match(r'<v ([^>]+)>(.*?)(</v>)?$', body)
        if m:
            spk, body = m.group(1), m.group(2)
        else:
            m = re.match(r'([^:]{1,64}): (.*)$', body)
            spk, body = (m.group(1), m.group(2)) if m else (None, body)
        out.append((ms(a), ms(b2), spk, body))
    return out

exp_path = pathlib.Path(sys.argv[1])
stem = exp_path.name[:-len('.expected.json')]
tr = next(p for p in (exp_path.with_name(stem + e) for e in ('.vtt', '.srt', '.json')) if p.exists())
exp = json.loads(exp_path.read_text())
cs = cues(tr)
prev = -1
speakers = {}
for n, (a, b, s, t) in enumerate(cs, 1):
    assert a <= b, f'cue {n}: start after end'
    assert a >= prev - 2000, f'cue {n}: starts {a} ms, far before previous start {prev}'
    prev = a
    assert s, f'cue {n}: no speaker: {t[:60]}'
    speakers[s] = speakers.get(s, 0) + 1
for k in ('date', 'language', 'rep', 'rep_side', 'customer_sentiment', 'action_items'):
    assert k in exp, f'missing key {k}'
date = datetime.date.fromisoformat(exp['date'])
assert exp['language'] in ('en', 'sr-Latn')
assert exp['customer_sentiment'] in ('positive', 'neutral', 'negative')
assert exp['rep'] in speakers, f"rep {exp['rep']} not a speaker {list(speakers)}"
for r in exp['rep_side']:
    assert r in speakers, f'rep_side {r} not a speaker'
print(f'{tr.name}: {len(cs)} segments, {cs[-1][1]/60000:.1f} min, call date {date:%A %Y-%m-%d}')
print('speakers:', speakers)
for it in exp['action_items']:
    segs = it['segments']
    assert it['owner'] in ('rep', 'customer'), it
    for k in ('assignee', 'due', 'text'):
        assert k in it, f'item missing {k}: {it}'
    if it['due']:
        d = datetime.date.fromisoformat(it['due'])
        due = f"{it['due']} ({d:%a})"
    else:
        due = 'no date'
    print(f"\n- [{it['owner']} / {it['assignee']}] {it['text']}  due {due}")
    for s in segs:
        assert 1 <= s <= len(cs), f'segment {s} out of range'
        a, b, spk, t = cs[s-1]
        print(f'    seg {s} {spk}: {t}')
print(f"\n{len(exp['action_items'])} action items, sentiment {exp['customer_sentiment']}")
