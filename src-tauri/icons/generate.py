#!/usr/bin/env python3
"""Draws Lamplight's icon set (a warm "L" lit by a small lamp, on calm navy) with no dependencies.

Run from this folder: python3 generate.py. Writes the PNGs and the ICO that tauri.conf.json lists.
Shapes are sampled 4x4 per pixel for smooth edges; output is deterministic.
"""
import struct
import zlib

NAVY = (23, 49, 77)
AMBER = (245, 184, 76)
CREAM = (250, 243, 224)


def inside(x, y):
    """Colour (r, g, b, a) of a point in the unit square, or None for transparent."""
    # rounded square background
    r = 0.18
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return None
    # the lamp's glow: a small amber disc at the top right of the L
    if (x - 0.70) ** 2 + (y - 0.30) ** 2 < 0.11 ** 2:
        return AMBER
    # the L: a stem and a foot
    if 0.26 <= x <= 0.40 and 0.20 <= y <= 0.80:
        return CREAM
    if 0.26 <= x <= 0.76 and 0.66 <= y <= 0.80:
        return CREAM
    return NAVY


def render(size):
    n = 4
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter byte: none
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    c = inside((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 255
            hits = acc[3] // 255
            if hits:
                row += bytes([acc[0] // hits, acc[1] // hits, acc[2] // hits, acc[3] // (n * n)])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(pngs):
    """An ICO holding PNG images (supported since Windows Vista)."""
    out = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return out + entries + blobs


if __name__ == "__main__":
    sizes = {"32x32.png": 32, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}
    made = {}
    for name, size in sizes.items():
        made[size] = render(size)
        with open(name, "wb") as f:
            f.write(made[size])
    with open("icon.ico", "wb") as f:
        f.write(ico([(16, render(16)), (32, made[32]), (48, render(48)), (256, made[256])]))
