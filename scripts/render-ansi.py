#!/usr/bin/python3
"""Draws a terminal capture (tmux capture-pane -e -p: text with SGR colour sequences) as a PNG.

usage: render-ansi.py CAPTURE.txt OUT.png COLUMNS ROWS

Each cell is drawn with DejaVu Sans Mono (Debian's fonts-dejavu-core) by Pillow (python3-pil), in the xterm
palette, so the picture shows what a terminal of that size showed. Only SGR is understood, which is all that
capture-pane -e emits: colours (16, 256 and direct), bold, dim, italic, underline, reverse.
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONT_SIZE = 15
DEFAULT_FG = (0xD0, 0xD0, 0xD0)
DEFAULT_BG = (0x12, 0x12, 0x12)
BASE16 = [
    (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
]


def palette(index):
    """The xterm 256-colour palette: 16 base colours, a 6x6x6 cube, 24 greys."""
    if index < 16:
        return BASE16[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[index // 36], steps[index // 6 % 6], steps[index % 6])
    grey = 8 + (index - 232) * 10
    return (grey, grey, grey)


class Pen:
    """The current SGR state."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def apply(self, params):
        values = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(values):
            v = values[i]
            if v == 0:
                self.reset()
            elif v == 1:
                self.bold = True
            elif v == 2:
                self.dim = True
            elif v == 3:
                self.italic = True
            elif v == 4:
                self.underline = True
            elif v == 7:
                self.reverse = True
            elif v == 22:
                self.bold = self.dim = False
            elif v == 23:
                self.italic = False
            elif v == 24:
                self.underline = False
            elif v == 27:
                self.reverse = False
            elif 30 <= v <= 37:
                self.fg = palette(v - 30)
            elif 90 <= v <= 97:
                self.fg = palette(v - 90 + 8)
            elif 40 <= v <= 47:
                self.bg = palette(v - 40)
            elif 100 <= v <= 107:
                self.bg = palette(v - 100 + 8)
            elif v == 39:
                self.fg = None
            elif v == 49:
                self.bg = None
            elif v in (38, 48) and i + 1 < len(values):
                if values[i + 1] == 5 and i + 2 < len(values):
                    colour = palette(values[i + 2])
                    i += 2
                elif values[i + 1] == 2 and i + 4 < len(values):
                    colour = tuple(values[i + 2 : i + 5])
                    i += 4
                else:
                    colour = None
                if v == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        fg = self.fg or DEFAULT_FG
        bg = self.bg or DEFAULT_BG
        if self.bold and self.fg in BASE16[:8]:
            fg = BASE16[BASE16.index(self.fg) + 8]
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        return fg, bg


SGR = re.compile(r"\x1b\[([0-9;]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|.)")


def main():
    capture, out, columns, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    fonts = {
        (False, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", FONT_SIZE),
        (True, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", FONT_SIZE),
        (False, True): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Oblique.ttf", FONT_SIZE),
        (True, True): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-BoldOblique.ttf", FONT_SIZE),
    }
    regular = fonts[(False, False)]
    cell_w = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    cell_h = ascent + descent
    margin = 8
    image = Image.new("RGB", (columns * cell_w + 2 * margin, rows * cell_h + 2 * margin), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    text = open(capture, encoding="utf-8", errors="replace").read()
    pen = Pen()
    for row, line in enumerate(text.split("\n")[:rows]):
        column = 0
        position = 0
        while position < len(line) and column < columns:
            if line[position] == "\x1b":
                match = SGR.match(line, position)
                if match:
                    pen.apply(match.group(1))
                    position = match.end()
                    continue
                match = OTHER_ESCAPE.match(line, position)
                position = match.end() if match else position + 1
                continue
            char = line[position]
            position += 1
            fg, bg = pen.colours()
            width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
            x, y = margin + column * cell_w, margin + row * cell_h
            draw.rectangle([x, y, x + width * cell_w - 1, y + cell_h - 1], fill=bg)
            if char != " ":
                draw.text((x, y), char, font=fonts[(pen.bold, pen.italic)], fill=fg)
            if pen.underline:
                draw.line([x, y + ascent + 2, x + width * cell_w - 1, y + ascent + 2], fill=fg)
            column += width
        # The rest of the row keeps the background the line ended with, as a terminal erases it.
        fg, bg = pen.colours()
        if column < columns and bg != DEFAULT_BG:
            x, y = margin + column * cell_w, margin + row * cell_h
            draw.rectangle([x, y, margin + columns * cell_w - 1, y + cell_h - 1], fill=bg)
    image.save(out, optimize=True)


if __name__ == "__main__":
    main()
