import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  example?: unknown;
};

/** Any JSON value at all: what a careless or hostile client may send in place of a field. */
const anyJson = fc.jsonValue({ maxDepth: 2 });

/**
 * Values for a zod schema, through its JSON Schema: mostly valid in shape (enums, lengths,
 * patterns, the schema's own examples), sometimes a field left out or replaced by any JSON.
 */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fromJsonSchema(root, root);
}

function fromJsonSchema(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    return fromJsonSchema(root.$defs?.[name] ?? {}, root);
  }
  const shaped = shapedBy(schema, root);
  const withExample = schema.example !== undefined ? fc.oneof(fc.constant(schema.example), shaped) : shaped;
  return fc.oneof({ weight: 9, arbitrary: withExample }, { weight: 1, arbitrary: anyJson });
}

function shapedBy(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromJsonSchema(s, root)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      if (properties.length === 0) return fc.oneof(fc.constant({}), fc.dictionary(fc.string(), anyJson));
      return fc
        .record(
          Object.fromEntries(properties.map(([name, s]) => [name, fromJsonSchema(s, root)])),
          // Mostly every required field; sometimes one missing.
          { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) },
        )
        .chain((value) =>
          fc.oneof(
            { weight: 8, arbitrary: fc.constant(value) },
            { weight: 1, arbitrary: dropOne(value as Record<string, unknown>) },
          ),
        );
    }
    case 'array':
      return fc.array(schema.items ? fromJsonSchema(schema.items, root) : anyJson, { maxLength: 4 });
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({
        unit: fc.oneof(
          fc.constant('a'),
          fc.constant('鄢'),
          fc.constant(' '),
          fc.constant('<'),
          fc.constant('\u0000'),
        ),
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 40, (schema.minLength ?? 0) + 40),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return anyJson;
  }
}

function dropOne(value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(value);
  if (names.length === 0) return fc.constant(value);
  return fc.constantFrom(...names).map((name) => {
    const { [name]: _dropped, ...rest } = value;
    return rest;
  });
}

/** A JSON object flattened into form fields named by their path (`enterprise.name`), as the HTML forms send them. */
export function formFields(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return prefix ? [[prefix, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')]] : [];
  }
  return Object.entries(value).flatMap(([name, v]) => formFields(v, prefix ? `${prefix}.${name}` : name));
}
