import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { LEVELS } from '../domain/case-state';
import { DEFAULT_CATEGORIES, DEFAULT_TOWNSHIPS, DEFAULT_UNITS } from './catalog';

const label = { zh: z.string().min(1), en: z.string().min(1) };
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** Durations of the "13710" policy and the supervision around it, in `unit`s. */
export const deadlinePolicySchema = z.object({
  unit: z.enum(['workday', 'day']).default('workday'),
  /** 1: the office triages and assigns within a day of filing. */
  assign: z.number().positive().default(1),
  /** 3: the unit accepts and reports progress within three days of assignment. */
  progress: z.number().positive().default(3),
  /** 7: an ordinary problem is resolved within seven days of assignment. */
  resolveOrdinary: z.number().positive().default(7),
  /** 30: a major or complex problem is resolved within a month. */
  resolveMajor: z.number().positive().default(30),
  /** A unit may return a misrouted case within this time of assignment. */
  returnWindow: z.number().positive().default(1),
  /** An extension must be asked for at least this long before the deadline. */
  extensionNotice: z.number().nonnegative().default(1),
  /** Yellow warning (黄牌督办) this long before a deadline. */
  warnBefore: z.number().nonnegative().default(1),
  /** Escalation to the supervising leader when a case is still overdue this long after its deadline. */
  escalateAfter: z.number().positive().default(2),
  /** The enterprise has this long to answer the satisfaction survey. */
  surveyWindow: z.number().positive().default(7),
});
export type DeadlinePolicy = z.infer<typeof deadlinePolicySchema>;

const limitRule = (max: number, windowSeconds: number) =>
  z
    .object({
      max: z.number().int().positive(),
      windowSeconds: z
        .number()
        .int()
        .positive()
        .max(86_400 * 7),
    })
    .default({ max, windowSeconds });

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
  id: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'the template id the provider gave'),
  /**
   * The approved zh-CN text, with `{caseNo}`, `{deadline}`, `{link}` or `{linkPath}` where the
   * provider's template has its variables, in the same order.
   */
  text: z
    .string()
    .min(1)
    .max(300)
    .refine((text) => smsTemplateFields(text).every((f) => SMS_TEMPLATE_FIELDS.includes(f)), {
      message: `a template may only use the fields ${SMS_TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`,
    }),
});

/**
 * The SMS channel to enterprises (短信), off unless configured. Tencent Cloud SMS: the SMS
 * application's SdkAppId, the approved signature (签名) and templates; the credentials come from
 * the environment, never from this file.
 */
export const smsConfigSchema = z.object({
  provider: z.literal('tencent'),
  sdkAppId: z.string().regex(/^\d{6,12}$/, 'the SmsSdkAppId of the SMS application'),
  signName: z.string().min(2).max(20),
  region: z
    .string()
    .regex(/^[a-z]+-[a-z]+$/)
    .default('ap-guangzhou'),
  templates: z.object({
    /** The survey invitation (满意度回访): deadline and the one-time link. */
    survey: smsTemplateSchema,
    /** The filing confirmation with the tracking link; sent only when configured. */
    filed: smsTemplateSchema.optional(),
  }),
});
export type SmsConfig = z.infer<typeof smsConfigSchema>;

export const configSchema = z.object({
  /** Case numbers read `${prefix}-${year}-${sequence}`. */
  caseNoPrefix: z
    .string()
    .regex(/^[A-Z]{1,6}$/, '1 to 6 capital letters')
    .default('YL'),
  /** The office's name, shown on pages and notices. */
  officeName: z
    .object(label)
    .default({ zh: '鄢陵县万人助企活动办公室', en: 'Yanling County Enterprise Support Office' }),
  /** Where enterprises reach the public pages; tracking and survey links start with it. */
  publicBaseUrl: z.string().url().optional(),
  townships: z
    .array(z.object({ id: slug, ...label }))
    .min(1)
    .default(DEFAULT_TOWNSHIPS),
  categories: z
    .array(
      z.object({
        id: slug,
        ...label,
        route: z.object({ level: z.enum(LEVELS), unitId: slug.optional() }),
      }),
    )
    .min(1)
    .default(DEFAULT_CATEGORIES),
  /** Units created on the first start of an empty store (the office manages them afterwards). */
  units: z
    .array(
      z.object({ id: slug, kind: z.enum(['department', 'task_force', 'government', 'leader']), ...label }),
    )
    .default(DEFAULT_UNITS),
  deadlines: deadlinePolicySchema.default(deadlinePolicySchema.parse({})),
  /** The unit (usually the county leader in charge) that escalations go to. */
  escalationUnitId: slug.default('leader'),
  /**
   * Official holiday schedule for years the bundled calendar does not know yet (the State
   * Council publishes each year's late in the year before): days off and make-up working days.
   */
  calendar: z
    .object({ holidays: z.array(isoDate).default([]), workdays: z.array(isoDate).default([]) })
    .default({ holidays: [], workdays: [] }),
  /** 回头看: each month the office revisits a random sample of the cases closed in the month before. */
  followUp: z
    .object({
      /** The share of the month's closed cases sampled (rounded up). */
      sampleRate: z.number().min(0).max(1).default(0.1),
      /** At least this many are sampled when the month closed any case (never more than it closed). */
      minimum: z.number().int().nonnegative().default(1),
    })
    .default({ sampleRate: 0.1, minimum: 1 }),
  sms: smsConfigSchema.optional(),
  /** Workbench sessions (office, units, cadres): signed out after `idleMinutes` without a request, and `lifetimeHours` after sign-in. */
  sessions: z
    .object({
      idleMinutes: z.number().positive().default(30),
      lifetimeHours: z.number().positive().default(12),
    })
    .default({ idleMinutes: 30, lifetimeHours: 12 }),
  limits: z
    .object({
      titleMax: z.number().int().positive().default(80),
      descriptionMin: z.number().int().nonnegative().default(10),
      descriptionMax: z.number().int().positive().default(2000),
      bodyMaxBytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1024),
    })
    .default({ titleMax: 80, descriptionMin: 10, descriptionMax: 2000, bodyMaxBytes: 64 * 1024 }),
  abuseLimits: abuseLimitsSchema.default(abuseLimitsSchema.parse({})),
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
  const result = configSchema.safeParse(raw);
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
