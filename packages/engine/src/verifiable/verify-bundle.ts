/**
 * The offline verifier: checks a proof bundle with nothing but the bundle, the ledger's
 * verifier key and (for a consistency proof, or to pin an inclusion proof) the checkpoint the
 * verifier already trusts. No store, no ledger.
 *
 * - inclusion: the checkpoint's signature, then the event's leaf up the audit path to the
 *   checkpoint's root, and that the event's own sequence is its position.
 * - consistency: both checkpoints' signatures, same origin, then the proof from the trusted
 *   (old) root to the new one.
 * - statement: the checkpoint, every line's inclusion proof, and every line's figures
 *   recomputed from its event's postings. What a statement cannot show is that no line was
 *   left out, nor the running balances, which depend on the whole history.
 */
import {
  formatAmount,
  iso4217,
  lookupCurrency,
  WalletHistory,
  type CurrencyRegistry,
} from "@pacioli/core";
import { decodeEntry } from "../journal/journal-codec.js";
import type { Position } from "../store/event-store.js";
import { openCheckpoint, type Checkpoint } from "./checkpoint.js";
import { leafHash } from "./merkle-hash.js";
import type { NoteVerifier } from "./note-key.js";
import type {
  ConsistencyBundle,
  InclusionBundle,
  ProofBundle,
  StatementBundle,
} from "./proof-bundle.js";
import { strictBase64 } from "./strict-base64.js";
import { verifyConsistency } from "./verify-consistency.js";
import { verifyInclusion } from "./verify-inclusion.js";

export type BundleCheck =
  | { readonly _tag: "Verified"; readonly checkpoint: Checkpoint; readonly summary: string }
  | {
      readonly _tag: "Failed";
      readonly reason: string;
      /** 1-based sequence the failure is about, when there is one. */ readonly position?: number;
    };

export function verifyBundle(
  bundle: ProofBundle,
  verifier: NoteVerifier,
  trusted?: Checkpoint,
  registry: CurrencyRegistry = iso4217,
): BundleCheck {
  const opened = openCheckpoint(bundle.checkpoint, verifier);
  if (opened._tag === "Rejected")
    return { _tag: "Failed", reason: `the proof's checkpoint: ${opened.reason}` };
  const checkpoint = opened.checkpoint;
  switch (bundle.type) {
    case "inclusion":
      return pinned(checkpoint, trusted) ?? inclusion(bundle, checkpoint);
    case "consistency":
      return consistency(bundle, checkpoint, trusted);
    case "statement":
      return pinned(checkpoint, trusted) ?? statement(bundle, checkpoint, registry);
  }
}

/** A trusted checkpoint given for an inclusion proof must be the one the proof leads to. */
function pinned(checkpoint: Checkpoint, trusted: Checkpoint | undefined): BundleCheck | undefined {
  if (trusted === undefined) return undefined;
  if (trusted.origin !== checkpoint.origin)
    return {
      _tag: "Failed",
      reason: `the proof is for log ${checkpoint.origin}, your checkpoint for ${trusted.origin}`,
    };
  if (trusted.size !== checkpoint.size)
    return {
      _tag: "Failed",
      reason: `the proof leads to the tree of ${checkpoint.size} events, your checkpoint is of ${trusted.size}: ask for a consistency proof between them too`,
    };
  if (!trusted.root.equals(checkpoint.root))
    return {
      _tag: "Failed",
      reason: `your checkpoint and the proof's have the same size ${trusted.size} and different roots: the ledger was rewritten (a fork)`,
    };
  return undefined;
}

function inclusion(bundle: InclusionBundle, checkpoint: Checkpoint): BundleCheck {
  const proof = decodeHashes(bundle.proof);
  if (proof === undefined)
    return {
      _tag: "Failed",
      reason: "the proof's hashes are not base64",
      position: bundle.sequence,
    };
  if (bundle.treeSize !== checkpoint.size)
    return {
      _tag: "Failed",
      reason: `the proof is for a tree of ${bundle.treeSize}, its checkpoint is of ${checkpoint.size}`,
    };
  const check = verifyInclusion({
    leafIndex: bundle.sequence - 1,
    treeSize: bundle.treeSize,
    leafHash: leafHash(bundle.event),
    proof,
    root: checkpoint.root,
  });
  if (check._tag === "Failed")
    return {
      _tag: "Failed",
      reason: `event ${bundle.sequence} is not in the ledger as given: ${check.reason}`,
      position: bundle.sequence,
    };
  const ownSequence = sequenceOf(bundle.event);
  if (ownSequence !== bundle.sequence)
    return {
      _tag: "Failed",
      reason: `the event at position ${bundle.sequence} says it is sequence ${String(ownSequence)}`,
      position: bundle.sequence,
    };
  return {
    _tag: "Verified",
    checkpoint,
    summary: `event ${bundle.sequence} is in the ledger ${checkpoint.origin} of ${checkpoint.size} events`,
  };
}

function consistency(
  bundle: ConsistencyBundle,
  checkpoint: Checkpoint,
  trusted: Checkpoint | undefined,
): BundleCheck {
  if (trusted === undefined)
    return {
      _tag: "Failed",
      reason:
        "a consistency proof is checked against the checkpoint you trust: give it (--checkpoint)",
    };
  if (trusted.origin !== checkpoint.origin)
    return {
      _tag: "Failed",
      reason: `the proof is for log ${checkpoint.origin}, your checkpoint for ${trusted.origin}`,
    };
  if (bundle.oldSize !== trusted.size || bundle.newSize !== checkpoint.size) {
    return {
      _tag: "Failed",
      reason: `the proof is from ${bundle.oldSize} to ${bundle.newSize} events, the checkpoints are of ${trusted.size} and ${checkpoint.size}`,
    };
  }
  if (checkpoint.size < trusted.size)
    return {
      _tag: "Failed",
      reason: `the ledger has ${checkpoint.size} events, your checkpoint ${trusted.size}: events ${checkpoint.size + 1}..${trusted.size} were removed`,
      position: checkpoint.size + 1,
    };
  const proof = decodeHashes(bundle.proof);
  if (proof === undefined) return { _tag: "Failed", reason: "the proof's hashes are not base64" };
  const check = verifyConsistency({
    oldSize: trusted.size,
    newSize: checkpoint.size,
    oldRoot: trusted.root,
    newRoot: checkpoint.root,
    proof,
  });
  if (check._tag === "Failed")
    return {
      _tag: "Failed",
      reason: `the ledger does not extend your checkpoint: ${check.reason}`,
    };
  return {
    _tag: "Verified",
    checkpoint,
    summary: `the ledger ${checkpoint.origin} of ${checkpoint.size} events extends your checkpoint of ${trusted.size} without changing it`,
  };
}

function statement(
  bundle: StatementBundle,
  checkpoint: Checkpoint,
  registry: CurrencyRegistry,
): BundleCheck {
  if (bundle.treeSize !== checkpoint.size)
    return {
      _tag: "Failed",
      reason: `the statement is for a tree of ${bundle.treeSize}, its checkpoint is of ${checkpoint.size}`,
    };
  for (const line of bundle.lines) {
    const check = inclusion(
      {
        format: bundle.format,
        type: "inclusion",
        sequence: line.sequence,
        treeSize: bundle.treeSize,
        event: line.event,
        proof: line.proof,
        checkpoint: bundle.checkpoint,
      },
      checkpoint,
    );
    if (check._tag === "Failed") return check;
    const figures = recomputedLine(
      bundle.wallet,
      line.event,
      line.sequence,
      line.currency,
      registry,
    );
    const stated = `${line.type} ${line.availableChange} ${line.heldChange}`;
    if (figures !== stated)
      return {
        _tag: "Failed",
        reason: `line ${line.sequence} says ${stated}, its event says ${figures ?? "nothing for this wallet"}`,
        position: line.sequence,
      };
  }
  return {
    _tag: "Verified",
    checkpoint,
    summary: `${bundle.lines.length} lines of wallet ${bundle.wallet}, each event in the ledger ${checkpoint.origin} of ${checkpoint.size} events`,
  };
}

/** The wallet's change in one currency as the event's postings say: "type available held". */
function recomputedLine(
  wallet: string,
  payload: string,
  sequence: number,
  currency: string,
  registry: CurrencyRegistry,
): string | undefined {
  let recorded;
  try {
    recorded = decodeEntry(registry, {
      payload,
      eventId: "",
      type: "",
      stream: "",
      streamIndex: sequence - 1,
      position: "" as Position,
    }).recorded;
  } catch {
    return undefined;
  }
  const history = new WalletHistory();
  history.apply(recorded);
  const line = history
    .page(wallet, { limit: 1000 })
    .lines.find((candidate) => candidate.currency === currency);
  const found = lookupCurrency(registry, currency);
  if (line === undefined || found._tag === "Left") return undefined;
  return `${line.type} ${formatAmount(line.availableChange, found.right)} ${formatAmount(line.heldChange, found.right)}`;
}

function sequenceOf(payload: string): unknown {
  try {
    const parsed = JSON.parse(payload) as { record?: { sequence?: unknown } };
    return parsed.record?.sequence;
  } catch {
    return undefined;
  }
}

function decodeHashes(hashes: readonly string[]): Buffer[] | undefined {
  const decoded = hashes.map(strictBase64);
  return decoded.every((hash): hash is Buffer => hash !== undefined) ? decoded : undefined;
}
