"""Draws the installable app's icons (static/icons/): a white map pin and "JMU" on the theme's blue.

Run once when the design changes; the PNG files are committed. `python scripts/make_icons.py`
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BLUE = (10, 88, 202, 255)
WHITE = (255, 255, 255, 255)
ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"


def icon(size: int, path: Path, maskable: bool = False) -> None:
    img = Image.new("RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if not maskable:
        draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 5, fill=BLUE)
    side = size * (0.62 if maskable else 0.8)  # maskable icons keep their drawing in the middle 80 %
    offset = (size - side) / 2
    cx, top, rad = size / 2, offset + side * 0.05, side * 0.26
    draw.ellipse([cx - rad, top, cx + rad, top + 2 * rad], fill=WHITE)
    draw.polygon(
        [(cx - rad * 0.82, top + rad * 1.55), (cx + rad * 0.82, top + rad * 1.55), (cx, top + rad * 2.9)],
        fill=WHITE,
    )
    draw.ellipse([cx - rad * 0.42, top + rad * 0.58, cx + rad * 0.42, top + rad * 1.42], fill=BLUE)
    font = ImageFont.load_default(size=max(10, int(side * 0.2)))
    box = draw.textbbox((0, 0), "JMU", font=font)
    draw.text((cx - (box[2] - box[0]) / 2 - box[0], offset + side * 0.74), "JMU", font=font, fill=WHITE)
    img.save(path, optimize=True)


if __name__ == "__main__":
    ICONS.mkdir(exist_ok=True)
    icon(192, ICONS / "icon-192.png")
    icon(512, ICONS / "icon-512.png")
    icon(512, ICONS / "icon-maskable-512.png", maskable=True)
    icon(180, ICONS / "apple-touch-icon.png", maskable=True)
