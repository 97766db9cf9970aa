import CVTerm

// libvterm calls back through C function pointers; the owning Terminal travels in the `user` pointer.
// The closures below capture nothing, which is what lets Swift pass them as C function pointers.

/// The Terminal behind a libvterm `user` pointer (unretained: the Terminal owns the VTerm, not the reverse).
private func owner(_ user: UnsafeMutableRawPointer?) -> Terminal {
    Unmanaged<Terminal>.fromOpaque(user!).takeUnretainedValue()
}

extension Terminal {
    /// Screen callbacks: damage, moves, properties, bell and the scrollback hooks.
    static func makeScreenCallbacks() -> VTermScreenCallbacks {
        VTermScreenCallbacks(
            damage: { rect, user in
                owner(user).markDamage(rect)
                return 1
            },
            moverect: { dest, _, user in
                // The renderer redraws from cells, so a moved block is simply damage at its destination.
                owner(user).markDamage(dest)
                return 1
            },
            movecursor: nil,
            settermprop: { prop, value, user in
                guard let value else { return 0 }
                owner(user).setProperty(prop, value)
                return 1
            },
            bell: { user in
                owner(user).bellCount &+= 1
                return 1
            },
            resize: nil,
            sb_pushline: { cols, cells, user in
                guard let cells, cols > 0 else { return 0 }
                owner(user).pushScrollback(cells, cols: Int(cols))
                return 1
            },
            sb_popline: { cols, cells, user in
                guard let cells, cols > 0 else { return 0 }
                return owner(user).popScrollback(into: cells, cols: Int(cols)) ? 1 : 0
            }
        )
    }

    /// The output callback: answers to queries and encoded input, bound for the pty.
    static let outputCallback: @convention(c) (UnsafePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Void = {
        bytes, length, user in
        guard let bytes, length > 0 else { return }
        owner(user).receiveOutput(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    func markDamage(_ rect: VTermRect) {
        damage.mark(
            rows: Int(rect.start_row)..<max(Int(rect.start_row), Int(rect.end_row)),
            cols: Int(rect.start_col)..<max(Int(rect.start_col), Int(rect.end_col)))
    }

    func setProperty(_ prop: VTermProp, _ value: UnsafeMutablePointer<VTermValue>) {
        switch prop {
        case VTERM_PROP_CURSORVISIBLE:
            cursorVisible = value.pointee.boolean != 0
        case VTERM_PROP_ALTSCREEN:
            isAltScreen = value.pointee.boolean != 0
            if isAltScreen && prompt.commandStart != nil { prompt.usedAlternateScreen = true }
            damage.markAll()
        case VTERM_PROP_REVERSE:
            isReverseVideo = value.pointee.boolean != 0
            damage.markAll()
        case VTERM_PROP_MOUSE:
            mouseMode = TerminalMouseMode(rawValue: Int(value.pointee.number)) ?? .none
        case VTERM_PROP_TITLE:
            var length = 0
            if let bytes = nslab_value_string(value, &length) {
                let kept = min(length, Terminal.maximumTitleBytes)
                let buffer = UnsafeRawBufferPointer(start: bytes, count: kept)
                // Invalid UTF-8 in a title is repaired, never trusted.
                title = String(decoding: buffer, as: UTF8.self)
            }
        default:
            break
        }
    }

    func pushScrollback(_ cells: UnsafePointer<VTermScreenCell>, cols: Int) {
        if prompt.commandStart != nil { captureScrolledRow(cells, cols: cols) }
        linesPushed += 1
        guard scrollback.capacity > 0 else { return }
        // libvterm never pushes more columns than the screen has, and the screen is at most maximumSize wide.
        scrollback.push(PackedLine(vterm: cells, cols: min(cols, Terminal.maximumSize), scratch: packScratch))
        // Keep a scrolled-back view on the same lines while new ones arrive underneath.
        if scrollOffset > 0 { scrollOffset = min(scrollOffset + 1, scrollback.count) }
    }

    func popScrollback(into cells: UnsafeMutablePointer<VTermScreenCell>, cols: Int) -> Bool {
        guard let line = scrollback.popNewest() else { return false }
        linesPushed -= 1
        var defaultFg = VTermColor()
        var defaultBg = VTermColor()
        vterm_state_get_default_colors(state, &defaultFg, &defaultBg)
        line.unpack(into: cells, cols: cols, defaultFg: defaultFg, defaultBg: defaultBg)
        return true
    }
}
