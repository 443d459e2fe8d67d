/**
 * Query-string values, checked strictly: an integer is digits only ("20", not "2e1" or
 * " 20"), within its bounds. A value out of shape is a 400 naming the parameter.
 */
export type QueryValue<T> =
  { readonly _tag: "Ok"; readonly value: T } | { readonly _tag: "Bad"; readonly message: string };

export function integerParameter(
  query: unknown,
  name: string,
  minimum: number,
  maximum: number,
  fallback: number | undefined,
): QueryValue<number | undefined> {
  const raw = parameterText(query, name);
  if (raw === undefined) return { _tag: "Ok", value: fallback };
  if (!/^[0-9]{1,15}$/.test(raw))
    return { _tag: "Bad", message: `${name} must be an integer from ${minimum} to ${maximum}` };
  const value = Number(raw);
  if (value < minimum || value > maximum)
    return { _tag: "Bad", message: `${name} must be an integer from ${minimum} to ${maximum}` };
  return { _tag: "Ok", value };
}

/** A history page: `limit` (1 to `limitMax`, `limitDefault` when absent) and `cursor` (`before`). */
export function pageParameters(
  query: unknown,
  limitMax: number,
  limitDefault: number,
): QueryValue<{ readonly limit: number; readonly before?: number }> {
  const limit = integerParameter(query, "limit", 1, limitMax, limitDefault);
  if (limit._tag === "Bad") return limit;
  const cursor = integerParameter(query, "cursor", 1, Number.MAX_SAFE_INTEGER, undefined);
  if (cursor._tag === "Bad") return cursor;
  return {
    _tag: "Ok",
    value: {
      limit: limit.value ?? limitDefault,
      ...(cursor.value === undefined ? {} : { before: cursor.value }),
    },
  };
}

export function textParameter(
  query: unknown,
  name: string,
  pattern: RegExp,
  expected: string,
): QueryValue<string | undefined> {
  const raw = parameterText(query, name);
  if (raw === undefined) return { _tag: "Ok", value: undefined };
  return pattern.test(raw)
    ? { _tag: "Ok", value: raw }
    : { _tag: "Bad", message: `${name} must be ${expected}` };
}

/** A parameter given twice (`?limit=1&limit=2`) is an array: refused rather than guessed. */
function parameterText(query: unknown, name: string): string | undefined {
  if (typeof query !== "object" || query === null) return undefined;
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : "\u0000"; // matches no pattern: reported as bad
}
