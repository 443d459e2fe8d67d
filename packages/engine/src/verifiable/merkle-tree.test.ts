/**
 * The Merkle library against reference values (RFC 6962 test leaves, transparency-dev's
 * roots and its 196 proof probes), against a second implementation written plainly in
 * Python from the RFC's definitions, and by properties over random trees.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consistencyProof } from "./consistency-proof.js";
import { inclusionProof } from "./inclusion-proof.js";
import { LeafHashes } from "./leaf-hashes.js";
import { EMPTY_ROOT, leafHash } from "./merkle-hash.js";
import { rangeRoot } from "./range-root.js";
import { TreeHead } from "./tree-head.js";
import type { ProofCheck } from "./proof-check.js";
import { verifyConsistency, type ConsistencyClaim } from "./verify-consistency.js";
import { verifyInclusion, type InclusionClaim } from "./verify-inclusion.js";

/** RFC 6962's test leaves (transparency-dev testonly.LeafInputs), hex. */
const RFC_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
];
/** Roots of the first n of those leaves, n = 0..8 (transparency-dev testonly.RootHashes). */
const RFC_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

const PYTHON_REFERENCE = fileURLToPath(new URL("./testdata/rfc6962_reference.py", import.meta.url));

interface InclusionProbe {
  readonly file: string;
  readonly leafIdx: number;
  readonly treeSize: number;
  readonly root: string;
  readonly leafHash: string;
  readonly proof: readonly string[] | null;
  readonly wantErr: boolean;
}
interface ConsistencyProbe {
  readonly file: string;
  readonly size1: number;
  readonly size2: number;
  readonly root1: string;
  readonly root2: string;
  readonly proof: readonly string[] | null;
  readonly wantErr: boolean;
}
const probes = JSON.parse(
  readFileSync(new URL("./testdata/transparency-dev-proofs.json", import.meta.url), "utf8"),
) as {
  inclusion: InclusionProbe[];
  consistency: ConsistencyProbe[];
};

const b64 = (text: string): Buffer => Buffer.from(text, "base64");

function leavesOf(data: readonly Uint8Array[]): LeafHashes {
  const leaves = new LeafHashes();
  for (const item of data) leaves.push(leafHash(item));
  return leaves;
}

function headOf(data: readonly Uint8Array[]): TreeHead {
  const head = TreeHead.empty();
  for (const item of data) head.append(leafHash(item));
  return head;
}

function flipped(bytes: Uint8Array, byte: number, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[byte % copy.length] = (copy[byte % copy.length] as number) ^ (1 << bit);
  return copy;
}

interface PythonAnswer {
  roots: string[];
  inclusion: string[][];
  consistency: string[][];
}

function python(
  leaves: readonly Uint8Array[],
  inclusion: readonly [number, number][],
  consistency: readonly [number, number][],
): PythonAnswer {
  const input = JSON.stringify({
    leaves: leaves.map((leaf) => Buffer.from(leaf).toString("hex")),
    inclusion,
    consistency,
  });
  const run = spawnSync("python3", [PYTHON_REFERENCE], { input, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python3 reference failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonAnswer;
}

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((hash) => hash.toString("hex"));

/** Each probe of a kind with the verdict our verifier gives its claim. */
const probeVerdicts = {
  inclusion: () =>
    probes.inclusion.map((probe) => ({
      ...probe,
      check: verifyInclusion({
        leafIndex: probe.leafIdx,
        treeSize: probe.treeSize,
        leafHash: b64(probe.leafHash),
        root: b64(probe.root),
        proof: (probe.proof ?? []).map(b64),
      }),
    })),
  consistency: () =>
    probes.consistency.map((probe) => ({
      ...probe,
      check: verifyConsistency({
        oldSize: probe.size1,
        newSize: probe.size2,
        oldRoot: b64(probe.root1),
        newRoot: b64(probe.root2),
        proof: (probe.proof ?? []).map(b64),
      }),
    })),
};

/** Every inclusion proof (m of n) and consistency proof (m → n) equals the Python reference's. */
function expectProofsAsPython(
  leaves: LeafHashes,
  reference: PythonAnswer,
  pairs: readonly [number, number][],
  consistencyPairs: readonly [number, number][],
): void {
  pairs.forEach(([m, n], index) =>
    expect(hex(inclusionProof(leaves, m, n)), `inclusion ${m} of ${n}`).toEqual(
      reference.inclusion[index],
    ),
  );
  consistencyPairs.forEach(([m, n], index) =>
    expect(hex(consistencyProof(leaves, m, n)), `consistency ${m} → ${n}`).toEqual(
      reference.consistency[index],
    ),
  );
}

/** The true claim that leaf `index` of `data` is in the tree of its first `size` leaves. */
function inclusionClaimOf(
  data: readonly Uint8Array[],
  index: number,
  size: number,
): InclusionClaim {
  return {
    leafIndex: index,
    treeSize: size,
    leafHash: leafHash(data[index] as Uint8Array),
    root: headOf(data.slice(0, size)).root(),
    proof: inclusionProof(leavesOf(data), index, size),
  };
}

/** The true claim that the tree of `data`'s first `oldSize` leaves grew into the first `newSize`. */
function consistencyClaimOf(
  data: readonly Uint8Array[],
  oldSize: number,
  newSize: number,
): ConsistencyClaim {
  return {
    oldSize,
    newSize,
    oldRoot: headOf(data.slice(0, oldSize)).root(),
    newRoot: headOf(data.slice(0, newSize)).root(),
    proof: consistencyProof(leavesOf(data), oldSize, newSize),
  };
}

describe("RFC 6962 Merkle tree: reference values", () => {
  const data = RFC_LEAVES.map((leaf) => Buffer.from(leaf, "hex"));

  it("the tree head and the range root give the reference root at every size 0..8", () => {
    const head = TreeHead.empty();
    const leaves = leavesOf(data);
    expect(head.root().toString("hex")).toBe(RFC_ROOTS[0]);
    expect(EMPTY_ROOT.toString("hex")).toBe(RFC_ROOTS[0]);
    data.forEach((item, index) => {
      head.append(leafHash(item));
      expect(head.size).toBe(index + 1);
      expect(head.root().toString("hex"), `size ${index + 1}`).toBe(RFC_ROOTS[index + 1]);
      expect(rangeRoot(leaves, 0, index + 1).toString("hex")).toBe(RFC_ROOTS[index + 1]);
    });
  });

  it.each(["inclusion", "consistency"] as const)(
    "answers every transparency-dev %s probe as the reference does",
    (kind) => {
      const verdicts = probeVerdicts[kind]();
      expect(verdicts.length).toBeGreaterThan(90);
      for (const { file, wantErr, check } of verdicts)
        expect(check._tag, file).toBe(wantErr ? "Failed" : "Verified");
    },
  );

  it("builds the reference proofs of the happy-path probes", () => {
    const leaves = leavesOf(data);
    for (const probe of probes.inclusion.filter((item) => !item.wantErr)) {
      expect(
        inclusionProof(leaves, probe.leafIdx, probe.treeSize).map((hash) =>
          hash.toString("base64"),
        ),
        probe.file,
      ).toEqual(probe.proof ?? []);
    }
    for (const probe of probes.consistency.filter((item) => !item.wantErr && item.size1 > 0)) {
      expect(
        consistencyProof(leaves, probe.size1, probe.size2).map((hash) => hash.toString("base64")),
        probe.file,
      ).toEqual(probe.proof ?? []);
    }
  });
});

describe("RFC 6962 Merkle tree: against the plain Python implementation", () => {
  it("agrees on roots and every proof at 1, 2, 3, 7, 8 and 9 leaves", () => {
    const data = [
      ...RFC_LEAVES.map((leaf) => Buffer.from(leaf, "hex")),
      Buffer.from("a ninth leaf"),
    ];
    const pairs: [number, number][] = [];
    for (const n of [1, 2, 3, 7, 8, 9]) for (let m = 0; m < n; m += 1) pairs.push([m, n]);
    const consistencyPairs: [number, number][] = pairs
      .filter(([m]) => m > 0)
      .map(([m, n]) => [m, n]);
    const reference = python(data, pairs, consistencyPairs);
    const leaves = leavesOf(data);
    const head = TreeHead.empty();
    expect(reference.roots.slice(0, 9)).toEqual(RFC_ROOTS);
    data.forEach((item, index) => {
      head.append(leafHash(item));
      expect(head.root().toString("hex"), `size ${index + 1}`).toBe(reference.roots[index + 1]);
    });
    expectProofsAsPython(leaves, reference, pairs, consistencyPairs);
  });

  it("agrees on a random tree of a few hundred ledger-sized leaves", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 64 }), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.nat(),
        (data, a, b) => {
          const n = (a % data.length) + 1;
          const m = b % n;
          const reference = python(data, [[m, n]], m > 0 ? [[m, n]] : []);
          const leaves = leavesOf(data);
          expect(headOf(data).root().toString("hex")).toBe(reference.roots[data.length]);
          expect(rangeRoot(leaves, 0, n).toString("hex")).toBe(reference.roots[n]);
          expect(hex(inclusionProof(leaves, m, n))).toEqual(reference.inclusion[0]);
          if (m > 0) expect(hex(consistencyProof(leaves, m, n))).toEqual(reference.consistency[0]);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("RFC 6962 Merkle tree: the kept subtree roots (256 leaves and up)", () => {
  it("agree with the Python implementation on roots and proofs around the 256, 512 and 1024 boundaries", () => {
    const data = Array.from({ length: 1100 }, (_, index) => Buffer.from(`event ${index}`));
    const leaves = leavesOf(data);
    const head = TreeHead.empty();
    const pairs: [number, number][] = [
      [0, 256],
      [255, 257],
      [256, 511],
      [300, 512],
      [511, 513],
      [1023, 1024],
      [700, 1100],
      [1099, 1100],
    ];
    const consistencyPairs: [number, number][] = [
      [255, 256],
      [256, 257],
      [257, 1100],
      [512, 1024],
      [700, 1100],
      [1024, 1100],
    ];
    const reference = python(data, pairs, consistencyPairs);
    data.forEach((item, index) => {
      head.append(leafHash(item));
      expect(rangeRoot(leaves, 0, index + 1).toString("hex"), `size ${index + 1}`).toBe(
        reference.roots[index + 1],
      );
    });
    expect(head.root().toString("hex")).toBe(reference.roots[1100]);
    expectProofsAsPython(leaves, reference, pairs, consistencyPairs);
  });
});

describe("RFC 6962 Merkle tree: properties", () => {
  const tree = fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 160 });

  it("every inclusion and consistency proof verifies, for random sizes m ≤ n", () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat(), (payloads, a, b) => {
        const data = payloads.map((payload) => Buffer.from(payload, "utf8"));
        const n = (a % data.length) + 1;
        const m = (b % n) + 1;
        const inclusion = inclusionClaimOf(data, m - 1, n);
        // The leaf of a text payload is the leaf of its UTF-8 bytes.
        expect(leafHash(payloads[m - 1] as string)).toEqual(inclusion.leafHash);
        expect(verifyInclusion(inclusion)).toEqual({ _tag: "Verified" });
        expect(verifyConsistency(consistencyClaimOf(data, m, n))).toEqual({ _tag: "Verified" });
      }),
      { numRuns: 300 },
    );
  });

  it("flipping any bit of a proof, a leaf or a root makes verification fail", () => {
    fc.assert(
      fc.property(
        tree,
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom("proof", "leaf", "root", "old root"),
        (payloads, a, b, at, bit, target) => {
          const data = payloads.map((payload) => Buffer.from(payload, "utf8"));
          const n = (a % data.length) + 1;
          const m = (b % n) + 1;
          const inclusion = inclusionClaimOf(data, m - 1, n);
          const consistency = consistencyClaimOf(data, m, n);
          const bad = (hashes: readonly Uint8Array[]): Uint8Array[] =>
            hashes.map((hash, index) =>
              index === at % hashes.length ? flipped(hash, at, bit) : hash,
            );
          const expectFailed = (check: ProofCheck) => expect(check._tag).toBe("Failed");
          if (target === "proof" && inclusion.proof.length > 0)
            expectFailed(verifyInclusion({ ...inclusion, proof: bad(inclusion.proof) }));
          if (target === "proof" && consistency.proof.length > 0)
            expectFailed(verifyConsistency({ ...consistency, proof: bad(consistency.proof) }));
          if (target === "leaf") {
            const changed = flipped(
              data[m - 1]?.length === 0 ? Buffer.from([0]) : (data[m - 1] as Buffer),
              at,
              bit,
            );
            expectFailed(verifyInclusion({ ...inclusion, leafHash: leafHash(changed) }));
          }
          if (target === "root") {
            expectFailed(verifyInclusion({ ...inclusion, root: flipped(inclusion.root, at, bit) }));
            expectFailed(
              verifyConsistency({ ...consistency, newRoot: flipped(consistency.newRoot, at, bit) }),
            );
          }
          if (target === "old root")
            expectFailed(
              verifyConsistency({ ...consistency, oldRoot: flipped(consistency.oldRoot, at, bit) }),
            );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a proof for another index or size, or one hash short or long, does not verify", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.nat(), fc.nat(), (n, a, b) => {
        const data = Array.from({ length: n }, (_, index) => Buffer.from(`event ${index}`));
        const index = a % n;
        const other = (index + 1 + (b % (n - 1))) % n;
        const claim = inclusionClaimOf(data, index, n);
        expect(verifyInclusion({ ...claim, leafIndex: other })._tag).toBe("Failed");
        expect(verifyInclusion({ ...claim, proof: claim.proof.slice(1) })._tag).toBe("Failed");
        expect(verifyInclusion({ ...claim, proof: [...claim.proof, claim.root] })._tag).toBe(
          "Failed",
        );
      }),
      { numRuns: 200 },
    );
  });

  it("a frontier restored from its size and nodes continues the same tree", () => {
    const data = Array.from({ length: 37 }, (_, index) => Buffer.from(`leaf ${index}`));
    const whole = headOf(data);
    const half = headOf(data.slice(0, 20));
    const restored = TreeHead.restore(half.size, half.nodes);
    for (const item of data.slice(20)) restored.append(leafHash(item));
    expect(restored.root()).toEqual(whole.root());
    expect(whole.nodes).toHaveLength(3); // 37 = 32 + 4 + 1
    expect(() => TreeHead.restore(37, whole.nodes.slice(1))).toThrow(RangeError);
  });
});
