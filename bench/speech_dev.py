#!/usr/bin/env python3
"""Zapis vs faster-whisper on real human speech (../shared/speech-dev), in the same run.

Two measurements, both scored with whisper's EnglishTextNormalizer on both sides (numbers,
spelling, punctuation), WER pooled per group (total edits / total reference words):

  clips  every clip on its own, as `zapis transcribe` and a live utterance see short audio:
         Zapis with the full encoder context and with the fitted one, and the peer.
  dense  all clips back to back in one file: speed (audio seconds / wall seconds of the
         whole process, model load included for both) and WER, runs alternating.
  call   the telephone calls as Zapis records them: one file per side, each silent while the
         other side talks (cut from the call at the transcript's turn times); each side file
         transcribed on its own, the peer with its Silero VAD filter; speed and WER, alternating.

usage: bench/speech_dev.py --zapis BIN --model GGML --ct2 CT2_DIR [--threads 2] [--beam 1]
                           [--runs 2] [--speech DIR] [--work DIR] [--only clips|dense]
Needs faster-whisper and whisper-normalizer (bench/speech-dev.sh installs them in a venv).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
import wave
from collections import defaultdict

from whisper_normalizer.english import EnglishTextNormalizer

NORMALISE = EnglishTextNormalizer()


def edits(ref, hyp):
    prev = list(range(len(hyp) + 1))
    for i, rw in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, hw in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rw != hw))
        prev = cur
    return prev[-1]


def score(reference, hypothesis):
    ref, hyp = NORMALISE(reference).split(), NORMALISE(hypothesis).split()
    return edits(ref, hyp), len(ref)


def group_of(clip_id):
    if clip_id.startswith("lj_") and clip_id.endswith("longform"):
        return "longform"
    return clip_id.split("_")[0]


def zapis_text(args, audio, context):
    cmd = [args.zapis, "--data-dir", os.path.join(args.work, "home"), "transcribe", "--json",
           "--model", args.model, "--language", "en", "--threads", str(args.threads),
           "--audio-context", context, audio]
    if args.beam > 1:
        cmd += ["--beam", str(args.beam)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["text"]


def live_text(args, audio, context):
    """The live transcript's path: VAD-cut utterances, each decoded with the live options."""
    cmd = [args.live, args.model, audio, "--context", context, "--threads", str(args.threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["text"]


CLIP_SYSTEMS = {
    "clips": {
        "zapis (full context)": lambda args, audio, peer: zapis_text(args, audio, "full"),
        "zapis (fitted context)": lambda args, audio, peer: zapis_text(args, audio, "fit"),
        "faster-whisper": lambda args, audio, peer: peer_text(peer, audio, args.beam),
    },
    # The live path cuts each clip into utterances with its VAD; the peer reads the whole clip,
    # as its users would (it has no live mode). The fitted encoder context is no longer run
    # here: it looped on human speech (75.4 % WER) and took most of the run's time doing so.
    "live": {
        "live (full context)": lambda args, audio, peer: live_text(args, audio, "full"),
        "faster-whisper": lambda args, audio, peer: peer_text(peer, audio, args.beam),
    },
}


def clips(args, manifest, peer, systems):
    totals = defaultdict(lambda: [0, 0])
    rows = []
    for row in manifest:
        audio = os.path.join(args.speech, row["file"])
        texts = {name: run(args, audio, peer) for name, run in systems.items()}
        line = {"id": row["id"]}
        for system, text in texts.items():
            e, n = score(row["reference"], text)
            for key in (group_of(row["id"]), "all"):
                totals[(system, key)][0] += e
                totals[(system, key)][1] += n
            line[system] = e / max(n, 1)
        rows.append(line)
        print(f"  {row['id']}: " + ", ".join(f"{k} {v * 100:.1f}" for k, v in line.items() if k != "id"),
              file=sys.stderr, flush=True)
    return totals


def peer_text(peer, audio, beam):
    segments, _ = peer.transcribe(audio, language="en", beam_size=beam)
    return " ".join(s.text.strip() for s in segments)


def dense_file(args, manifest):
    path = os.path.join(args.work, "speech-dev-dense.wav")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        for row in manifest:
            with wave.open(os.path.join(args.speech, row["file"])) as w:
                out.writeframes(w.readframes(w.getnframes()))
            out.writeframes(b"\0\0" * 8000)  # half a second between clips
    return path


def timed(cmd):
    began = time.monotonic()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return time.monotonic() - began, out


def dense(args, manifest):
    audio = dense_file(args, manifest)
    with wave.open(audio) as w:
        seconds = w.getnframes() / w.getframerate()
    reference = " ".join(r["reference"] for r in manifest)
    zapis = [args.zapis, "--data-dir", os.path.join(args.work, "home"), "transcribe", "--json",
             "--model", args.model, "--language", "en", "--threads", str(args.threads), audio]
    if args.beam > 1:
        zapis += ["--beam", str(args.beam)]
    peer = [sys.executable, os.path.join(os.path.dirname(__file__), "fw_transcribe.py"),
            args.ct2, audio, str(args.threads), str(args.beam)]
    results = defaultdict(list)
    for run in range(args.runs):
        for name, cmd in (("zapis", zapis), ("faster-whisper", peer)):
            wall, out = timed(cmd)
            text = json.loads(out)["text"] if name == "zapis" else out
            e, n = score(reference, text)
            results[name].append((seconds / wall, e / n))
            print(f"  dense run {run + 1} {name}: {seconds / wall:.2f}x, WER {e / n * 100:.1f} %",
                  file=sys.stderr, flush=True)
    return seconds, results


def side_files(args, manifest):
    """Per telephone call, one WAV per side: that side's turns in place, silence elsewhere."""
    with open(os.path.join(args.speech, "segments.tsv"), newline="") as f:
        turns = [t for t in csv.DictReader(f, delimiter="\t") if t["id"].startswith("hvb_")]
    sides = []
    for row in (r for r in manifest if r["id"].startswith("hvb_")):
        with wave.open(os.path.join(args.speech, row["file"])) as w:
            pcm = w.readframes(w.getnframes())
        for speaker in ("agent", "caller"):
            mine = [t for t in turns if t["id"] == row["id"] and t["speaker"] == speaker]
            out = bytearray(len(pcm))
            for t in mine:
                a = int(float(t["start"]) * 16000) * 2
                b = min(int(float(t["end"]) * 16000) * 2, len(pcm))
                out[a:b] = pcm[a:b]
            path = os.path.join(args.work, f"{row['id']}-{speaker}.wav")
            with wave.open(path, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(16000)
                w.writeframes(bytes(out))
            sides.append((path, " ".join(t["text"] for t in mine), len(pcm) / 2 / 16000))
    return sides


def calls(args, manifest):
    sides = side_files(args, manifest)
    seconds = sum(s for _, _, s in sides)
    results = defaultdict(list)
    here = os.path.dirname(__file__)
    for run in range(args.runs):
        for name in ("zapis", "faster-whisper"):
            wall, edits_, words = 0.0, 0, 0
            for path, reference, _ in sides:
                if name == "zapis":
                    cmd = [args.zapis, "--data-dir", os.path.join(args.work, "home"), "transcribe",
                           "--json", "--model", args.model, "--language", "en",
                           "--threads", str(args.threads), "--audio-context", args.call_context, path]
                    if args.beam > 1:
                        cmd += ["--beam", str(args.beam)]
                else:
                    cmd = [sys.executable, os.path.join(here, "fw_transcribe.py"), args.ct2, path,
                           str(args.threads), str(args.beam), "vad"]
                took, out = timed(cmd)
                wall += took
                text = json.loads(out)["text"] if name == "zapis" else out
                e, n = score(reference, text)
                edits_ += e
                words += n
            results[name].append((seconds / wall, edits_ / words))
            print(f"  call run {run + 1} {name}: {seconds / wall:.2f}x, WER {edits_ / words * 100:.1f} %",
                  file=sys.stderr, flush=True)
    return seconds, results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--zapis", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--ct2", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--speech", default=os.path.join(os.path.dirname(__file__), "../../shared/speech-dev"))
    p.add_argument("--work", default="target/bench")
    p.add_argument("--call-context", choices=["full", "fit"], default="full",
                   help="Zapis's encoder context in the call-shaped measurement")
    p.add_argument("--only", choices=["clips", "dense", "call", "live"],
                   help="run one of the measurements (live is only run when named)")
    p.add_argument("--live", default="target/release/examples/live_transcript",
                   help="the live-path runner (cargo build --release --example live_transcript)")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    with open(os.path.join(args.speech, "manifest.tsv"), newline="") as f:
        manifest = list(csv.DictReader(f, delimiter="\t"))

    from faster_whisper import WhisperModel
    peer = WhisperModel(args.ct2, device="cpu", compute_type="int8", cpu_threads=args.threads,
                        num_workers=1)
    print(f"{len(manifest)} clips, threads {args.threads}, beam {args.beam}", file=sys.stderr)
    if args.only in (None, "clips"):
        systems = CLIP_SYSTEMS["clips"]
        report_clips(args, clips(args, manifest, peer, systems), list(systems))
    if args.only == "live":
        systems = CLIP_SYSTEMS["live"]
        report_clips(args, clips(args, manifest, peer, systems), list(systems), "live path, per clip")
    if args.only in (None, "dense"):
        report_dense(args, *dense(args, manifest))
    if args.only in (None, "call"):
        report_dense(args, *calls(args, manifest), what="call-shaped: each side of the 5 telephone calls")


def report_clips(args, totals, systems, what="per clip"):
    groups = ["hvb", "lj", "longform", "ls", "so762", "all"]
    print(f"\n{what}, WER % pooled ({args.threads} threads, beam {args.beam})")
    print(f"{'group':<10}" + "".join(f"{s:>24}" for s in systems))
    for g in groups:
        cells = []
        for s in systems:
            e, n = totals.get((s, g), (0, 0))
            cells.append(f"{e / n * 100:>23.1f}%" if n else f"{'-':>24}")
        print(f"{g:<10}" + "".join(cells))



def report_dense(args, seconds, results, what="dense: the clips back to back"):
    print(f"\n{what}, {seconds / 60:.1f} min of audio, {args.runs} alternating runs")
    for name, runs in results.items():
        speeds = ", ".join(f"{s:.1f}x" for s, _ in runs)
        wers = ", ".join(f"{w * 100:.1f} %" for _, w in runs)
        print(f"  {name:<15} speed {speeds}   WER {wers}")


if __name__ == "__main__":
    main()
