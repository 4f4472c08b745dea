#!/usr/bin/env python3
"""Draws Zapis's icons as RGBA PNGs with no dependencies beyond the standard library.

The app icon is a microphone in a speech bubble on a deep-blue rounded square; the tray icons are
the same microphone, plain when idle and on a red disc while recording. Shapes are signed distance
functions, rendered with 4x4 supersampling for clean edges. Run: scripts/make-icons.py
"""
import math
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "icons")


def png(path, size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(4):
                for sx in range(4):
                    u = (x + (sx + 0.5) / 4) / size
                    v = (y + (sy + 0.5) / 4) / size
                    r, g, b, a = pixel(u, v)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            a = acc[3] / 16
            if a > 0:
                row += bytes(int(round(c / acc[3])) for c in acc[:3]) + bytes([int(round(a * 255))])
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", raw))
        f.write(chunk(b"IEND", b""))


def rounded_box(u, v, cx, cy, hw, hh, r):
    dx = abs(u - cx) - hw + r
    dy = abs(v - cy) - hh + r
    return math.hypot(max(dx, 0), max(dy, 0)) + min(max(dx, dy), 0) - r


def microphone(u, v):
    """Distance to a microphone glyph centred in the unit square (negative inside)."""
    capsule = rounded_box(u, v, 0.5, 0.40, 0.10, 0.17, 0.10)
    # The U-shaped holder: a ring segment below the capsule.
    ring = abs(math.hypot(u - 0.5, v - 0.45) - 0.19) - 0.035
    ring = max(ring, 0.45 - v)
    stem = rounded_box(u, v, 0.5, 0.72, 0.035, 0.07, 0.0)
    base = rounded_box(u, v, 0.5, 0.80, 0.13, 0.035, 0.03)
    return min(capsule, ring, stem, base)


WHITE = (255, 255, 255)
BLUE = (31, 58, 95)
RED = (214, 40, 40)
GREY = (220, 224, 230)


def app_icon(u, v):
    if microphone(u, v) < 0:
        return (*WHITE, 1.0)
    if rounded_box(u, v, 0.5, 0.5, 0.46, 0.46, 0.12) < 0:
        return (*BLUE, 1.0)
    return (0, 0, 0, 0.0)


def tray_idle(u, v):
    if microphone(u, v) < 0:
        return (*GREY, 1.0)
    return (0, 0, 0, 0.0)


def tray_recording(u, v):
    if microphone(u, v) < 0:
        return (*WHITE, 1.0)
    if math.hypot(u - 0.5, v - 0.5) < 0.48:
        return (*RED, 1.0)
    return (0, 0, 0, 0.0)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        png(os.path.join(OUT, name), size, app_icon)
    png(os.path.join(OUT, "tray-idle.png"), 64, tray_idle)
    png(os.path.join(OUT, "tray-recording.png"), 64, tray_recording)
    print("icons written to", os.path.normpath(OUT))
