"""Pictures for the demo content, drawn with Pillow so nothing is copied from anywhere.

Each motif is a simple, recognisable scene; the same name always draws the same picture, so
re-loading the demo finds the image it made before (by file hash) instead of adding another.
"""

import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800

PALETTES = {
    "winter": ((196, 214, 232), (238, 242, 247), (90, 104, 122), (245, 247, 250)),
    "summer": ((120, 170, 220), (214, 232, 246), (62, 110, 62), (110, 150, 80)),
    "dusk": ((58, 52, 96), (232, 140, 96), (40, 36, 56), (70, 60, 90)),
    "archive": ((186, 170, 140), (226, 214, 188), (96, 82, 62), (150, 132, 104)),
}


def _sky(draw, top, bottom):
    for y in range(HEIGHT):
        t = y / HEIGHT
        colour = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _hills(draw, rng, colour, base):
    points = [(0, HEIGHT)]
    for x in range(0, WIDTH + 100, 100):
        points.append((x, base + rng.randint(-60, 40)))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=colour)


def _train(draw, rng, y):
    draw.line([(0, y + 52), (WIDTH, y + 52)], fill=(40, 40, 40), width=6)
    x = rng.randint(80, 300)
    draw.rectangle([x, y - 40, x + 160, y + 40], fill=(30, 30, 30))
    draw.rectangle([x + 110, y - 90, x + 150, y - 40], fill=(30, 30, 30))
    for i in range(4):
        cx = x + 190 + i * 190
        draw.rectangle([cx, y - 30, cx + 170, y + 40], fill=(120, 40, 36))
        for w in range(3):
            draw.rectangle([cx + 15 + w * 52, y - 18, cx + 45 + w * 52, y + 4], fill=(235, 220, 150))
    for i in range(14):
        draw.ellipse([x + i * 60, y + 34, x + i * 60 + 26, y + 60], fill=(20, 20, 20))
    for i in range(6):
        r = 20 + i * 12
        draw.ellipse(
            [x + 120 - r + i * 30, y - 120 - i * 40 - r, x + 120 + r + i * 30, y - 120 - i * 40 + r],
            fill=(230, 230, 230),
        )


def _river(draw, rng, colour):
    draw.polygon([(0, 560), (WIDTH, 520), (WIDTH, 640), (0, 700)], fill=colour)
    for _ in range(30):
        x, y = rng.randint(0, WIDTH), rng.randint(560, 660)
        draw.line([(x, y), (x + 40, y - 2)], fill=(250, 250, 250), width=2)


def _skyline(draw, rng, colour, lit):
    x = 0
    while x < WIDTH:
        w, h = rng.randint(60, 140), rng.randint(120, 380)
        draw.rectangle([x, 600 - h, x + w, 600], fill=colour)
        for wy in range(600 - h + 20, 590, 36):
            for wx in range(x + 10, x + w - 20, 28):
                if rng.random() < 0.5:
                    draw.rectangle([wx, wy, wx + 14, wy + 18], fill=lit)
        x += w + rng.randint(4, 20)
    draw.rectangle([0, 600, WIDTH, HEIGHT], fill=tuple(max(c - 30, 0) for c in colour))


def _dome(draw, colour):
    draw.rectangle([420, 380, 780, 640], fill=colour)
    draw.pieslice([440, 200, 760, 520], 180, 360, fill=(170, 180, 190))
    for i in range(6):
        draw.rectangle([440 + i * 60, 460, 470 + i * 60, 640], fill=(235, 232, 220))


def _document(draw, rng):
    draw.rectangle([260, 60, 940, 760], fill=(240, 232, 210), outline=(120, 100, 70), width=4)
    y = 140
    while y < 700:
        x = 320
        while x < 880:
            w = rng.randint(30, 110)
            if x + w > 880:
                break
            draw.line([(x, y), (x + w, y)], fill=(70, 60, 50), width=5)
            x += w + 16
        y += 38
    draw.ellipse([720, 600, 860, 740], outline=(150, 40, 40), width=6)


def _trees(draw, rng, colour, count=18):
    for _ in range(count):
        x, base = rng.randint(0, WIDTH), rng.randint(560, 760)
        h = rng.randint(80, 200)
        draw.polygon([(x, base - h), (x - h // 4, base), (x + h // 4, base)], fill=colour)


def _birches(draw, rng):
    for _ in range(12):
        x = rng.randint(40, WIDTH - 40)
        draw.rectangle([x, 200, x + 18, 760], fill=(245, 245, 240))
        for y in range(220, 760, 50):
            draw.rectangle([x, y, x + 10, y + 8], fill=(30, 30, 30))
        draw.ellipse([x - 60, 120, x + 80, 300], fill=(140, 180, 80))


def _tram(draw, y):
    draw.line([(0, y + 90), (WIDTH, y + 90)], fill=(60, 60, 60), width=5)
    draw.line([(0, y - 200), (WIDTH, y - 200)], fill=(60, 60, 60), width=2)
    draw.rounded_rectangle([300, y - 100, 900, y + 80], radius=30, fill=(200, 60, 50))
    draw.line([(600, y - 100), (620, y - 200)], fill=(60, 60, 60), width=4)
    for i in range(6):
        draw.rectangle([330 + i * 95, y - 70, 400 + i * 95, y - 10], fill=(220, 235, 245))
    for x in (380, 480, 720, 820):
        draw.ellipse([x, y + 60, x + 40, y + 100], fill=(30, 30, 30))


def _crossing(draw):
    # A street in front of the skyline, its zebra stripes narrowing towards the far kerb.
    draw.polygon([(0, 620), (WIDTH, 620), (WIDTH, HEIGHT), (0, HEIGHT)], fill=(70, 72, 78))
    for i in range(7):
        near, far = 150 + i * 130, 330 + i * 80
        draw.polygon([(near, HEIGHT - 20), (near + 80, HEIGHT - 20), (far + 50, 636), (far, 636)], fill=(240, 240, 235))
    draw.rectangle([1080, 420, 1092, 640], fill=(50, 50, 55))
    draw.rectangle([1046, 380, 1126, 440], fill=(40, 110, 200))
    draw.polygon([(1086, 388), (1116, 432), (1056, 432)], fill=(250, 250, 250))


def _tractor(draw):
    draw.rectangle([380, 420, 700, 560], fill=(180, 40, 30))
    draw.rectangle([600, 320, 720, 440], fill=(60, 60, 70))
    draw.ellipse([380, 500, 560, 680], fill=(30, 30, 30))
    draw.ellipse([420, 540, 520, 640], fill=(150, 150, 150))
    draw.ellipse([640, 560, 740, 660], fill=(30, 30, 30))
    draw.rectangle([450, 340, 470, 420], fill=(50, 50, 50))


def _screen(draw):
    draw.rectangle([260, 160, 940, 540], fill=(250, 250, 240), outline=(40, 40, 40), width=8)
    for row in range(6):
        for i in range(10):
            draw.ellipse([220 + i * 80, 600 + row * 40, 260 + i * 80, 636 + row * 40], fill=(40, 30, 50))


MOTIFS = {
    "train": lambda d, r, p: (_hills(d, r, p[3], 560), _train(d, r, 520)),
    "river": lambda d, r, p: (_hills(d, r, p[3], 480), _river(d, r, (70, 110, 150)), _trees(d, r, p[2], 10)),
    "city": lambda d, r, p: _skyline(d, r, p[2], (250, 220, 120)),
    "dome": lambda d, r, p: (_skyline(d, r, p[2], (250, 220, 120)), _dome(d, (200, 190, 170))),
    "document": lambda d, r, p: _document(d, r),
    "forest": lambda d, r, p: (_hills(d, r, p[3], 520), _trees(d, r, p[2], 30)),
    "birches": lambda d, r, p: (_hills(d, r, p[3], 600), _birches(d, r)),
    "tram": lambda d, r, p: (_skyline(d, r, p[2], (250, 220, 120)), _tram(d, 560)),
    "tractor": lambda d, r, p: (_hills(d, r, p[3], 600), _tractor(d)),
    "crossing": lambda d, r, p: (_skyline(d, r, p[2], (250, 220, 120)), _crossing(d)),
    "cinema": lambda d, r, p: _screen(d),
    "ice": lambda d, r, p: (_hills(d, r, p[3], 460), _river(d, r, (225, 235, 245))),
}


def draw_picture(motif: str, palette: str, seed: int) -> bytes:
    """A JPEG of the motif in the palette; the same arguments always give the same bytes."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    pal = PALETTES[palette]
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, pal[0], pal[1])
    MOTIFS[motif](draw, rng, pal)
    if palette == "archive":
        image = image.convert("L").convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()
