// Packing of scrollback lines, done in C because it runs once per cell of every line that scrolls off the top:
// a flood of 16 MB pushes tens of millions of cells through here.
#ifndef NSLAB_LINE_PACK_H
#define NSLAB_LINE_PACK_H
#include <stdint.h>
#include <vterm.h>

/// One scrollback cell in 16 bytes. Colours are kind << 24 | value (kind 0 default, 1 indexed, 2 RGB). `bits`
/// holds TerminalKit's CellAttributes in the low 16 bits, the width in bits 16-17 and bit 20 when combining marks
/// follow the first scalar. The Swift side reads the same layout (Scrollback.swift).
typedef struct {
    uint32_t scalar;
    uint32_t fg;
    uint32_t bg;
    uint32_t bits;
} nslab_packed_cell;

/// Packs one colour.
static inline uint32_t nslab_pack_color(const VTermColor *_Nonnull color) {
    if (color->type & VTERM_COLOR_DEFAULT_MASK) return 0;
    if ((color->type & VTERM_COLOR_TYPE_MASK) == VTERM_COLOR_INDEXED) return 1u << 24 | color->indexed.idx;
    return 2u << 24 | (uint32_t)color->rgb.red << 16 | (uint32_t)color->rgb.green << 8 | color->rgb.blue;
}

/// Packs `cols` cells into `out` and returns how many remain after trimming trailing blanks without background
/// or reverse video. `*combining` becomes 1 when some kept cell has combining marks.
static inline int nslab_pack_line(const VTermScreenCell *_Nonnull cells, int cols, nslab_packed_cell *_Nonnull out,
                                  int *_Nonnull combining) {
    int used = 0;
    *combining = 0;
    for (int col = 0; col < cols; col++) {
        const VTermScreenCell *cell = &cells[col];
        nslab_packed_cell packed;
        packed.scalar = cell->chars[0];
        packed.fg = nslab_pack_color(&cell->fg);
        packed.bg = nslab_pack_color(&cell->bg);
        uint32_t bits = 0;
        if (cell->attrs.bold) bits |= 1u << 0;
        switch (cell->attrs.underline) {
        case 0: break;
        case 2: bits |= 1u << 1 | 1u << 7; break;
        case 3: bits |= 1u << 1 | 1u << 8; break;
        default: bits |= 1u << 1; break;
        }
        if (cell->attrs.italic) bits |= 1u << 2;
        if (cell->attrs.blink) bits |= 1u << 3;
        if (cell->attrs.reverse) bits |= 1u << 4;
        if (cell->attrs.strike) bits |= 1u << 5;
        bits |= (uint32_t)(cell->width == 2 ? 2 : 1) << 16;
        if (packed.scalar != 0 && packed.scalar != UINT32_MAX && cell->chars[1] != 0) {
            bits |= 1u << 20;
            *combining = 1;
        }
        packed.bits = bits;
        out[col] = packed;
        if (packed.scalar != 0 || packed.bg != 0 || (bits & (1u << 4))) used = col + 1;
    }
    return used;
}

#endif
