#!/usr/bin/env python3
"""faster-whisper peer for the benchmark: prints the transcript text.

usage: fw_transcribe.py CT2_DIR AUDIO THREADS BEAM
"""
import sys

from faster_whisper import WhisperModel


def main():
    ct2_dir, audio, threads, beam = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    model = WhisperModel(ct2_dir, device="cpu", compute_type="int8", cpu_threads=threads, num_workers=1)
    segments, _ = model.transcribe(audio, language="en", beam_size=beam)
    print(" ".join(s.text.strip() for s in segments))


if __name__ == "__main__":
    main()
