/**
 * A structured decode failure: the path to each offending field and what was expected,
 * so an embedding service can point at the field and an auditor at the byte.
 */
import type * as t from "io-ts";

export interface DecodeIssue {
  /** Dotted path from the root (`command.amount.amount`); empty for the root itself. */
  readonly path: string;
  readonly expected: string;
  readonly actual: unknown;
}

export interface DecodeFailure {
  readonly _tag: "DecodeFailure";
  readonly what: string;
  readonly issues: readonly DecodeIssue[];
}

export function decodeFailure(what: string, errors: t.Errors): DecodeFailure {
  return { _tag: "DecodeFailure", what, issues: errors.map(toIssue) };
}

/**
 * Keys that are not in the JSON document: the index of the member an intersection or union
 * tried (`0` in `0.command.amount`). A numeric key is kept only under a type that indexes
 * JSON by it: arrays and tuples (`postings.1.account`), objects and records.
 */
const JSON_CONTAINERS: ReadonlySet<string> = new Set([
  "ArrayType",
  "ReadonlyArrayType",
  "TupleType",
  "InterfaceType",
  "PartialType",
  "StrictType",
  "ExactType",
  "DictionaryType",
]);

function isMemberIndex(context: t.Context, index: number): boolean {
  const entry = context[index];
  if (entry === undefined || !/^\d+$/.test(entry.key)) return false;
  const parent = context[index - 1]?.type as { readonly _tag?: string } | undefined;
  return !JSON_CONTAINERS.has(parent?._tag ?? "");
}

function toIssue(error: t.ValidationError): DecodeIssue {
  const keys = error.context
    .filter((entry, index) => entry.key !== "" && !isMemberIndex(error.context, index))
    .map((entry) => entry.key);
  const last = error.context[error.context.length - 1];
  return {
    path: keys.join("."),
    expected: error.message ?? last?.type.name ?? "a valid value",
    actual: error.value,
  };
}

export function describeDecodeFailure(failure: DecodeFailure): string {
  const lines = failure.issues.map(
    (issue) =>
      `  ${issue.path === "" ? "(root)" : issue.path}: expected ${issue.expected}, got ${JSON.stringify(issue.actual) ?? "undefined"}`,
  );
  return [`cannot decode ${failure.what}:`, ...lines].join("\n");
}
