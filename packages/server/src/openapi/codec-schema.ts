/**
 * io-ts codec → JSON Schema (2020-12, the dialect of OpenAPI 3.1), with an example value,
 * for the codec shapes the core uses: t.type, t.partial, t.intersection, t.union, t.literal,
 * t.array, t.tuple, t.record, t.string, t.number, t.boolean, and the named hand-written
 * codecs of `named-schemas.ts` (as `$ref`s to components). Anything else throws, naming it.
 */
import type * as t from "io-ts";
import { NAMED_SCHEMAS, type JsonSchema } from "./named-schemas.js";
import { objectShape, taggedUnionMembers, type ObjectShape } from "./tagged-union-members.js";
import { AssertionFailure } from "@pacioli/core";

export interface Described {
  readonly schema: JsonSchema;
  readonly example: unknown;
}

/**
 * What converting gathers: component schemas by name (named codecs, union members), the
 * tagged unions to expand by codec name, and each union member's example by type.
 */
export interface Components {
  readonly schemas: Map<string, JsonSchema>;
  /** Tagged unions to expand, by codec name: the component to name them and the codec. */
  readonly unions: ReadonlyMap<string, { readonly component: string; readonly codec: t.Mixed }>;
  /** Hand-written object codecs to describe by probing (`objectShape`), by codec name. */
  readonly probed: ReadonlyMap<string, t.Mixed>;
  readonly examples: Map<string, unknown>;
}

interface Structural {
  readonly _tag?: string;
  readonly name: string;
  readonly props?: Readonly<Record<string, t.Mixed>>;
  readonly types?: readonly t.Mixed[];
  readonly type?: t.Mixed;
  readonly value?: string | number | boolean;
  readonly codomain?: t.Mixed;
}

export function describeCodec(codec: t.Mixed, components: Components): Described {
  const node = codec as unknown as Structural;
  switch (node._tag) {
    case "StringType":
      return { schema: { type: "string" }, example: "text" };
    case "NumberType":
      return { schema: { type: "number" }, example: 1 };
    case "BooleanType":
      return { schema: { type: "boolean" }, example: true };
    case "LiteralType":
      return { schema: { const: node.value }, example: node.value };
    case "InterfaceType":
      return describeObject(node.props ?? {}, new Set(Object.keys(node.props ?? {})), components);
    case "PartialType":
      return describeObject(node.props ?? {}, new Set(), components);
    case "IntersectionType":
      return mergeObjects((node.types ?? []).map((part) => describeCodec(part, components)));
    case "UnionType":
      return describeUnion(node.types ?? [], components);
    case "ArrayType": {
      const item = describeCodec(required(node.type, node.name), components);
      return { schema: { type: "array", items: item.schema }, example: [item.example] };
    }
    case "TupleType": {
      const items = (node.types ?? []).map((item) => describeCodec(item, components));
      return {
        schema: {
          type: "array",
          prefixItems: items.map((item) => item.schema),
          minItems: items.length,
          maxItems: items.length,
        },
        example: items.map((item) => item.example),
      };
    }
    case "DictionaryType": {
      const value = describeCodec(required(node.codomain, node.name), components);
      return {
        schema: { type: "object", additionalProperties: value.schema },
        example: { key: value.example },
      };
    }
    default:
      return describeNamed(node.name, components);
  }
}

/** An object schema from fields and the set of those that are required. */
export function describeObject(
  fields: Readonly<Record<string, t.Mixed>>,
  requiredFields: ReadonlySet<string>,
  components: Components,
): Described {
  const properties: Record<string, JsonSchema> = {};
  const example: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const described = describeCodec(field, components);
    properties[key] = described.schema;
    if (requiredFields.has(key)) example[key] = described.example;
  }
  const requiredList = Object.keys(fields).filter((key) => requiredFields.has(key));
  return closedObject(properties, requiredList, example);
}

/** An object schema that allows no other properties, with the required ones listed when there are any. */
function closedObject(
  properties: Record<string, unknown>,
  requiredList: readonly string[],
  example: Record<string, unknown>,
): Described {
  return {
    schema: {
      type: "object",
      properties,
      ...(requiredList.length > 0 ? { required: requiredList } : {}),
      additionalProperties: false,
    },
    example,
  };
}

/** t.type & t.partial parts become one object: what a client generator reads best. */
export function mergeObjects(parts: readonly Described[]): Described {
  const properties: Record<string, unknown> = {};
  const requiredList: string[] = [];
  let example: Record<string, unknown> = {};
  for (const part of parts) {
    if (part.schema["type"] !== "object" || part.schema["properties"] === undefined)
      throw new AssertionFailure("an intersection of something other than objects");
    Object.assign(properties, part.schema["properties"]);
    requiredList.push(...((part.schema["required"] as string[] | undefined) ?? []));
    example = { ...example, ...(part.example as Record<string, unknown>) };
  }
  return closedObject(properties, requiredList, example);
}

function describeUnion(members: readonly t.Mixed[], components: Components): Described {
  const described = members.map((member) => describeCodec(member, components));
  const first = described[0];
  if (first === undefined) throw new AssertionFailure("an empty union");
  if (described.every((item) => "const" in item.schema))
    return {
      schema: { enum: described.map((item) => item.schema["const"]) },
      example: first.example,
    };
  return { schema: { oneOf: described.map((item) => item.schema) }, example: first.example };
}

function describeNamed(name: string, components: Components): Described {
  const union = components.unions.get(name);
  if (union !== undefined) return describeTaggedUnion(union.component, union.codec, components);
  const probed = components.probed.get(name);
  if (probed !== undefined) return describeShape(objectShape(probed), components);
  const named = NAMED_SCHEMAS[name];
  if (named === undefined)
    throw new Error(
      `no JSON Schema for the codec ${JSON.stringify(name)}: describe it in packages/server/src/openapi/named-schemas.ts`,
    );
  components.schemas.set(named.component, named.schema);
  return { schema: { $ref: `#/components/schemas/${named.component}` }, example: named.example };
}

function required(codec: t.Mixed | undefined, name: string): t.Mixed {
  if (codec === undefined) throw new AssertionFailure(`${name} has no inner codec`);
  return codec;
}

/** A union discriminated by `type`: one component per member, the union a `oneOf` of them. */
function describeTaggedUnion(name: string, union: t.Mixed, components: Components): Described {
  const reference = { $ref: `#/components/schemas/${name}` };
  if (components.schemas.has(name))
    return { schema: reference, example: components.examples.get(`${name}:first`) };
  components.schemas.set(name, {}); // claimed before the members, which may refer back
  const mapping: Record<string, string> = {};
  let first: unknown;
  for (const member of taggedUnionMembers(union)) {
    if (components.schemas.has(member.type))
      throw new AssertionFailure(`${name} member ${member.type} collides with another component`);
    const described =
      member.parts.length > 0
        ? describeShape(member, components)
        : withType(member.type, describeShape(member, components));
    components.schemas.set(member.type, described.schema);
    components.examples.set(member.type, described.example);
    mapping[member.type] = `#/components/schemas/${member.type}`;
    first ??= described.example;
  }
  components.schemas.set(name, {
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: "type", mapping },
  });
  components.examples.set(`${name}:first`, first);
  return { schema: reference, example: first };
}

function withType(type: string, described: Described): Described {
  const properties = {
    type: { const: type },
    ...(described.schema["properties"] as Record<string, unknown>),
  };
  const requiredList = ["type", ...((described.schema["required"] as string[] | undefined) ?? [])];
  return {
    schema: { type: "object", properties, required: requiredList, additionalProperties: false },
    example: { type, ...(described.example as Record<string, unknown>) },
  };
}

function describeShape(shape: ObjectShape, components: Components): Described {
  if (shape.parts.length > 0)
    return mergeObjects(shape.parts.map((part) => describeCodec(part, components)));
  return describeObject(Object.fromEntries(shape.fields), shape.required, components);
}
