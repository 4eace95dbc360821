"""Time spans: clipping, merging and splitting intervals by what covers them (leave, permits)."""


def merge(spans):
    """Sorted, non-overlapping union of (start, end) spans."""
    merged = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlap_seconds(start, end, spans):
    """Seconds of [start, end) that fall inside the union of *spans*."""
    total = 0.0
    for s, e in merge(spans):
        lo, hi = max(start, s), min(end, e)
        if lo < hi:
            total += (hi - lo).total_seconds()
    return total


def split_by_cover(start, end, covers):
    """Cut [start, end) at the edges of *covers*: a list of (start, end, covered) pieces in order."""
    pieces, cursor = [], start
    for s, e in merge(covers):
        if e <= cursor or s >= end:
            continue
        if s > cursor:
            pieces.append((cursor, s, False))
        lo, hi = max(s, cursor), min(e, end)
        pieces.append((lo, hi, True))
        cursor = hi
    if cursor < end:
        pieces.append((cursor, end, False))
    return pieces


def covers_whole(start, end, covers):
    """True when the union of *covers* contains all of [start, end)."""
    return all(covered for _, _, covered in split_by_cover(start, end, covers))
