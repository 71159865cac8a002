import { createRequire } from 'node:module';

/**
 * Work dynalite repeats on every call that the runtime's in-process store can skip without changing
 * a single answer. dynalite is written to serve DynamoDB's wire protocol: it checks the JSON types
 * of every member of every request (a request from anywhere may carry `"count": "42"`), and parses
 * every expression with its PEG parser. The runtime's client hands it attribute values util-dynamodb
 * has just made, and the same few dozen expressions over and over: those two were about a fifth of
 * the CPU of a store call (profile of a filing, docs/performance.md).
 *
 * Both shortcuts fall back to dynalite's own code for anything they are not sure of, so that every
 * error reads exactly as before; test/integration/dynalite-shortcuts.test.ts holds them to dynalite's
 * answers, and relies on dynalite's internals pinned by package-lock.json (the parsers' `parse`
 * export, the validations' `checkTypes`).
 */

const require = createRequire(import.meta.url);

type AttributeValue = Record<string, unknown>;
interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, AttributeValue>;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
}
interface Parser {
  parse(input: string, options: { context: ParseContext }): unknown;
  memoised?: true;
}

const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M']);
/** Parsed expressions kept per parser; a store that saw more distinct ones starts over. */
const MAX_MEMOISED = 2_000;
/** Where a template holds the expression's value of that name. */
const VALUE = Symbol('expression attribute value');

interface Memo {
  template: unknown;
  names: string[];
  values: string[];
}

/**
 * Parses each expression once per set of attribute names and value types, and hands out a fresh
 * copy of the parse with the request's own values in it. A parse depends on the expression, the
 * names, and of the values only on their types — except where the parser compares two values
 * (BETWEEN) or reads one (attribute_type): those are parsed every time. Only parses that succeed are
 * kept; the parser's bookkeeping of unused names and values is replayed on every use.
 */
export function memoiseExpressionParsing(): void {
  for (const file of ['conditionParser', 'updateParser', 'projectionParser']) {
    const parser = require(`dynalite/db/${file}`) as Parser;
    if (parser.memoised) continue;
    const parse = parser.parse.bind(parser);
    const memos = new Map<string, Memo>();
    parser.parse = (input, options) => {
      const context = options.context;
      const key = memoKey(input, context);
      if (key === undefined) return parse(input, options);
      const memo = memos.get(key);
      if (memo) {
        for (const name of memo.names) delete context.unusedAttrNames?.[name];
        for (const name of memo.values) delete context.unusedAttrVals?.[name];
        return fill(memo.template, context.attrVals ?? {});
      }
      const unused = { ...context.unusedAttrNames, ...context.unusedAttrVals };
      const result = parse(input, options);
      if (typeof result !== 'object' || result === null) return result; // an error message
      const made = memoOf(input, result, context, unused);
      if (made) {
        if (memos.size >= MAX_MEMOISED) memos.clear();
        memos.set(key, made);
      }
      return result;
    };
    parser.memoised = true;
  }
}

function memoKey(input: string, context: ParseContext): string | undefined {
  if (/between|attribute_type/i.test(input)) return undefined;
  let key = `${input}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000`;
  for (const name in context.attrVals) {
    const type = attributeType(context.attrVals[name]);
    if (!type) return undefined;
    key += `${name}=${type};`;
  }
  return key;
}

/** The one type of a well-formed attribute value, else undefined. */
function attributeType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let type: string | undefined;
  for (const name in value) {
    if (type || !ATTRIBUTE_TYPES.has(name) || (value as AttributeValue)[name] == null) return undefined;
    type = name;
  }
  return type;
}

const tokens = (input: string, sigil: '#' | ':') => [
  ...new Set(input.match(sigil === '#' ? /#[0-9A-Za-z_]+/g : /:[0-9A-Za-z_]+/g) ?? []),
];

/**
 * The template of a parse: the parse with each value of the request replaced by its name. Undefined
 * when the parse holds anything of a value other than the value itself (then it is never memoised),
 * or used names the expression does not show.
 */
function memoOf(
  input: string,
  result: object,
  context: ParseContext,
  unusedBefore: Record<string, boolean>,
): Memo | undefined {
  const names = tokens(input, '#');
  const values = tokens(input, ':');
  const used = Object.keys(unusedBefore).filter(
    (name) => !(name in (context.unusedAttrNames ?? {})) && !(name in (context.unusedAttrVals ?? {})),
  );
  if (!used.every((name) => names.includes(name) || values.includes(name))) return undefined;
  const byValue = new Map<object, string>();
  const inside = new Set<object>();
  for (const [name, value] of Object.entries(context.attrVals ?? {})) {
    byValue.set(value, name);
    collect(value, inside);
  }
  let foreign = false;
  const template = (function walk(node: unknown): unknown {
    if (typeof node !== 'object' || node === null) return node;
    const name = byValue.get(node);
    if (name !== undefined) return { [VALUE]: name };
    if (inside.has(node)) foreign = true;
    if (Array.isArray(node)) return node.map(walk);
    const copy = Object.create(Object.getPrototypeOf(node)) as Record<string, unknown>;
    for (const key of Object.keys(node)) copy[key] = walk((node as Record<string, unknown>)[key]);
    return copy;
  })(result);
  return foreign ? undefined : { template, names, values };
}

function collect(node: unknown, into: Set<object>) {
  if (typeof node !== 'object' || node === null) return;
  for (const member of Object.values(node)) {
    if (typeof member === 'object' && member !== null) {
      into.add(member);
      collect(member, into);
    }
  }
}

function fill(template: unknown, values: Record<string, AttributeValue>): unknown {
  if (typeof template !== 'object' || template === null) return template;
  const name = (template as { [VALUE]?: string })[VALUE];
  if (name !== undefined) return values[name];
  if (Array.isArray(template)) return template.map((member) => fill(member, values));
  const copy = Object.create(Object.getPrototypeOf(template)) as Record<string, unknown>;
  for (const key of Object.keys(template))
    copy[key] = fill((template as Record<string, unknown>)[key], values);
  return copy;
}

/** A member's type as dynalite's validations declare it: `'String'`, or `{ type, children }`. */
type TypeSpec = string | { type?: string; children?: TypeSpec | Record<string, TypeSpec> };

/** Returned by the fast check where dynalite would convert or refuse: dynalite's own check then runs. */
const UNSURE = Symbol('unsure');

/**
 * dynalite's `checkTypes` for a request whose members already have their JSON types — what the
 * runtime's client always sends (attribute values made by util-dynamodb, booleans, integers,
 * strings): the same result, without building a type description per attribute value. Anything
 * dynalite would convert (`"true"` for a boolean, 1.5 for an integer, base-64 blobs) or refuse makes
 * it hand the request to dynalite's own check. Attribute values are kept, not copied: the client
 * made them for this call.
 */
export function checkTypesFast(data: Record<string, unknown>, types: Record<string, TypeSpec>) {
  const checked = checkStruct(data, types);
  return checked === UNSURE ? undefined : (checked as Record<string, unknown>);
}

function checkStruct(data: unknown, types: Record<string, TypeSpec>): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return UNSURE;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(types)) {
    const value = (data as Record<string, unknown>)[key];
    if (value == null) continue;
    const checked = checkType(value, types[key]!);
    if (checked === UNSURE) return UNSURE;
    if (checked != null) out[key] = checked;
  }
  return out;
}

function checkType(value: unknown, spec: TypeSpec): unknown {
  if (value == null) return null;
  const declared = typeof spec === 'string' ? spec : (spec.type ?? '');
  const children = typeof spec === 'string' ? undefined : spec.children;
  const type = declared.replace(/<.*>$/, '');
  switch (type) {
    case 'AttrStruct':
      return isAttributeValue(value) ? value : UNSURE;
    case 'Boolean':
      return typeof value === 'boolean' ? value : UNSURE;
    case 'Short':
    case 'Integer':
    case 'Long':
      return Number.isInteger(value) ? value : UNSURE;
    case 'Double':
      return typeof value === 'number' ? value : UNSURE;
    case 'String':
      return typeof value === 'string' ? value : UNSURE;
    case 'List':
    case 'ParameterizedList': {
      if (!Array.isArray(value) || children === undefined) return UNSURE;
      const out: unknown[] = [];
      for (const member of value) {
        const checked = checkType(member, children as TypeSpec);
        if (checked === UNSURE) return UNSURE;
        out.push(checked);
      }
      return out;
    }
    case 'Map':
    case 'ParameterizedMap': {
      if (typeof value !== 'object' || Array.isArray(value) || children === undefined) return UNSURE;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const checked = checkType((value as Record<string, unknown>)[key], children as TypeSpec);
        if (checked === UNSURE) return UNSURE;
        out[key] = checked;
      }
      return out;
    }
    case 'ValueStruct':
    case 'FieldStruct':
      return children && typeof children === 'object'
        ? checkStruct(value, children as Record<string, TypeSpec>)
        : UNSURE;
    default:
      return UNSURE; // Blob and anything new: dynalite decides
  }
}

/** An attribute value of one type whose members have the JSON types DynamoDB's protocol gives them. */
function isAttributeValue(value: unknown): boolean {
  const type = attributeType(value);
  const member = type && (value as AttributeValue)[type];
  switch (type) {
    case 'S':
    case 'N':
      return typeof member === 'string';
    case 'BOOL':
    case 'NULL':
      return typeof member === 'boolean';
    case 'SS':
    case 'NS':
      return Array.isArray(member) && member.every((m) => typeof m === 'string');
    case 'L':
      return Array.isArray(member) && member.every(isAttributeValue);
    case 'M':
      return (
        typeof member === 'object' &&
        member !== null &&
        !Array.isArray(member) &&
        Object.values(member).every(isAttributeValue)
      );
    default:
      return false; // B, BS (base-64 checks), or not an attribute value
  }
}
