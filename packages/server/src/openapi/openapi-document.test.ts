/**
 * The OpenAPI document is valid OpenAPI 3.1 (an independent validator says so) and agrees
 * with the codecs the server decodes with: every command type of the core is in it, its
 * example decodes, the schema accepts what the codec accepts and, field by field, refuses
 * a request missing a field the codec requires.
 */
import { commandRequestCodec, iso4217, LEDGER_EVENT_TYPES } from "@pacioli/core";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import { describeCodec, type Components } from "./codec-schema.js";
import { apiDescription } from "./openapi-document.js";

const description = apiDescription(iso4217);
const document = description.document as { components: { schemas: Record<string, unknown> } };
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: "pacioli", components: document.components });
const requestSchema = ajv.getSchema("pacioli#/components/schemas/CommandRequest");
const codec = commandRequestCodec(iso4217);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(description.document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every command type the codec knows and every event type", () => {
    const unknownType = codec.decode({ idempotencyKey: "k", command: { type: "?" } });
    const listed =
      unknownType._tag === "Left"
        ? unknownType.left.map((error) => error.message ?? "").join("")
        : "";
    for (const type of description.commandTypes) expect(listed).toContain(type);
    expect(description.commandTypes.length).toBe(listed.split(",").length);
    for (const type of LEDGER_EVENT_TYPES)
      expect(document.components.schemas[type], type).toBeDefined();
  });

  it("gives, for every command type, an example the codec decodes and the schema accepts", () => {
    expect(requestSchema).toBeDefined();
    for (const [type, example] of description.commandExamples) {
      expect(codec.decode(example)._tag, type).toBe("Right");
      expect(requestSchema?.(example), `${type}: ${JSON.stringify(requestSchema?.errors)}`).toBe(
        true,
      );
    }
  });

  it("requires exactly the fields the codec requires", () => {
    let checked = 0;
    for (const [type, example] of description.commandExamples) {
      const command = (example as { command: Record<string, unknown> }).command;
      for (const field of Object.keys(command)) {
        if (field === "type") continue;
        const { [field]: _dropped, ...without } = command;
        const request = { idempotencyKey: "k", command: without };
        expect(requestSchema?.(request), `${type} without ${field}`).toBe(
          codec.decode(request)._tag === "Right",
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("refuses, in the schema too, a JSON number where the codec wants a decimal string", () => {
    const deposit = description.commandExamples.get("DepositFunds") as {
      command: Record<string, unknown>;
    };
    const request = {
      idempotencyKey: "k",
      command: { ...deposit.command, amount: { currency: "USD", amount: 12.5 } },
    };
    expect(codec.decode(request)._tag).toBe("Left");
    expect(requestSchema?.(request)).toBe(false);
  });

  it("refuses, like the strict codec, a field no command declares, at every level", () => {
    const deposit = description.commandExamples.get("DepositFunds") as {
      idempotencyKey: string;
      command: Record<string, unknown>;
    };
    const misspelt = [
      { ...deposit, metdata: { order: "A-17" } },
      { ...deposit, command: { ...deposit.command, finale: true } },
      {
        ...deposit,
        command: { ...deposit.command, amount: { currency: "USD", amount: "1.00", cents: 100 } },
      },
    ];
    for (const request of misspelt) {
      expect(codec.decode(request)._tag, JSON.stringify(request)).toBe("Left");
      expect(requestSchema?.(request), JSON.stringify(request)).toBe(false);
    }
  });

  it("cannot be generated when the core has a codec it does not describe", () => {
    const components: Components = {
      schemas: new Map(),
      unions: new Map(),
      probed: new Map(),
      examples: new Map(),
    };
    const Novel = new t.Type<string, string, unknown>(
      "NovelCodec",
      (u): u is string => typeof u === "string",
      (u, c) => (typeof u === "string" ? t.success(u) : t.failure(u, c)),
      t.identity,
    );
    expect(() => describeCodec(t.type({ field: Novel }), components)).toThrow(/NovelCodec/);
  });
});
