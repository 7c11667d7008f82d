/// Terminal column widths of Unicode scalars, the way a wcwidth-style terminal lays them out.
///
/// The data comes from `WidthTable.swift`, generated from the Unicode Character Database by
/// `gen-width-table.py` (see that file for the rules). Results match glibc's `wcwidth` in a
/// UTF-8 locale for every scalar both know about, except for the differences documented in
/// `DisplayWidthTests` (glibc 2.36 uses an older Unicode version).
///
/// Per scalar, no grapheme clustering: an emoji ZWJ sequence counts each emoji (as terminals
/// that follow wcwidth do), a base letter plus combining marks counts 1.
public enum DisplayWidth {
    /// Columns a scalar takes in a terminal: 0, 1 or 2. Control characters (C0, DEL, C1) return 0:
    /// callers must filter them before drawing. `ambiguousWide` treats East Asian Ambiguous as 2.
    @inlinable
    public static func of(_ scalar: Unicode.Scalar, ambiguousWide: Bool = false) -> Int {
        let v = scalar.value
        // Fast path: printable ASCII, no table search.
        if v &- 0x20 < 0x5F { return 1 }
        return _nonASCII(v, ambiguousWide: ambiguousWide)
    }

    /// Sum over the string's scalars.
    public static func of(_ string: String, ambiguousWide: Bool = false) -> Int {
        // Decode UTF-8 in place (Swift strings are always valid UTF-8): no allocation, and
        // runs of ASCII cost one compare per byte.
        if let total = string.utf8.withContiguousStorageIfAvailable({ bytes -> Int in
            sumUTF8(bytes, ambiguousWide: ambiguousWide)
        }) {
            return total
        }
        var total = 0
        for scalar in string.unicodeScalars {
            total &+= of(scalar, ambiguousWide: ambiguousWide)
        }
        return total
    }

    /// C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F).
    @inlinable
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v &- 0x7F) < 0x21
    }

    // MARK: - Implementation

    @usableFromInline
    static func _nonASCII(_ v: UInt32, ambiguousWide: Bool) -> Int {
        if v < 0x20 || (v &- 0x7F) < 0x21 { return 0 }  // control characters
        // Below the first zero-width or wide scalar only ambiguous ones can differ from 1.
        if v < WidthTable.firstZeroOrWide && !ambiguousWide { return 1 }
        // CJK Unified Ideographs, the bulk of Chinese text: wide as a whole block, assigned or
        // not (gen-width-table.py asserts this before writing the table).
        if v &- 0x4E00 < 0xA000 - 0x4E00 { return 2 }
        switch lookup(v) {
        case 0: return 0
        case 2: return 2
        case 3: return ambiguousWide ? 2 : 1
        default: return 1
        }
    }

    /// Class of `v` (0 zero, 1 normal, 2 wide, 3 ambiguous): binary search for the last
    /// segment starting at or before `v`.
    @inline(__always)
    static func lookup(_ v: UInt32) -> UInt32 {
        let key = v << 2 | 3
        return WidthTable.segments.withUnsafeBufferPointer { seg -> UInt32 in
            // Fixed-step search: `searchStep` is the largest power of two <= seg.count, a
            // compile-time constant, so an optimized build unrolls the loop (11 compares for
            // ~1300 segments, all within 5 KB). seg[0] == 0 << 2 | 1 <= every key.
            let step = WidthTable.searchStep
            var base = seg[seg.count &- step] <= key ? seg.count &- step : 0
            var half = step >> 1
            while half > 0 {
                base = seg[base &+ half] <= key ? base &+ half : base
                half >>= 1
            }
            return seg[base] & 3
        }
    }

    /// Width of valid UTF-8.
    static func sumUTF8(_ bytes: UnsafeBufferPointer<UInt8>, ambiguousWide: Bool) -> Int {
        var total = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = UInt32(bytes[i])
            if b0 < 0x80 {
                // ASCII: printable 1, controls (C0, DEL) 0.
                total &+= (b0 &- 0x20 < 0x5F) ? 1 : 0
                i &+= 1
                continue
            }
            let v: UInt32
            if b0 < 0xE0 {
                v = (b0 & 0x1F) << 6 | UInt32(bytes[i &+ 1] & 0x3F)
                i &+= 2
            } else if b0 < 0xF0 {
                v = (b0 & 0x0F) << 12 | UInt32(bytes[i &+ 1] & 0x3F) << 6
                    | UInt32(bytes[i &+ 2] & 0x3F)
                i &+= 3
            } else {
                v = (b0 & 0x07) << 18 | UInt32(bytes[i &+ 1] & 0x3F) << 12
                    | UInt32(bytes[i &+ 2] & 0x3F) << 6 | UInt32(bytes[i &+ 3] & 0x3F)
                i &+= 4
            }
            total &+= _nonASCII(v, ambiguousWide: ambiguousWide)
        }
        return total
    }
}
