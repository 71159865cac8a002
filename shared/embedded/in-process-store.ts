import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { checkTypesFast, memoiseExpressionParsing } from './dynalite-shortcuts';
import { closeIteratorsOfStreams, type LevelWithStreams } from './level-streams';

const require = createRequire(import.meta.url);

/** dynalite's store (LevelDB and its tables), as `dynalite/db` creates it. */
type DynaliteStore = object;
type Action = (store: DynaliteStore, data: object, done: (error: unknown, result?: object) => void) => void;
interface ActionValidation {
  types: Record<string, never>;
  custom?: unknown;
}
interface DynaliteError {
  statusCode?: number;
  body?: { __type?: string; message?: string; Message?: string };
}

/** The operations of dynalite 4, each with its validation and its action (what its HTTP handler runs). */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;

const validations = require('dynalite/validations') as {
  checkTypes(data: object, types: object): object;
  checkValidations(data: object, types: object, custom: unknown, store: DynaliteStore): void;
};
const operations = new Map(
  OPERATIONS.map((name) => {
    const file = name[0]!.toLowerCase() + name.slice(1);
    return [
      name,
      {
        action: require(`dynalite/actions/${file}`) as Action,
        validation: require(`dynalite/validations/${file}`) as ActionValidation,
      },
    ] as const;
  }),
);

/**
 * Starts dynalite and hands back its store with it: dynalite keeps the store it creates to itself,
 * so its `db.create` is wrapped for the moment it runs (and the store's streams made to close their
 * LevelDB iterators: `closeIteratorsOfStreams`). The HTTP server serves the tools that want a
 * DynamoDB endpoint (a backup while the runtime runs); the runtime calls the store in process.
 */
export function startDynalite(options: object): { server: Server; store: DynaliteStore } {
  const db = require('dynalite/db') as { create(options: object): DynaliteStore };
  const dynalite = require('dynalite') as (options: object) => Server;
  const create = db.create;
  let store: DynaliteStore | undefined;
  db.create = (o) => {
    store = create(o);
    closeIteratorsOfStreams((store as { db: LevelWithStreams }).db);
    return store;
  };
  try {
    const server = dynalite(options);
    if (!store) throw new Error('dynalite created no store');
    rememberTableDescriptions(store);
    return { server, store };
  } finally {
    db.create = create;
  }
}

type Callback = (error: unknown, result?: unknown) => void;
interface TableStore {
  tableDb: Record<'put' | 'del' | 'batch', (...args: unknown[]) => unknown>;
  getTable(name: string, checkStatus: boolean | Callback, cb?: Callback): void;
}

/**
 * dynalite reads a table's description from LevelDB and parses its JSON for every operation on
 * the table (a quarter of a GetItem's CPU with five indexes). An ACTIVE table's description is
 * kept in memory instead until anything writes a description (CreateTable, UpdateTable,
 * DeleteTable, their status changes): each such write forgets them all, when it starts and when it
 * ends, and a read that a write overlapped is not kept.
 */
function rememberTableDescriptions(dynaliteStore: DynaliteStore) {
  const store = dynaliteStore as TableStore;
  const { tableDb } = store;
  const read = store.getTable.bind(store);
  const known = new Map<string, unknown>();
  let writes = 0;
  const forget = () => {
    writes++;
    known.clear();
  };
  for (const method of ['put', 'del', 'batch'] as const) {
    const write = tableDb[method].bind(tableDb);
    tableDb[method] = (...args: unknown[]) => {
      forget();
      const done = args.at(-1);
      if (typeof done === 'function')
        args[args.length - 1] = (...results: unknown[]) => {
          forget();
          done(...results);
        };
      return write(...args);
    };
  }
  store.getTable = (name, checkStatus, cb) => {
    const done = (typeof checkStatus === 'function' ? checkStatus : cb) as Callback;
    const table = known.get(name);
    if (table) return done(null, table);
    const at = writes;
    read(name, typeof checkStatus === 'function' || checkStatus, (error, description) => {
      if (!error && at === writes && (description as { TableStatus?: string }).TableStatus === 'ACTIVE')
        known.set(name, description);
      done(error, description);
    });
  };
}

/** The shape lib-dynamodb's commands give of which members hold attribute values (see its `marshallInput`). */
type KeyNodes = { [member: string]: KeyNodes } | KeyNodes[] | null;
interface SdkCommand {
  input: Record<string, unknown>;
  /** lib-dynamodb's document commands: the client command beneath, and where attribute values are. */
  clientCommand?: object;
  inputKeyNodes?: KeyNodes;
  outputKeyNodes?: KeyNodes;
}

/**
 * A DynamoDB document client for the embedded runtime that calls dynalite's validation and action
 * for each command directly: no middleware stack, no request serialisation and signing, no HTTP
 * request and response, no JSON round trip. Items are translated between JavaScript values and
 * attribute values exactly as `DynamoDBDocumentClient` does (util-dynamodb, with the members each
 * lib-dynamodb command names and the repository's marshalling options), and dynalite's errors
 * become the SDK's exception classes (`ConditionalCheckFailedException`…), so that the repositories
 * cannot tell it from the SDK client. Only `send` and `destroy` exist. Binary attributes are not
 * carried (the application stores none).
 */
export function inProcessDocumentClient(
  store: DynaliteStore,
  marshallOptions: { removeUndefinedValues?: boolean; convertClassInstanceToMap?: boolean },
): DynamoDBDocumentClient {
  memoiseExpressionParsing();
  const toAttributes = { ...marshallOptions, convertTopLevelContainer: true };
  const fromAttributes = { convertWithoutMapWrapper: true };
  const toAttributeValues = (value: unknown) => marshall(value, toAttributes);
  const fromAttributeValues = (value: unknown) => toNative(value as AttributeValue, fromAttributes);
  const client = {
    async send(command: SdkCommand) {
      const name = (command.clientCommand ?? command).constructor.name.replace(/Command$/, '');
      const operation = operations.get(name as (typeof OPERATIONS)[number]);
      if (!operation) throw new TypeError(`the embedded store does not implement ${name}`);
      // A copy either way: dynalite's validation deletes members it does not know from its input.
      const input = (
        command.inputKeyNodes
          ? translate(command.input, command.inputKeyNodes, toAttributeValues)
          : { ...command.input }
      ) as Record<string, unknown>;
      // Attribute values util-dynamodb has just made need no check of their JSON types.
      const output = await call(store, operation, input, Boolean(command.inputKeyNodes));
      const result = command.outputKeyNodes
        ? translate(output, command.outputKeyNodes, fromAttributeValues)
        : output;
      return { ...(result as object), $metadata: {} };
    },
    destroy() {},
  };
  return client as unknown as DynamoDBDocumentClient;
}

function call(
  store: DynaliteStore,
  { action, validation }: { action: Action; validation: ActionValidation },
  input: Record<string, unknown>,
  translated: boolean,
): Promise<object> {
  return new Promise((resolve, reject) => {
    let data: object;
    try {
      data =
        (translated && checkTypesFast(input, validation.types)) ||
        validations.checkTypes(input, validation.types);
      validations.checkValidations(data, validation.types, validation.custom, store);
    } catch (error) {
      return reject(sdkError(error));
    }
    action(store, data, (error, result) => (error ? reject(sdkError(error)) : resolve(result ?? {})));
  });
}

/** dynalite's error document as the SDK would have thrown it: its modelled class when there is one. */
function sdkError(error: unknown): unknown {
  const body = (error as DynaliteError).body;
  if (!(error as DynaliteError).statusCode || !body?.__type) return error;
  const name = body.__type.split('#').at(-1)!;
  const message = body.message ?? body.Message ?? name;
  const modelled = (dynamodb as unknown as Record<string, unknown>)[name];
  const options = { message, $metadata: {} };
  if (typeof modelled === 'function' && modelled.prototype instanceof dynamodb.DynamoDBServiceException)
    return new (modelled as new (o: typeof options) => Error)(options);
  return new dynamodb.DynamoDBServiceException({ ...options, name, $fault: 'client' });
}

type AttributeValue = Record<string, unknown>;

/**
 * An attribute value as util-dynamodb's `unmarshall` converts it, without the array it makes of
 * every value and map member on the way (`Object.entries`): strings, safe numbers, booleans, null,
 * lists and maps here, anything else (sets, numbers beyond 2^53, unknown types) by util-dynamodb
 * itself, so that every answer and every error stays its own.
 */
function toNative(value: AttributeValue, options: { convertWithoutMapWrapper: boolean }): unknown {
  for (const type in value) {
    const member = value[type];
    if (member === undefined) continue;
    switch (type) {
      case 'S':
        return member;
      case 'N': {
        const number = Number(member);
        if (Math.abs(number) <= Number.MAX_SAFE_INTEGER) return number;
        break;
      }
      case 'BOOL':
        return Boolean(member);
      case 'NULL':
        return null;
      case 'L':
        return (member as AttributeValue[]).map((item) => toNative(item, options));
      case 'M': {
        const map: Record<string, unknown> = {};
        for (const name in member as Record<string, AttributeValue>)
          map[name] = toNative((member as Record<string, AttributeValue>)[name]!, options);
        return map;
      }
    }
    return unmarshall({ [type]: member } as never, options);
  }
  return unmarshall(value as never, options);
}

/**
 * Converts the members `nodes` names, as lib-dynamodb does: null converts the value itself, `{}` or
 * `[]` each of its members, `{ '*': n }` each member by `n`, other keys those members by their nodes.
 */
function translate(value: unknown, nodes: KeyNodes, convert: (value: unknown) => unknown): unknown {
  if (value === undefined) return undefined;
  if (nodes === null) return convert(value);
  const names = Object.keys(nodes);
  const each = (node: KeyNodes) => mapMembers(value as object, (member) => translate(member, node, convert));
  if (names.length === 0) return each(null);
  if (names.length === 1 && names[0] === '*') return each((nodes as Record<string, KeyNodes>)['*']!);
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  for (const name of names) {
    const converted = translate(copy[name], (nodes as Record<string, KeyNodes>)[name]!, convert);
    if (converted !== undefined) copy[name] = converted;
  }
  return copy;
}

function mapMembers(value: object, map: (member: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map(map);
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const converted = map(member);
    if (converted !== undefined) out[name] = converted;
  }
  return out;
}
