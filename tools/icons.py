"""Draw the site's icons into static/icons/: `python tools/icons.py`.

A white "V" on the site's dark blue (#0a3d91, the focus colour of static/css/site.css): the
SVG favicon for browsers that take one, favicon.ico (16, 32 and 48 pixels, PNG inside) for
the others and for `/favicon.ico`, and the 180-pixel touch icon (opaque: iOS rounds it
itself). Pure Python (zlib and struct), so no imaging library is needed; the same drawing
gives the same bytes every time.
"""

import itertools
import math
import struct
import sys
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE = (0x0A, 0x3D, 0x91)
WHITE = (0xFF, 0xFF, 0xFF)
# The drawing, on a 64-unit square: a rounded square, and the "V" as a thick line.
SIZE = 64.0
RADIUS = 12.0
V_POINTS = ((18.0, 18.0), (32.0, 46.0), (46.0, 18.0))
V_HALF_WIDTH = 4.0
SAMPLES = 4  # per pixel side, for smooth edges

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    "<title>Volontiers</title>"
    '<rect width="64" height="64" rx="12" fill="#0a3d91"/>'
    '<path d="M18 18 32 46 46 18" fill="none" stroke="#fff" stroke-width="8" '
    'stroke-linecap="round" stroke-linejoin="round"/>'
    "</svg>\n"
)


def segment_distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)


def in_square(x: float, y: float, radius: float) -> bool:
    """Inside the 64-unit square whose corners are rounded by ``radius``."""
    cx = min(max(x, radius), SIZE - radius)
    cy = min(max(y, radius), SIZE - radius)
    return 0 <= x <= SIZE and 0 <= y <= SIZE and math.hypot(x - cx, y - cy) <= radius


def in_v(x: float, y: float) -> bool:
    return any(
        segment_distance(x, y, a, b) <= V_HALF_WIDTH for a, b in itertools.pairwise(V_POINTS)
    )


def pixel(px: int, py: int, pixels: int, radius: float) -> bytes:
    """The RGBA colour of one pixel: the share of its samples in the square and in the V."""
    scale = SIZE / pixels
    square = white = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) * scale
            y = (py + (sy + 0.5) / SAMPLES) * scale
            if in_square(x, y, radius):
                square += 1
                white += in_v(x, y)
    if not square:
        return bytes(4)
    share = white / square
    rgb = (round(b + (w - b) * share) for b, w in zip(BLUE, WHITE, strict=True))
    return bytes([*rgb, round(255 * square / SAMPLES**2)])


def png(pixels: int, radius: float = RADIUS) -> bytes:
    """The drawing as an RGBA PNG of ``pixels`` × ``pixels``."""
    rows = b"".join(
        b"\x00" + b"".join(pixel(px, py, pixels, radius) for px in range(pixels))
        for py in range(pixels)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", pixels, pixels, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes: tuple[int, ...] = (16, 32, 48)) -> bytes:
    """An ICO file holding one PNG per size (read by every browser since IE 9)."""
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return struct.pack("<HHH", 0, 1, len(images)) + entries + b"".join(images)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "favicon.svg").write_text(SVG)
    (ICONS / "favicon.ico").write_bytes(ico())
    (ICONS / "apple-touch-icon.png").write_bytes(png(180, radius=0.0))
    sys.stdout.write(f"icons written to {ICONS}\n")


if __name__ == "__main__":
    main()
