#!/usr/bin/env python3
"""Generate WidthTable.swift (terminal display-width ranges) from the Unicode Character Database.

Usage (from the repository root, after `apt-get install unicode-data`):

    python3 Sources/CockpitUI/gen-width-table.py [UCD_DIR] [OUTPUT]

UCD_DIR defaults to /usr/share/unicode, OUTPUT to WidthTable.swift next to this script.
Only the standard library is used.

Rules (the same as glibc's localedata/unicode-gen/utf8_gen.py, which produces wcwidth):
  * zero width: General_Category Mn, Me, Cf -- except U+00AD SOFT HYPHEN (width 1, like
    glibc) -- plus the conjoining Hangul Jungseong/Jongseong U+1160..U+11FF and
    U+D7B0..U+D7FF (Hangul Jamo Extended-B; glibc does the same: they join the preceding
    wide leading consonant into one 2-column syllable) and U+200B ZERO WIDTH SPACE;
  * wide: East_Asian_Width W or F, including the *unassigned* code points that
    EastAsianWidth.txt defaults to W (its `@missing` lines / header comment:
    U+3400..4DBF, 4E00..9FFF, F900..FAFF, 20000..2FFFD, 30000..3FFFD);
  * ambiguous: East_Asian_Width A (width 1 normally, 2 when the caller asks for it).
The three sets are made disjoint with the precedence zero > wide > ambiguous (for instance
U+0300..036F are Mn *and* EAW=A: they are zero; U+302A..302D are Mn *and* W: zero).
Control characters (C0, DEL, C1) are not in any table: DisplayWidth handles them in code.
"""

import os
import re
import sys

UCD = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "WidthTable.swift")

MAX_CP = 0x10FFFF

# Defaults documented by EastAsianWidth.txt for unlisted (unassigned) code points. Unicode
# 15.1+ writes them as `# @missing:` lines in EastAsianWidth.txt itself; 15.0 only has them
# as prose in the header and as `@missing` lines in extracted/DerivedEastAsianWidth.txt.
# Whatever we parse must agree with (at least contain) this list, or generation fails.
EXPECTED_WIDE_DEFAULTS = [
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0x20000, 0x2FFFD), (0x30000, 0x3FFFD),
]

LONG_EAW = {"Neutral": "N", "Ambiguous": "A", "Halfwidth": "H", "Wide": "W",
            "Fullwidth": "F", "Narrow": "Na"}


def parse_range(field):
    field = field.strip()
    if ".." in field:
        lo, hi = field.split("..")
        return int(lo, 16), int(hi, 16)
    cp = int(field, 16)
    return cp, cp


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def ucd_version(lines, name):
    m = re.match(r"#\s*%s-(\d+\.\d+\.\d+)\.txt" % re.escape(name), lines[0])
    if not m:
        sys.exit("cannot find the Unicode version in the first line of %s.txt" % name)
    return m.group(1)


def missing_defaults(lines):
    """`# @missing: LO..HI; VALUE` lines, as (lo, hi, short value)."""
    out = []
    for line in lines:
        m = re.match(r"#\s*@missing:\s*([0-9A-Fa-f.]+)\s*;\s*(\w+)", line)
        if m:
            lo, hi = parse_range(m.group(1))
            out.append((lo, hi, LONG_EAW.get(m.group(2), m.group(2))))
    return out


def east_asian_width():
    path = os.path.join(UCD, "EastAsianWidth.txt")
    lines = read_lines(path)
    version = ucd_version(lines, "EastAsianWidth")
    eaw = bytearray(b"N" * (MAX_CP + 1))  # one letter per code point: N A H W F or n (=Na)
    code = {"N": b"N", "A": b"A", "H": b"H", "W": b"W", "F": b"F", "Na": b"n"}

    defaults = missing_defaults(lines)
    derived = os.path.join(UCD, "extracted", "DerivedEastAsianWidth.txt")
    if not any(v == "W" for _, _, v in defaults) and os.path.exists(derived):
        defaults += missing_defaults(read_lines(derived))
    wide_defaults = sorted((lo, hi) for lo, hi, v in defaults if v == "W")
    for rng in EXPECTED_WIDE_DEFAULTS:
        if rng not in wide_defaults:
            wide_defaults.append(rng)  # 15.0 EastAsianWidth.txt: prose only; trust the prose
    # Apply defaults in file order (general first, then the specific W blocks).
    for lo, hi, v in sorted(defaults, key=lambda d: -(d[1] - d[0])):
        eaw[lo:hi + 1] = code[v] * (hi - lo + 1)
    for lo, hi in wide_defaults:
        eaw[lo:hi + 1] = b"W" * (hi - lo + 1)

    listed = 0
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        rng, value = line.split(";")
        lo, hi = parse_range(rng)
        eaw[lo:hi + 1] = code[value.strip()] * (hi - lo + 1)
        listed += 1
    if listed < 1000:
        sys.exit("EastAsianWidth.txt looks truncated (%d data lines)" % listed)
    return version, eaw, wide_defaults


def general_categories():
    """General_Category per code point ('Cn' for unassigned), from UnicodeData.txt."""
    gc = ["Cn"] * (MAX_CP + 1)
    first = None
    for line in read_lines(os.path.join(UCD, "UnicodeData.txt")):
        fields = line.split(";")
        cp = int(fields[0], 16)
        name, cat = fields[1], fields[2]
        if name.endswith(", First>"):
            first = cp
            continue
        if name.endswith(", Last>"):
            for c in range(first, cp + 1):
                gc[c] = cat
            first = None
            continue
        gc[cp] = cat
    return gc


def to_ranges(pred):
    """Sorted, merged, non-overlapping [lo, hi] ranges of code points satisfying pred."""
    ranges = []
    start = None
    for cp in range(MAX_CP + 2):
        inside = cp <= MAX_CP and pred(cp)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return ranges


def is_surrogate(cp):
    return 0xD800 <= cp <= 0xDFFF


def is_control(cp):
    return cp < 0x20 or 0x7F <= cp <= 0x9F


def main():
    version, eaw, wide_defaults = east_asian_width()
    udata_version = ucd_version(read_lines(os.path.join(UCD, "DerivedCoreProperties.txt")),
                                "DerivedCoreProperties")
    if udata_version != version:
        sys.exit("UCD files disagree on the version: %s vs %s" % (version, udata_version))
    gc = general_categories()

    def zero(cp):
        if is_control(cp) or is_surrogate(cp):
            return False
        if cp == 0x00AD:  # SOFT HYPHEN: Cf, but 1 column (glibc, and most terminals)
            return False
        return (gc[cp] in ("Mn", "Me", "Cf") or 0x1160 <= cp <= 0x11FF
                or 0xD7B0 <= cp <= 0xD7FF or cp == 0x200B)

    def wide(cp):
        return not zero(cp) and not is_surrogate(cp) and eaw[cp] in b"WF"

    def ambiguous(cp):
        return (not zero(cp) and not is_control(cp) and not is_surrogate(cp)
                and eaw[cp] == ord("A"))

    zero_r = to_ranges(zero)
    wide_r = to_ranges(wide)
    amb_r = to_ranges(ambiguous)

    # Sanity checks, so a broken input cannot silently produce a broken table.
    def member(ranges, cp):
        return any(lo <= cp <= hi for lo, hi in ranges)
    for cp in (0x4E0B, 0x533A, 0xAC00, 0xD55C, 0x3042, 0x30A2, 0xFF21, 0xFF0C, 0x1F600,
               0x3400, 0x9FFF, 0x2A6DF, 0x3FFFD):
        assert member(wide_r, cp), hex(cp)
    for cp in (0x0301, 0x200B, 0x1160, 0x11FF, 0xD7B0, 0xD7FB, 0xFE0F, 0x302A):
        assert member(zero_r, cp), hex(cp)
    for cp in (0x2500, 0x00A1, 0x25CF):
        assert member(amb_r, cp), hex(cp)
    for lo, hi in wide_defaults:
        for cp in range(lo, hi + 1):
            assert wide(cp) or zero(cp), hex(cp)
    assert not member(zero_r, 0x00AD) and not member(zero_r, 0x41)

    # One combined lookup table: the code space 0...10FFFF cut into segments of one class
    # each (0 zero, 1 normal, 2 wide, 3 ambiguous), stored as `start << 2 | class`, sorted.
    # The lookup is one binary search in one small array (4 bytes per entry).
    klass = {}
    for k, ranges in ((0, zero_r), (2, wide_r), (3, amb_r)):
        for lo, hi in ranges:
            klass[lo] = (hi, k)
    segments = []
    cp = 0
    for lo in sorted(klass):
        hi, k = klass[lo]
        assert lo >= cp, "overlap at %X" % lo
        if lo > cp:
            segments.append((cp, 1))
        segments.append((lo, k))
        cp = hi + 1
    if cp <= MAX_CP:
        segments.append((cp, 1))
    packed = []
    for start, k in segments:
        assert not packed or packed[-1] & 3 != k  # per-class ranges are already merged
        packed.append(start << 2 | k)
    assert packed[0] == 0 + 1 and packed == sorted(packed)
    seg_class = bytearray(MAX_CP + 1)
    for i, e in enumerate(packed):
        end = (packed[i + 1] >> 2) if i + 1 < len(packed) else MAX_CP + 1
        seg_class[e >> 2:end] = bytes([e & 3]) * (end - (e >> 2))
    for cp in range(MAX_CP + 1):  # the segments reproduce the tables exactly
        expect = 0 if zero(cp) else 2 if wide(cp) else 3 if ambiguous(cp) else 1
        assert seg_class[cp] == expect, hex(cp)
    # Fast paths in DisplayWidth.swift rely on these: below `firstZeroOrWide` every
    # non-control scalar is 1 column wide unless ambiguous, and the CJK Unified Ideographs
    # block U+4E00..U+9FFF is wide as a whole.
    assert all(seg_class[cp] == 2 for cp in range(0x4E00, 0xA000))
    first_zero_or_wide = min(zero_r[0][0], wide_r[0][0])

    def fmt_ranges(name, doc, ranges):
        out = ["    /// %s" % doc, "    /// %d ranges." % len(ranges),
               "    static let %s: [ClosedRange<UInt32>] = [" % name]
        row = []
        for lo, hi in ranges:
            row.append("0x%04X...0x%04X," % (lo, hi))
            if len(row) == 4:
                out.append("        " + " ".join(row))
                row = []
        if row:
            out.append("        " + " ".join(row))
        out.append("    ]")
        return out

    lines = [
        "// GENERATED FILE -- DO NOT EDIT.",
        "// Generated by `python3 Sources/CockpitUI/gen-width-table.py` (run from the repository",
        "// root) from the Unicode Character Database %s (Debian package `unicode-data`," % version,
        "// /usr/share/unicode: EastAsianWidth.txt, UnicodeData.txt).",
        "// Regenerate after updating unicode-data; see the script for the rules.",
        "//",
        "// Classes (disjoint; precedence zero > wide > ambiguous):",
        "//   zero      = General_Category Mn/Me/Cf except U+00AD, plus U+200B and the conjoining",
        "//               Hangul Jungseong/Jongseong U+1160..U+11FF and U+D7B0..U+D7FF",
        "//   wide      = East_Asian_Width W or F, including unassigned code points that",
        "//               EastAsianWidth.txt defaults to W (U+3400..4DBF, 4E00..9FFF, F900..FAFF,",
        "//               20000..2FFFD, 30000..3FFFD)",
        "//   ambiguous = East_Asian_Width A",
        "// Control characters (C0, DEL, C1) are in no table.",
        "",
        "enum WidthTable {",
        "    /// Unicode version the table was generated from.",
        "    static let unicodeVersion = \"%s\"" % version,
        "",
        "    /// Every scalar below this value that is not a control character and not in",
        "    /// `ambiguous` is 1 column wide.",
        "    static var firstZeroOrWide: UInt32 { 0x%04X }" % first_zero_or_wide,
        "",
    ]
    lines += fmt_ranges("zero", "Zero-width scalars.", zero_r) + [""]
    lines += fmt_ranges("wide", "Double-width scalars (not zero-width).", wide_r) + [""]
    lines += fmt_ranges("ambiguous", "East Asian Ambiguous scalars (neither zero nor wide).",
                        amb_r) + [""]
    lines += ["    /// Combined lookup table: 0...0x10FFFF cut into %d segments, each stored as" % len(packed),
              "    /// `firstScalar << 2 | class` (class 0 zero, 1 normal, 2 wide, 3 ambiguous), sorted.",
              "    /// A scalar's class is that of the last entry <= `scalar << 2 | 3`.",
              "    static let segments: [UInt32] = ["]
    step = 1
    while step * 2 <= len(packed):
        step *= 2
    for i in range(0, len(packed), 8):
        lines.append("        " + " ".join("0x%06X," % e for e in packed[i:i + 8]))
    lines += ["    ]", "",
              "    /// Largest power of two <= segments.count (first step of the binary search).",
              "    static var searchStep: Int { %d }" % step]
    lines += ["}", ""]

    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("wrote %s: Unicode %s, %d zero, %d wide, %d ambiguous ranges, %d segments"
          % (OUT, version, len(zero_r), len(wide_r), len(amb_r), len(packed)))


if __name__ == "__main__":
    main()
