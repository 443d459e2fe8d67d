/**
 * Strict requests: a field the API does not know is refused, never dropped. io-ts `t.type`
 * ignores extra keys, so a misspelt optional field (`metdata`, `finale`) would otherwise vanish
 * silently and the command would mean something the caller did not say.
 *
 * `strict(codec)` decodes as `codec` does, then walks the input alongside the codec's
 * structure (objects, partials, intersections, arrays, tuples, unions, refinements) and
 * reports every key no member declares, with its path (`command.metdata`). Custom codecs are
 * leaves: the money codec checks its own two fields; records (`metadata`) take any key.
 * Only requests are strict; stored events are decoded as written.
 */
import * as t from "io-ts";

type Walkable =
  | t.InterfaceType<t.Props>
  | t.PartialType<t.Props>
  | t.StrictType<t.Props>
  | t.ExactType<t.Mixed>
  | t.IntersectionType<t.Mixed[]>
  | t.UnionType<t.Mixed[]>
  | t.ArrayType<t.Mixed>
  | t.ReadonlyArrayType<t.Mixed>
  | t.TupleType<t.Mixed[]>
  | t.RefinementType<t.Mixed>
  | t.ReadonlyType<t.Mixed>;

const WALKABLE: ReadonlySet<string> = new Set([
  "InterfaceType",
  "PartialType",
  "StrictType",
  "ExactType",
  "IntersectionType",
  "UnionType",
  "ArrayType",
  "ReadonlyArrayType",
  "TupleType",
  "RefinementType",
  "ReadonlyType",
]);

const asWalkable = (codec: t.Mixed): Walkable | undefined => {
  const tag = (codec as { readonly _tag?: string })._tag;
  return tag !== undefined && WALKABLE.has(tag) ? (codec as Walkable) : undefined;
};

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/** The declared fields of an object-shaped codec (members of an intersection together); undefined for other codecs. */
function objectProps(codec: t.Mixed): t.Props | undefined {
  const walkable = asWalkable(codec);
  if (walkable === undefined) return undefined;
  switch (walkable._tag) {
    case "InterfaceType":
    case "PartialType":
    case "StrictType":
      return walkable.props;
    case "ExactType":
    case "ReadonlyType":
      return objectProps(walkable.type);
    case "IntersectionType": {
      const members = walkable.types.map(objectProps);
      if (members.some((props) => props === undefined)) return undefined;
      return Object.assign({}, ...members) as t.Props;
    }
    default:
      return undefined;
  }
}

/** The field names an object-shaped codec declares (required and optional); none for other codecs. */
export const declaredFields = (codec: t.Mixed): string[] => Object.keys(objectProps(codec) ?? {});

function walk(
  codec: t.Mixed,
  value: unknown,
  context: t.Context,
  errors: t.ValidationError[],
): void {
  const props = objectProps(codec);
  if (props !== undefined) {
    if (!isRecord(value)) return;
    for (const [key, field] of Object.entries(value)) {
      const fieldCodec = props[key];
      const at = t.appendContext(context, key, fieldCodec ?? t.unknown, field);
      if (fieldCodec === undefined)
        errors.push({
          value: field,
          context: at,
          message: `no field named "${key}" here (known fields: ${Object.keys(props).join(", ")})`,
        });
      else walk(fieldCodec, field, at, errors);
    }
    return;
  }
  const walkable = asWalkable(codec);
  if (walkable === undefined) return;
  switch (walkable._tag) {
    case "ArrayType":
    case "ReadonlyArrayType":
      if (Array.isArray(value))
        value.forEach((item, index) =>
          walk(
            walkable.type,
            item,
            t.appendContext(context, String(index), walkable.type, item),
            errors,
          ),
        );
      return;
    case "TupleType":
      if (Array.isArray(value))
        walkable.types.forEach((member, index) =>
          walk(
            member,
            value[index],
            t.appendContext(context, String(index), member, value[index]),
            errors,
          ),
        );
      return;
    case "UnionType": {
      // The member the value decodes as is the one whose fields it must keep to.
      const member = walkable.types.find(
        (candidate) => candidate.validate(value, context)._tag === "Right",
      );
      if (member !== undefined) walk(member, value, context, errors);
      return;
    }
    case "RefinementType":
    case "ReadonlyType":
    case "ExactType":
      walk(walkable.type, value, context, errors);
      return;
    default:
      return;
  }
}

/**
 * `codec` with another `validate`, keeping its class and fields (`_tag`, `props`, `types`,
 * `name`), so tools that read a codec's structure (the server's OpenAPI generator) see the
 * same shape. io-ts binds `decode` to the instance: it is rebound to the copy.
 */
export function withValidate<C extends t.Any>(
  codec: C,
  validate: (u: unknown, c: t.Context, original: C) => t.Validation<t.TypeOf<C>>,
): C {
  const copy = Object.create(Object.getPrototypeOf(codec) as object) as C;
  Object.assign(copy, codec);
  const fields = copy as unknown as {
    validate: t.Validate<unknown, t.TypeOf<C>>;
    decode: (u: unknown) => t.Validation<t.TypeOf<C>>;
  };
  fields.validate = (u, c) => validate(u, c, codec);
  fields.decode = (u) => fields.validate(u, [{ key: "", type: copy, actual: u }]);
  return copy;
}

/** `codec`, refusing every field its structure does not declare. */
export function strict<C extends t.Any>(codec: C): C {
  return withValidate(codec, (u, c, original) => {
    const decoded = original.validate(u, c) as t.Validation<t.TypeOf<C>>;
    const errors: t.ValidationError[] = decoded._tag === "Left" ? [...decoded.left] : [];
    walk(original as unknown as t.Mixed, u, c, errors);
    return errors.length === 0 ? decoded : t.failures(errors);
  });
}
