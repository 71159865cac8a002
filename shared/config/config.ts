import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { LEVELS } from '../domain/case-state';
import { DEFAULT_CATEGORIES, DEFAULT_TOWNSHIPS, DEFAULT_UNITS } from './catalog';

// zod/mini, not zod: every function parses the configuration at its start, and zod's tree-shakable
// variant (same checks, same English messages) keeps the functions that have no HTTP layer free of zod's
// classic API, about 60 KB of each bundle (docs/performance.md).
z.config(z.locales.en());

const chars = (min: number, max?: number) =>
  z.string().check(z.minLength(min), ...(max === undefined ? [] : [z.maxLength(max)]));
const label = { zh: chars(1), en: chars(1) };
const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'));
const positive = (fallback: number) => z._default(z.number().check(z.positive()), fallback);
const nonnegative = (fallback: number) => z._default(z.number().check(z.nonnegative()), fallback);
const count = (fallback: number) => z._default(z.int().check(z.positive()), fallback);

/** Durations of the "13710" policy and the supervision around it, in `unit`s. */
export const deadlinePolicySchema = z.object({
  unit: z._default(z.enum(['workday', 'day']), 'workday'),
  /** 1: the office triages and assigns within a day of filing. */
  assign: positive(1),
  /** 3: the unit accepts and reports progress within three days of assignment. */
  progress: positive(3),
  /** 7: an ordinary problem is resolved within seven days of assignment. */
  resolveOrdinary: positive(7),
  /** 30: a major or complex problem is resolved within a month. */
  resolveMajor: positive(30),
  /** A unit may return a misrouted case within this time of assignment. */
  returnWindow: positive(1),
  /** An extension must be asked for at least this long before the deadline. */
  extensionNotice: nonnegative(1),
  /** Yellow warning (黄牌督办) this long before a deadline. */
  warnBefore: nonnegative(1),
  /** Escalation to the supervising leader when a case is still overdue this long after its deadline. */
  escalateAfter: positive(2),
  /** The enterprise has this long to answer the satisfaction survey. */
  surveyWindow: positive(7),
});
export type DeadlinePolicy = z.infer<typeof deadlinePolicySchema>;

const limitRule = (max: number, windowSeconds: number) =>
  z._default(
    z.object({
      max: z.int().check(z.positive()),
      windowSeconds: z.int().check(z.positive(), z.maximum(86_400 * 7)),
    }),
    { max, windowSeconds },
  );

/**
 * Abuse limits (防刷), each `max` acts per fixed window of `windowSeconds`, counted per client
 * address (and per credit code for filings); over the limit is 429 with Retry-After. The defaults
 * leave an enterprise room to file several different problems a day.
 */
export const abuseLimitsSchema = z.object({
  filingsPerAddress: limitRule(30, 3600),
  filingsPerCreditCode: limitRule(10, 86_400),
  /** Tracking links and survey links that do not exist (guessed keys and tokens). */
  failedLookupsPerAddress: limitRule(30, 600),
  surveyAnswersPerAddress: limitRule(20, 3600),
  /** API keys (and sign-ins) that are unknown or revoked. */
  failedSignInsPerAddress: limitRule(20, 600),
});

/**
 * The only facts of a case a text message may carry (besides the number it goes to): its
 * number, the deadline the notice names, and the link (or the link without its origin, for
 * templates whose approved text fixes the domain). Names, titles and descriptions never go.
 */
export const SMS_TEMPLATE_FIELDS = ['caseNo', 'deadline', 'link', 'linkPath'] as const;
export type SmsTemplateField = (typeof SMS_TEMPLATE_FIELDS)[number];
const TEMPLATE_FIELD = /\{([A-Za-z]+)\}/g;

/** The fields a template text names, in order: the provider's template variables {1}, {2}… */
export function smsTemplateFields(text: string): SmsTemplateField[] {
  return [...text.matchAll(TEMPLATE_FIELD)].map((m) => m[1] as SmsTemplateField);
}

const smsTemplateSchema = z.object({
  /** The template's id as the provider approved it (模板 ID). */
  id: z.string().check(z.regex(/^[A-Za-z0-9_]{1,40}$/, 'the template id the provider gave')),
  /**
   * The approved zh-CN text, with `{caseNo}`, `{deadline}`, `{link}` or `{linkPath}` where the
   * provider's template has its variables, in the same order.
   */
  text: chars(1, 300).check(
    z.refine((text: string) => smsTemplateFields(text).every((f) => SMS_TEMPLATE_FIELDS.includes(f)), {
      message: `a template may only use the fields ${SMS_TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`,
    }),
  ),
});

/**
 * The SMS channel to enterprises (短信), off unless configured. Tencent Cloud SMS: the SMS
 * application's SdkAppId, the approved signature (签名) and templates; the credentials come from
 * the environment, never from this file.
 */
export const smsConfigSchema = z.object({
  provider: z.literal('tencent'),
  sdkAppId: z.string().check(z.regex(/^\d{6,12}$/, 'the SmsSdkAppId of the SMS application')),
  signName: chars(2, 20),
  region: z._default(z.string().check(z.regex(/^[a-z]+-[a-z]+$/)), 'ap-guangzhou'),
  templates: z.object({
    /** The survey invitation (满意度回访): deadline and the one-time link. */
    survey: smsTemplateSchema,
    /** The filing confirmation with the tracking link; sent only when configured. */
    filed: z.optional(smsTemplateSchema),
  }),
});
export type SmsConfig = z.infer<typeof smsConfigSchema>;

export const configSchema = z.object({
  /** Case numbers read `${prefix}-${year}-${sequence}`. */
  caseNoPrefix: z._default(z.string().check(z.regex(/^[A-Z]{1,6}$/, '1 to 6 capital letters')), 'YL'),
  /** The office's name, shown on pages and notices. */
  officeName: z._default(z.object(label), {
    zh: '鄢陵县万人助企活动办公室',
    en: 'Yanling County Enterprise Support Office',
  }),
  /** Where enterprises reach the public pages; tracking and survey links start with it. */
  publicBaseUrl: z.optional(z.url()),
  townships: z._default(z.array(z.object({ id: slug, ...label })).check(z.minLength(1)), DEFAULT_TOWNSHIPS),
  categories: z._default(
    z
      .array(
        z.object({
          id: slug,
          ...label,
          route: z.object({ level: z.enum(LEVELS), unitId: z.optional(slug) }),
        }),
      )
      .check(z.minLength(1)),
    DEFAULT_CATEGORIES,
  ),
  /** Units created on the first start of an empty store (the office manages them afterwards). */
  units: z._default(
    z.array(
      z.object({ id: slug, kind: z.enum(['department', 'task_force', 'government', 'leader']), ...label }),
    ),
    DEFAULT_UNITS,
  ),
  deadlines: z._default(deadlinePolicySchema, () => z.parse(deadlinePolicySchema, {})),
  /** The unit (usually the county leader in charge) that escalations go to. */
  escalationUnitId: z._default(slug, 'leader'),
  /**
   * Official holiday schedule for years the bundled calendar does not know yet (the State
   * Council publishes each year's late in the year before): days off and make-up working days.
   */
  calendar: z._default(
    z.object({ holidays: z._default(z.array(isoDate), []), workdays: z._default(z.array(isoDate), []) }),
    { holidays: [], workdays: [] },
  ),
  /** 回头看: each month the office revisits a random sample of the cases closed in the month before. */
  followUp: z._default(
    z.object({
      /** The share of the month's closed cases sampled (rounded up). */
      sampleRate: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.1),
      /** At least this many are sampled when the month closed any case (never more than it closed). */
      minimum: z._default(z.int().check(z.nonnegative()), 1),
    }),
    { sampleRate: 0.1, minimum: 1 },
  ),
  sms: z.optional(smsConfigSchema),
  /** Workbench sessions (office, units, cadres): signed out after `idleMinutes` without a request, and `lifetimeHours` after sign-in. */
  sessions: z._default(z.object({ idleMinutes: positive(30), lifetimeHours: positive(12) }), {
    idleMinutes: 30,
    lifetimeHours: 12,
  }),
  limits: z._default(
    z.object({
      titleMax: count(80),
      descriptionMin: z._default(z.int().check(z.nonnegative()), 10),
      descriptionMax: count(2000),
      bodyMaxBytes: count(64 * 1024),
    }),
    { titleMax: 80, descriptionMin: 10, descriptionMax: 2000, bodyMaxBytes: 64 * 1024 },
  ),
  abuseLimits: z._default(abuseLimitsSchema, () => z.parse(abuseLimitsSchema, {})),
});
export type ZhuqiConfig = z.infer<typeof configSchema>;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * Reads the configuration once: defaults, overlaid by the JSON file named in `ZHUQI_CONFIG_FILE`
 * or the JSON in `ZHUQI_CONFIG`. Fails fast, naming the offending setting.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ZhuqiConfig {
  let raw: unknown = {};
  try {
    if (env.ZHUQI_CONFIG_FILE) raw = JSON.parse(readFileSync(env.ZHUQI_CONFIG_FILE, 'utf8'));
    else if (env.ZHUQI_CONFIG) raw = JSON.parse(env.ZHUQI_CONFIG);
  } catch (error) {
    throw new ConfigurationError(`cannot read the configuration: ${(error as Error).message}`);
  }
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): ZhuqiConfig {
  const result = z.safeParse(configSchema, raw);
  if (!result.success) {
    const details = result.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ConfigurationError(`invalid configuration: ${details}`);
  }
  const config = result.data;
  const unitIds = new Set(config.units.map((u) => u.id));
  if (!unitIds.has(config.escalationUnitId)) {
    throw new ConfigurationError(
      `invalid configuration: escalationUnitId names unknown unit ${config.escalationUnitId}`,
    );
  }
  for (const category of config.categories) {
    if (category.route.unitId && !unitIds.has(category.route.unitId)) {
      throw new ConfigurationError(
        `invalid configuration: category ${category.id} routes to unknown unit ${category.route.unitId}`,
      );
    }
  }
  return config;
}
