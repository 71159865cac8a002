import * as z from 'zod';
import type { ZhuqiConfig } from '../config/config';
import { CHANNELS } from './case-state';
import { checkCreditCode, describeCreditCodeProblem, normaliseCreditCode } from './credit-code';

/** Mainland mobile numbers: 11 digits starting 13–19; spaces, dashes and a +86 prefix are tolerated. */
export function normaliseMobile(input: string): string {
  return input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
}
const MOBILE = /^1[3-9]\d{9}$/;

/** A mainland mobile number, normalised. */
export const mobileSchema = z
  .string()
  .transform(normaliseMobile)
  .refine((v) => MOBILE.test(v), {
    message: 'not a mainland mobile number (11 digits starting with 13–19)',
    params: { reason: 'mobile' },
  });

/** A unified social credit code, normalised and checked (GB 32100-2015). */
export const creditCodeSchema = z
  .string()
  .transform(normaliseCreditCode)
  .superRefine((code, ctx) => {
    const problem = checkCreditCode(code);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: describeCreditCodeProblem(problem),
        params: { reason: `credit_code_${problem.kind}`, ...problem },
      });
    }
  })
  .meta({
    description: 'Unified social credit code (统一社会信用代码, GB 32100-2015)',
    example: '91350100M000100Y43',
  });

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

/** The filing form (企业诉求登记), its lists taken from the configuration. */
export function filingSchema(config: Pick<ZhuqiConfig, 'townships' | 'categories' | 'limits'>) {
  const townships = config.townships.map((t) => t.id) as [string, ...string[]];
  const categories = config.categories.map((c) => c.id) as [string, ...string[]];
  return z
    .object({
      enterprise: z.object({
        name: text(2, 100).meta({ example: '鄢陵县鼎恒纺织有限公司' }),
        creditCode: creditCodeSchema,
        township: z.enum(townships).meta({ description: 'township id, see /api/v1/catalog' }),
      }),
      contact: z.object({
        name: text(1, 40).meta({ example: '王丽' }),
        mobile: mobileSchema.meta({ example: '13812345678' }),
      }),
      category: z.enum(categories).meta({ description: 'category id, see /api/v1/catalog' }),
      title: text(2, config.limits.titleMax).meta({ example: '新厂房用电增容迟迟未批' }),
      description: text(config.limits.descriptionMin, config.limits.descriptionMax),
      channel: z.enum(CHANNELS).optional(),
      cadre: z
        .object({ name: text(1, 40), mobile: mobileSchema.optional() })
        .optional()
        .meta({ description: 'the cadre (助企干部) who collected the problem on a visit' }),
    })
    .superRefine((filing, ctx) => {
      if (filing.channel === 'visit' && !filing.cadre) {
        ctx.addIssue({
          code: 'custom',
          path: ['cadre'],
          message: 'a report from a visit names the cadre who made it',
          params: { reason: 'cadre_required' },
        });
      }
    })
    .meta({ id: 'Filing' });
}
export type Filing = z.infer<ReturnType<typeof filingSchema>>;

/** One problem with one field, in terms a person filling the form can act on. */
export interface FieldError {
  /** Dotted path of the field, as in the JSON body: `enterprise.creditCode`. */
  field: string;
  /** A stable machine-readable reason (`required`, `too_short`, `credit_code_check`, …). */
  code: string;
  message: string;
  /** What the rule needs, for pages that word the message themselves (minimum length, expected check character…). */
  params?: Record<string, unknown>;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Parses input with a schema and reports every problem as a field error. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validation<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: toFieldErrors(result.error, input) };
}

/** Turns zod's issues into field errors with stable codes; `input` tells a missing field from a wrong one. */
export function toFieldErrors(error: z.ZodError, input: unknown): FieldError[] {
  return error.issues.flatMap((issue): FieldError | FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      // A closed schema names each field it does not know, so the caller sees which to drop.
      return issue.keys.map((key) => ({
        field: [...issue.path, key].join('.'),
        code: 'unknown_field',
        message: 'is not a field of this request',
      }));
    }
    const field = issue.path.join('.') || '(body)';
    const value = valueAt(input, issue.path);
    const blank = typeof value === 'string' && value.trim() === '' && issue.code === 'too_small';
    if ((issue.code !== 'custom' && value === undefined) || blank) {
      return { field, code: 'required', message: 'is required' };
    }
    switch (issue.code) {
      case 'invalid_type':
        return { field, code: 'invalid_type', message: `must be ${issue.expected}` };
      case 'too_small':
        if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
          return {
            field,
            code: 'too_small',
            message: `must be at least ${issue.minimum}`,
            params: { min: Number(issue.minimum) },
          };
        }
        return {
          field,
          code: issue.minimum === 1 ? 'required' : 'too_short',
          message: issue.minimum === 1 ? 'is required' : `must be at least ${issue.minimum} characters`,
          params: { min: Number(issue.minimum) },
        };
      case 'too_big':
        if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
          return {
            field,
            code: 'too_big',
            message: `must be at most ${issue.maximum}`,
            params: { max: Number(issue.maximum) },
          };
        }
        return {
          field,
          code: 'too_long',
          message: `must be at most ${issue.maximum} characters`,
          params: { max: Number(issue.maximum) },
        };
      case 'invalid_value':
        return {
          field,
          code: 'not_in_list',
          message: `must be one of: ${issue.values.join(', ')}`,
          params: { allowed: issue.values },
        };
      case 'custom': {
        const { reason, ...params } = (issue.params ?? {}) as { reason?: string };
        return { field, code: reason ?? 'invalid', message: issue.message, params };
      }
      default:
        return { field, code: 'invalid', message: issue.message };
    }
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
