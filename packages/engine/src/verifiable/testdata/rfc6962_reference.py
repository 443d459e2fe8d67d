#!/usr/bin/env python3
"""A second, independent RFC 6962 Merkle tree, written plainly from the RFC's recursive
definitions (standard library only), for the TypeScript tests to compare against.

Reads JSON on stdin: {"leaves": [hex...], "inclusion": [[m, n]...], "consistency": [[m, n]...]}
Writes JSON: {"roots": [hex root of the first n leaves, n = 0..len], "inclusion": [[hex...]...],
"consistency": [[hex...]...]}.
"""
import hashlib
import json
import sys


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    if len(d) == 0:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return leaf_hash(d[0])
    k = split(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m, d):
    if len(d) == 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = split(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def main():
    request = json.load(sys.stdin)
    leaves = [bytes.fromhex(leaf) for leaf in request["leaves"]]
    print(json.dumps({
        "roots": [mth(leaves[:n]).hex() for n in range(len(leaves) + 1)],
        "inclusion": [[h.hex() for h in path(m, leaves[:n])] for m, n in request["inclusion"]],
        "consistency": [[h.hex() for h in subproof(m, leaves[:n], True)] for m, n in request["consistency"]],
    }))


main()
