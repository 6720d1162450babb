#!/usr/bin/env python3
"""Attributes the code bytes of a .wasm (built with names, e.g. before wasm-opt) to crates.

Usage: python3 benches/wasm/wasm-sizes.py path/to/module.wasm [TOP]
Prints the largest crates and functions by body size (a poor man's twiggy, no install needed).
"""
import sys, re, collections

def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i

def demangle(n):
    if n.startswith("_ZN"):
        parts, i = [], 3
        while i < len(n) and n[i].isdigit():
            j = i
            while n[j].isdigit(): j += 1
            k = int(n[i:j]); parts.append(n[j:j+k]); i = j + k
        return "::".join(p for p in parts if not re.fullmatch(r"h[0-9a-f]{16}", p))
    return n

def main():
    b = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    i, imports, sizes, names, data = 8, 0, [], {}, 0
    while i < len(b):
        sid = b[i]; i += 1
        ln, i = leb(b, i); end = i + ln
        if sid == 2:
            n, j = leb(b, i)
            for _ in range(n):
                for _ in range(2):
                    l, j = leb(b, j); j += l
                kind = b[j]; j += 1
                if kind == 0: _, j = leb(b, j); imports += 1
                elif kind == 1: j += 1; f, j = leb(b, j); _, j = leb(b, j); j = j if not f & 1 else leb(b, j)[1]
                elif kind == 2: f, j = leb(b, j); _, j = leb(b, j); j = j if not f & 1 else leb(b, j)[1]
                elif kind == 3: j += 2
        elif sid == 10:
            n, j = leb(b, i)
            for _ in range(n):
                l, j = leb(b, j); sizes.append(l); j += l
        elif sid == 11:
            data = ln
        elif sid == 0:
            l, j = leb(b, i); nm = b[j:j+l].decode(); j += l
            if nm == "name":
                while j < end:
                    sub = b[j]; j += 1; sl, j = leb(b, j); se = j + sl
                    if sub == 1:
                        n, j = leb(b, j)
                        for _ in range(n):
                            idx, j = leb(b, j); l, j = leb(b, j); names[idx] = b[j:j+l].decode(errors="replace"); j += l
                    j = se
        i = end
    crates, funcs = collections.Counter(), []
    for k, s in enumerate(sizes):
        name = demangle(names.get(k + imports, f"func{k}"))
        m = re.match(r"<?(?:&(?:mut )?)?([A-Za-z_][A-Za-z0-9_]*)", name)
        crates[m.group(1) if m else "?"] += s
        funcs.append((s, name))
    total = sum(sizes)
    print(f"file {len(b)} bytes; code {total} bytes in {len(sizes)} functions; data {data} bytes")
    print("by crate (first path segment):")
    for c, s in crates.most_common(top):
        print(f"  {s:>9}  {100*s/total:5.1f}%  {c}")
    print("largest functions:")
    for s, n in sorted(funcs, reverse=True)[:top]:
        print(f"  {s:>9}  {n[:140]}")

main()
