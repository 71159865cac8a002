import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseConflictError, ValidationError } from '../app/errors';
import { secretsEqual, sha256 } from '../app/secrets';
import type { Actor, CaseFlag, CaseRecord, ContactView } from '../domain/case';
import { parseCaseNo } from '../domain/case-number';
import { CASE_STATUSES, type CaseStatus, type Level, OPEN_STATUSES } from '../domain/case-state';
import { chinaYear } from '../domain/china-time';
import { closedAt } from '../domain/follow-up';
import { conditionally, queryAll } from './dynamo';
import { type IndexName, keys } from './keys';

const ENTITY = 'case';
const SCHEMA_VERSION = 1;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last one. */
  cursor?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/**
 * What the ledger (问题台账) can be filtered by. The store reads the narrowest key it can — a case
 * number, a status, a unit, else the filing years — and filters the rest on the server side.
 */
export interface CaseQuery {
  /** One status, or `open`: every status a case can still leave. */
  status?: CaseStatus | 'open';
  flag?: CaseFlag;
  unitId?: string;
  township?: string;
  category?: string;
  level?: Level;
  /** Filed at or after this instant (ISO 8601, as `toISOString` writes it). */
  filedFrom?: string;
  /** Filed before this instant (ISO 8601, as `toISOString` writes it). */
  filedBefore?: string;
  /** Part of the enterprise's name, of its credit code or of the case number. */
  text?: string;
  /** Oldest first (default) or newest first. */
  order?: 'asc' | 'desc';
}

/** One partition of one index that a search reads, with the sort-key range of the filing period. */
interface Source {
  index: IndexName;
  partitionKey: string;
  sortKey: string;
  value: string;
  lower: string;
  upper: string;
}

const SEARCH_BATCH = 200;
/** A search reads at most this many batches per page, then answers with what it found and a cursor. */
const SEARCH_BATCHES_PER_PAGE = 10;
/** Sorts after every character of an ISO timestamp: the open upper end of a sort-key range. */
const HIGH = '~';

/** How many case numbers `getByCaseNo` remembers the id of (about 100 bytes each). */
const IDS_REMEMBERED = 10_000;

/** Stores cases in the single table; every state change is one conditional write on `version`. */
export class CaseRepository {
  /**
   * Case number → case id, for the cases looked up by number (tracking links): a number is given
   * once and never moves to another case, so the case can be read by its key rather than queried.
   */
  private readonly idsByNumber = new Map<string, string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Reserves the next number of a year's sequence (an atomic counter; a lost creation race leaves a gap). */
  async nextSequence(prefix: string, year: number): Promise<number> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.caseNoCounter(prefix, year),
        UpdateExpression: 'ADD #seq :one',
        ExpressionAttributeNames: { '#seq': 'seq' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.seq);
  }

  /** Writes a new case unless one with its id exists; returns false when it already did. */
  async create(record: CaseRecord): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(id), ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  /**
   * The case with this number: read by its key when the number's id is known (the item itself,
   * strongly consistent), else found through the number index.
   */
  async getByCaseNo(caseNo: string): Promise<CaseRecord | undefined> {
    const id = this.idsByNumber.get(caseNo);
    const known = id === undefined ? undefined : await this.get(id);
    if (known?.caseNo === caseNo) return known;
    const found = await this.queryByCaseNo(caseNo);
    if (found) {
      if (this.idsByNumber.size >= IDS_REMEMBERED)
        this.idsByNumber.delete(this.idsByNumber.keys().next().value!);
      this.idsByNumber.set(caseNo, found.id);
    }
    return found;
  }

  private async queryByCaseNo(caseNo: string): Promise<CaseRecord | undefined> {
    const { gsi3pk } = keys.caseByNumber(caseNo);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi3' satisfies IndexName,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi3pk },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  /**
   * Replaces the case with `next` if nobody has written it since `next.version` was read.
   * Returns the stored case, its version one higher. A lost race throws `CaseConflictError`.
   */
  async save(next: CaseRecord): Promise<CaseRecord> {
    const stored: CaseRecord = { ...next, version: next.version + 1 };
    const written = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(stored),
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': next.version },
        }),
      ),
    );
    if (!written) throw new CaseConflictError(next.id);
    return stored;
  }

  /** Records in the case's audit history that a unit saw its full contact data (PIPL: who saw what, when). */
  async recordContactView(caseId: string, view: ContactView): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.contactView(caseId, view.at, randomUUID()), entity: 'contactView', caseId, ...view },
      }),
    );
  }

  /** Every recorded view of a case's contact data, oldest first. */
  async listContactViews(caseId: string): Promise<ContactView[]> {
    const views: ContactView[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':prefix': keys.contactViewPrefix },
          ExclusiveStartKey: start,
        }),
      );
      views.push(
        ...(page.Items ?? []).map((item) => ({ at: item.at as string, actor: item.actor as Actor })),
      );
      start = page.LastEvaluatedKey;
    } while (start);
    return views;
  }

  /** Lets the one-time survey link (`/survey/{token}`) find its case; only the token's hash is a key. */
  async putSurveyLink(token: string, caseId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.surveyLink(sha256(token)), entity: 'surveyLink', caseId },
      }),
    );
  }

  /** The case a survey link belongs to, if the token is one that was handed out. */
  async findBySurveyToken(token: string): Promise<CaseRecord | undefined> {
    const link = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.surveyLink(sha256(token)) }),
    );
    const caseId = link.Item?.caseId;
    if (typeof caseId !== 'string') return undefined;
    const record = await this.get(caseId);
    return record?.survey && secretsEqual(record.survey.token, token) ? record : undefined;
  }

  /**
   * Claims a month's follow-up sample with the ids picked for it: the first claim of a month wins,
   * and every caller gets the winning ids (a second run, a duplicate schedule, a crash half-way).
   */
  async claimFollowUpSample(month: string, caseIds: string[], at: string): Promise<string[]> {
    const claimed = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.followUpSample(month), entity: 'followUpSample', caseIds, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (claimed) return caseIds;
    const existing = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.followUpSample(month), ConsistentRead: true }),
    );
    return (existing.Item?.caseIds as string[] | undefined) ?? [];
  }

  /** Cases in one status, oldest first (the office's queues). */
  listByStatus(status: CaseStatus, page: PageRequest = {}): Promise<Page<CaseRecord>> {
    return this.query('gsi1', 'gsi1pk', keys.statusPartition(status), page);
  }

  /** Every case in one status, oldest first, page by page (a Query of the status partition, never a Scan). */
  async *allByStatus(status: CaseStatus): AsyncGenerator<CaseRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.listByStatus(status, { limit: 200, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every case in one status, as one list. */
  async everyByStatus(status: CaseStatus): Promise<CaseRecord[]> {
    const records: CaseRecord[] = [];
    for await (const record of this.allByStatus(status)) records.push(record);
    return records;
  }

  /**
   * Every case with the index keys it is stored with, through the status partitions (every case
   * is in exactly one): the rebuild's walk, a Query per page, never a Scan.
   */
  async *walk(): AsyncGenerator<{ record: CaseRecord; indexKeys: Record<string, string> }> {
    for (const status of CASE_STATUSES) {
      const query = {
        TableName: this.tableName,
        IndexName: 'gsi1' satisfies IndexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.statusPartition(status) },
      };
      for await (const item of queryAll(this.db, query)) {
        const indexKeys = Object.fromEntries(
          Object.entries(item).filter(([name]) => /^gsi\d+(pk|sk)$/.test(name)),
        ) as Record<string, string>;
        yield { record: fromItem(item), indexKeys };
      }
    }
  }

  /**
   * Writes a case again as it is, with the index keys derived from it, unless it changed since it
   * was read (then its own write derived them). Returns whether it was written.
   */
  reindex(record: CaseRecord): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': record.version },
        }),
      ),
    );
  }

  /** A unit's cases, oldest first. */
  listByUnit(unitId: string, page: PageRequest = {}): Promise<Page<CaseRecord>> {
    return this.query('gsi2', 'gsi2pk', keys.unitPartition(unitId), page, { prefix: 'CASE#' });
  }

  /**
   * The ledger: cases matching `query`, page by page, by filing time. A page may hold fewer than
   * `limit` cases and still carry a cursor (the filter is applied after the read): follow the
   * cursor until there is none. The last page has none: before handing out a cursor the search
   * looks ahead for one more match. Always a Query, never a Scan.
   */
  async search(query: CaseQuery, page: PageRequest = {}): Promise<Page<CaseRecord>> {
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
    const sources = await this.sourcesOf(query);
    const filter = filterOf(query, sources[0]?.index);
    const start = page.cursor
      ? decodeSearchCursor(page.cursor, sources)
      : { source: 0, key: undefined as Record<string, unknown> | undefined };
    const read = (at: number, key: Record<string, unknown> | undefined) => {
      const source = sources[at]!;
      return this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: source.index,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
          ...(filter.expression ? { FilterExpression: filter.expression } : {}),
          ExpressionAttributeNames: { '#pk': source.partitionKey, '#sk': source.sortKey, ...filter.names },
          ExpressionAttributeValues: {
            ':pk': source.value,
            ':lower': source.lower,
            ':upper': source.upper,
            ...filter.values,
          },
          ScanIndexForward: query.order !== 'desc',
          // Without a filter every item read is a match: a page and one more tell all.
          Limit: filter.expression ? SEARCH_BATCH : Math.min(SEARCH_BATCH, limit + 1),
          ExclusiveStartKey: key,
        }),
      );
    };
    /** Whether a match follows the position; past the read budget it assumes one does. */
    const matchFollows = async (at: number, key: Record<string, unknown> | undefined) => {
      for (let batch = 0; at < sources.length; batch++) {
        if (batch === SEARCH_BATCHES_PER_PAGE) return true;
        const result = await read(at, key);
        if ((result.Items ?? []).length > 0) return true;
        key = result.LastEvaluatedKey;
        if (!key) at += 1;
      }
      return false;
    };
    const pageEndingAt = async (
      items: CaseRecord[],
      at: number,
      key: Record<string, unknown> | undefined,
    ): Promise<Page<CaseRecord>> =>
      (await matchFollows(at, key)) ? { items, cursor: encodeSearchCursor(at, key) } : { items };

    let { source: at, key } = start;
    const items: CaseRecord[] = [];
    for (let batch = 0; at < sources.length && batch < SEARCH_BATCHES_PER_PAGE; batch++) {
      const source = sources[at]!;
      const result = await read(at, key);
      const found = result.Items ?? [];
      for (const [i, item] of found.entries()) {
        items.push(fromItem(item));
        if (items.length < limit) continue;
        if (i < found.length - 1) return { items, cursor: encodeSearchCursor(at, keyOf(item, source)) };
        return result.LastEvaluatedKey
          ? pageEndingAt(items, at, keyOf(item, source))
          : pageEndingAt(items, at + 1, undefined);
      }
      if (result.LastEvaluatedKey) {
        key = result.LastEvaluatedKey;
      } else {
        at += 1;
        key = undefined;
      }
    }
    return pageEndingAt(items, at, key);
  }

  /** Every case matching `query`, page by page (the exports and the figures read it this way). */
  async *searchAll(query: CaseQuery, options: { pageSize?: number } = {}): AsyncGenerator<CaseRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.search(query, {
        limit: options.pageSize ?? 200,
        ...(cursor ? { cursor } : {}),
      });
      yield* page.items;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every case closed at or after `from` (ISO), through the closing-year index: a Query per year. */
  async *closedSince(from: string, now: Date): AsyncGenerator<CaseRecord> {
    for (let year = chinaYear(new Date(from)); year <= chinaYear(now); year++) {
      const query = {
        TableName: this.tableName,
        IndexName: 'gsi5' satisfies IndexName,
        KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk >= :from',
        ExpressionAttributeValues: { ':pk': keys.closingPartition(year), ':from': from },
      };
      for await (const item of queryAll(this.db, query)) yield fromItem(item);
    }
  }

  /** The China years in which cases were filed: each has a case-number counter. */
  async filingYears(): Promise<number[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.counterPartition, ':prefix': keys.caseNoCounterPrefix },
      }),
    );
    const years = (result.Items ?? []).map((item) => Number(String(item.sk).split('#').at(-1)));
    return [...new Set(years.filter(Number.isInteger))].sort((a, b) => a - b);
  }

  private async sourcesOf(query: CaseQuery): Promise<Source[]> {
    const range = (prefix: string) => ({
      lower: `${prefix}${query.filedFrom ?? ''}`,
      upper: `${prefix}${query.filedBefore ?? HIGH}`,
    });
    const caseNo = query.text?.trim().toUpperCase();
    let sources: Source[];
    if (caseNo && parseCaseNo(caseNo)) {
      sources = [
        {
          index: 'gsi3',
          partitionKey: 'gsi3pk',
          sortKey: 'gsi3sk',
          value: keys.numberPartition(caseNo),
          lower: 'CASE',
          upper: 'CASE',
        },
      ];
    } else if (
      query.flag === 'overdue' &&
      (!query.status || query.status === 'open' || OPEN_STATUSES.includes(query.status))
    ) {
      // The overdue board: every open overdue case, and only those, is in one sparse partition.
      sources = [
        {
          index: 'gsi5',
          partitionKey: 'gsi5pk',
          sortKey: 'gsi5sk',
          value: keys.overduePartition,
          ...range(''),
        },
      ];
    } else if (query.status || query.flag === 'overdue') {
      // Only an open case can be overdue: the overdue board reads the open statuses, not every year.
      const statuses = !query.status || query.status === 'open' ? OPEN_STATUSES : [query.status];
      sources = statuses.map((status) => ({
        index: 'gsi1',
        partitionKey: 'gsi1pk',
        sortKey: 'gsi1sk',
        value: keys.statusPartition(status),
        ...range(''),
      }));
    } else if (query.unitId) {
      sources = [
        {
          index: 'gsi2',
          partitionKey: 'gsi2pk',
          sortKey: 'gsi2sk',
          value: keys.unitPartition(query.unitId),
          ...range('CASE#'),
        },
      ];
    } else {
      const from = query.filedFrom ? chinaYear(new Date(query.filedFrom)) : -Infinity;
      const through = query.filedBefore ? chinaYear(new Date(Date.parse(query.filedBefore) - 1)) : Infinity;
      const years = (await this.filingYears()).filter((year) => year >= from && year <= through);
      sources = years.map((year) => ({
        index: 'gsi4',
        partitionKey: 'gsi4pk',
        sortKey: 'gsi4sk',
        value: keys.filingPartition(year),
        ...range(''),
      }));
    }
    return query.order === 'desc' ? sources.reverse() : sources;
  }

  private async query(
    indexName: IndexName,
    partitionKey: string,
    value: string,
    page: PageRequest,
    options: { prefix?: string } = {},
  ): Promise<Page<CaseRecord>> {
    const sortKey = partitionKey.replace(/pk$/, 'sk');
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
    // One item more than asked tells whether another page follows: the last page has no cursor.
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: options.prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
        ExpressionAttributeNames: options.prefix
          ? { '#pk': partitionKey, '#sk': sortKey }
          : { '#pk': partitionKey },
        ExpressionAttributeValues: options.prefix
          ? { ':pk': value, ':prefix': options.prefix }
          : { ':pk': value },
        Limit: limit + 1,
        ExclusiveStartKey: page.cursor
          ? decodeCursor(page.cursor, { partitionKey, sortKey, value, prefix: options.prefix })
          : undefined,
      }),
    );
    const items = (result.Items ?? []).slice(0, limit);
    const last = items[items.length - 1];
    const more = (result.Items ?? []).length > limit;
    return {
      items: items.map(fromItem),
      cursor:
        more && last
          ? encodeCursor(Object.fromEntries(['pk', 'sk', partitionKey, sortKey].map((k) => [k, last[k]])))
          : // DynamoDB stopped short of the limit at its 1 MB page size: go on from where it stopped.
            result.LastEvaluatedKey
            ? encodeCursor(result.LastEvaluatedKey)
            : undefined,
    };
  }
}

/** The index keys a case is stored with: derived from the case on every write, so they never drift from it. */
export function indexKeysOf(record: CaseRecord): Record<string, string> {
  const closed = closedAt(record);
  return {
    ...keys.caseByStatus(record.status, record.createdAt, record.id),
    ...(record.unitId ? keys.caseByUnit(record.unitId, record.createdAt, record.id) : {}),
    ...keys.caseByNumber(record.caseNo),
    ...keys.caseByFiling(chinaYear(new Date(record.createdAt)), record.createdAt, record.id),
    ...(closed ? keys.caseByClosing(chinaYear(closed), closed.toISOString(), record.id) : {}),
    ...(record.flags.overdue && OPEN_STATUSES.includes(record.status)
      ? keys.caseOverdue(record.createdAt, record.id)
      : {}),
  };
}

/** A stored item as the current key design writes it: a case's index keys derived again, any other item as it is. */
export function reindexedItem(item: Record<string, unknown>): Record<string, unknown> {
  return item.entity === ENTITY ? toItem(fromItem(item)) : item;
}

function toItem(record: CaseRecord): Record<string, unknown> {
  return {
    ...keys.case(record.id),
    ...indexKeysOf(record),
    entity: ENTITY,
    schemaVersion: SCHEMA_VERSION,
    ...record,
  };
}

function fromItem(item: Record<string, unknown>): CaseRecord {
  const {
    pk,
    sk,
    gsi1pk,
    gsi1sk,
    gsi2pk,
    gsi2sk,
    gsi3pk,
    gsi3sk,
    gsi4pk,
    gsi4sk,
    gsi5pk,
    gsi5sk,
    entity,
    schemaVersion,
    ...record
  } = item;
  return record as unknown as CaseRecord;
}

/** The search's filter expression: every condition of the query that the source's key does not already apply. */
function filterOf(
  query: CaseQuery,
  index: IndexName | undefined,
): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  const path = (...parts: string[]) =>
    parts
      .map((part) => {
        names[`#f_${part}`] = part;
        return `#f_${part}`;
      })
      .join('.');
  const value = (name: string, v: unknown) => {
    values[`:f_${name}`] = v;
    return `:f_${name}`;
  };
  // The overdue partition holds open overdue cases only: its key applies `open` and the flag.
  const overdueKey = index === 'gsi5' && query.flag === 'overdue';
  if (query.status && index !== 'gsi1' && !(overdueKey && query.status === 'open')) {
    const statuses = query.status === 'open' ? OPEN_STATUSES : [query.status];
    conditions.push(`${path('status')} IN (${statuses.map((s, i) => value(`status${i}`, s)).join(', ')})`);
  }
  if (query.unitId && index !== 'gsi2')
    conditions.push(`${path('unitId')} = ${value('unitId', query.unitId)}`);
  if (query.township)
    conditions.push(`${path('enterprise', 'township')} = ${value('township', query.township)}`);
  if (query.category) conditions.push(`${path('category')} = ${value('category', query.category)}`);
  if (query.level) conditions.push(`${path('level')} = ${value('level', query.level)}`);
  if (query.flag && !overdueKey) conditions.push(`${path('flags', query.flag)} = ${value('flag', true)}`);
  if (index === 'gsi3') {
    if (query.filedFrom) conditions.push(`${path('createdAt')} >= ${value('from', query.filedFrom)}`);
    if (query.filedBefore) conditions.push(`${path('createdAt')} < ${value('before', query.filedBefore)}`);
  } else if (query.text?.trim()) {
    const text = query.text.trim();
    conditions.push(
      `(contains(${path('enterprise', 'name')}, ${value('text', text)}) OR ` +
        `contains(${path('enterprise', 'creditCode')}, ${value('code', text.toUpperCase())}) OR ` +
        `contains(${path('caseNo')}, :f_code))`,
    );
  }
  return conditions.length ? { expression: conditions.join(' AND '), names, values } : { names, values };
}

function keyOf(item: Record<string, unknown>, source: Source): Record<string, unknown> {
  return {
    pk: item.pk,
    sk: item.sk,
    [source.partitionKey]: item[source.partitionKey],
    [source.sortKey]: item[source.sortKey],
  };
}

/** Whether `key` is a start key of the index query on `partitionKey = value`: the table's and the index's keys, strings only. */
function isStartKey(
  key: unknown,
  partitionKey: string,
  sortKey: string,
  value: string,
): key is Record<string, string> {
  if (!key || typeof key !== 'object' || Array.isArray(key)) return false;
  const record = key as Record<string, unknown>;
  const names = ['pk', 'sk', partitionKey, sortKey];
  return (
    Object.keys(record).length === names.length &&
    names.every((name) => typeof record[name] === 'string') &&
    record[partitionKey] === value
  );
}

function encodeSearchCursor(source: number, key?: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key ? { s: source, k: key } : { s: source })).toString('base64url');
}

/** A search cursor names one of the query's sources and a start key inside it; anything else is a 422. */
function decodeSearchCursor(
  cursor: string,
  sources: Source[],
): { source: number; key: Record<string, unknown> | undefined } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const source = sources[parsed?.s];
    if (source && Number.isInteger(parsed.s)) {
      const key = parsed.k;
      if (key === undefined && Object.keys(parsed).length === 1) return { source: parsed.s, key: undefined };
      if (
        isStartKey(key, source.partitionKey, source.sortKey, source.value) &&
        key[source.sortKey]! >= source.lower &&
        key[source.sortKey]! <= source.upper
      )
        return { source: parsed.s, key };
    }
  } catch {}
  throw new ValidationError([
    { field: 'cursor', code: 'invalid', message: 'is not a cursor this API returned for this query' },
  ]);
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor is a start key of the same query; anything else would make DynamoDB fail (a 500), so it is a 422. */
function decodeCursor(
  cursor: string,
  query: { partitionKey: string; sortKey: string; value: string; prefix?: string | undefined },
): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      isStartKey(key, query.partitionKey, query.sortKey, query.value) &&
      key[query.sortKey]!.startsWith(query.prefix ?? '')
    )
      return key;
  } catch {}
  throw new ValidationError([
    { field: 'cursor', code: 'invalid', message: 'is not a cursor this API returned' },
  ]);
}
