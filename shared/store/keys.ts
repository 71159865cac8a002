/**
 * The single-table key design, written down once. The repository builds every key with these
 * functions, the embedded runtime creates its table from `TABLE_DESIGN`, and the CDK stack
 * declares the DynamoDB table and its indexes from the same object.
 *
 * | item            | pk                 | sk                 | gsi1 (by status)        | gsi2 (by owner)          | gsi3 (by number) | gsi4 (by filing year) | gsi5 (by closing year) |
 * |-----------------|--------------------|--------------------|-------------------------|--------------------------|------------------|-----------------------|------------------------|
 * | case            | CASE#<id>          | CASE               | STATUS#<status> / time  | UNIT#<unitId> / CASE#time| CASENO#<caseNo>  | FILED#<year> / time   | CLOSED#<year> / closed |
 * |   (open, overdue)  |                    |                    |                         |                          |                  |                       | OVERDUE / time         |
 * | contact view    | CASE#<id>          | VIEW#<at>#<nonce>  |  (audit: a unit saw the full contact)
 * | case-no counter | COUNTER            | CASENO#<prefix>#<y>|                         |                          |                  |
 * | unit            | UNITS              | <unitId>           |                         |                          |                  |
 * | API key         | APIKEY#<sha256>    | APIKEY             |                         | <owner> / KEY#time       |                  |
 * | survey link     | SURVEY#<sha256>    | SURVEY             |                         |                          |                  |
 * | outbox notice   | NOTICE#<id>        | NOTICE             | OUTBOX / time           |                          |                  |
 * | abuse counter   | LIMIT#<act>#<hash> | LIMIT              |  (expires by TTL)
 * | follow-up month | FOLLOWUP           | <YYYY-MM>          |                         |                          |                  |
 * | audit entry     | AUDIT#<YYYY-MM>    | <time>#<id>        |                         |                          |                  |
 * | common problem  | COMMONPROBLEM      | <groupId>          |                         |                          |                  |
 * | cadre (包联干部) | CADRES             | <cadreId>          |                         |                          |                  |
 * | session         | SESSION#<sha256>   | SESSION            |                         |                          |                  |
 * | sign-in failures| LIMIT#signin#<ip>  | FAILURES           |                         |                          |                  |
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Items with this attribute (epoch seconds) expire: the abuse counters once their window has passed, workbench sessions at the end of their lifetime. */
  timeToLiveAttribute: 'ttl',
  indexes: [
    {
      indexName: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      purpose: 'cases by status, oldest first',
    },
    {
      indexName: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      purpose: "a unit's cases; an owner's API keys",
    },
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', purpose: 'a case by its number' },
    {
      indexName: 'gsi4',
      partitionKey: 'gsi4pk',
      sortKey: 'gsi4sk',
      purpose: 'every case by the China year and time of filing: the ledger and the figures',
    },
    {
      indexName: 'gsi5',
      partitionKey: 'gsi5pk',
      sortKey: 'gsi5sk',
      purpose:
        'closed cases by the China year and time of closing, and the open overdue cases by filing time (sparse): the weekly report, the overdue board',
    },
  ],
} as const;

/**
 * Raised when the index keys derived from a case change (2: open overdue cases in gsi5). The
 * embedded store then copies its data into a table of the new version on start, deriving every
 * case's keys again; on AWS, `infra/rebuild-figures.ts --fix` re-keys the cases stored before.
 */
export const INDEX_KEYS_VERSION = 2;

export type IndexName = (typeof TABLE_DESIGN.indexes)[number]['indexName'];

export interface ItemKey {
  pk: string;
  sk: string;
}

export const keys = {
  case: (id: string): ItemKey => ({ pk: `CASE#${id}`, sk: 'CASE' }),
  caseByStatus: (status: string, createdAt: string, id: string) => ({
    gsi1pk: `STATUS#${status}`,
    gsi1sk: `${createdAt}#${id}`,
  }),
  statusPartition: (status: string) => `STATUS#${status}`,
  contactView: (caseId: string, at: string, nonce: string): ItemKey => ({
    pk: `CASE#${caseId}`,
    sk: `VIEW#${at}#${nonce}`,
  }),
  contactViewPrefix: 'VIEW#',
  caseByUnit: (unitId: string, createdAt: string, id: string) => ({
    gsi2pk: `UNIT#${unitId}`,
    gsi2sk: `CASE#${createdAt}#${id}`,
  }),
  unitPartition: (unitId: string) => `UNIT#${unitId}`,
  caseByNumber: (caseNo: string) => ({ gsi3pk: `CASENO#${caseNo}`, gsi3sk: 'CASE' }),
  numberPartition: (caseNo: string) => `CASENO#${caseNo}`,
  caseByFiling: (year: number, createdAt: string, id: string) => ({
    gsi4pk: `FILED#${year}`,
    gsi4sk: `${createdAt}#${id}`,
  }),
  filingPartition: (year: number) => `FILED#${year}`,
  caseByClosing: (year: number, closedAt: string, id: string) => ({
    gsi5pk: `CLOSED#${year}`,
    gsi5sk: `${closedAt}#${id}`,
  }),
  closingPartition: (year: number) => `CLOSED#${year}`,
  /** An open case that is overdue (a closed one never is: the two never meet on one item). */
  caseOverdue: (createdAt: string, id: string) => ({ gsi5pk: 'OVERDUE', gsi5sk: `${createdAt}#${id}` }),
  overduePartition: 'OVERDUE',
  caseNoCounter: (prefix: string, year: number): ItemKey => ({
    pk: 'COUNTER',
    sk: `CASENO#${prefix}#${year}`,
  }),
  /** The counters' partition: one counter per prefix and year of filing, so it also tells the years with cases. */
  counterPartition: 'COUNTER',
  caseNoCounterPrefix: 'CASENO#',
  unit: (unitId: string): ItemKey => ({ pk: 'UNITS', sk: unitId }),
  unitsPartition: 'UNITS',
  apiKey: (hash: string): ItemKey => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }),
  surveyLink: (tokenHash: string): ItemKey => ({ pk: `SURVEY#${tokenHash}`, sk: 'SURVEY' }),
  notice: (id: string): ItemKey => ({ pk: `NOTICE#${id}`, sk: 'NOTICE' }),
  noticeInOutbox: (at: string, id: string) => ({ gsi1pk: 'OUTBOX', gsi1sk: `${at}#${id}` }),
  outboxPartition: 'OUTBOX',
  followUpSample: (month: string): ItemKey => ({ pk: 'FOLLOWUP', sk: month }),
  /** The office's audit log, one partition per month (China time) of the act. */
  auditEntry: (month: string, at: string, id: string): ItemKey => ({
    pk: `AUDIT#${month}`,
    sk: `${at}#${id}`,
  }),
  auditPartition: (month: string) => `AUDIT#${month}`,
  commonProblem: (id: string): ItemKey => ({ pk: 'COMMONPROBLEM', sk: id }),
  commonProblemsPartition: 'COMMONPROBLEM',
  /** The subject (a client address, a credit code) is hashed: the counters keep no personal data. */
  abuseCounter: (act: string, subjectHash: string): ItemKey => ({
    pk: `LIMIT#${act}#${subjectHash}`,
    sk: 'LIMIT',
  }),
  apiKeyByOwner: (owner: string, createdAt: string) => ({ gsi2pk: owner, gsi2sk: `KEY#${createdAt}` }),
  cadre: (cadreId: string): ItemKey => ({ pk: 'CADRES', sk: cadreId }),
  cadresPartition: 'CADRES',
  cadreOwner: (cadreId: string) => `CADRE#${cadreId}`,
  session: (idHash: string): ItemKey => ({ pk: `SESSION#${idHash}`, sk: 'SESSION' }),
} as const;
