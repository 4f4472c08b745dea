#!/usr/bin/env python3
"""faster-whisper peer for the benchmark: prints the transcript text.

usage: fw_transcribe.py CT2_DIR AUDIO THREADS BEAM [vad]
("vad" turns on faster-whisper's Silero VAD filter, as its users do on recordings with silence.)
"""
import sys

from faster_whisper import WhisperModel


def main():
    ct2_dir, audio, threads, beam = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    vad = len(sys.argv) > 5 and sys.argv[5] == "vad"
    model = WhisperModel(ct2_dir, device="cpu", compute_type="int8", cpu_threads=threads, num_workers=1)
    segments, _ = model.transcribe(audio, language="en", beam_size=beam, vad_filter=vad)
    print(" ".join(s.text.strip() for s in segments))


if __name__ == "__main__":
    main()
