import * as z from 'zod/mini';
import { parseConfig, type ZhuqiConfig } from './config';

// zod/mini as in ./config: read at every function's start.

/**
 * The environment every Lambda function of the stack gets, written down once: the CDK stack
 * builds it with `functionEnvironment`, the functions read it with `readFunctionEnvironment`.
 */
const required = z.string().check(z.minLength(1));
export const functionEnvironmentSchema = z.object({
  TABLE_NAME: required,
  INTAKE_QUEUE_URL: required,
  NOTICE_QUEUE_URL: required,
  STATE_MACHINE_ARN: required,
  /** The platform configuration (townships, categories, deadlines…) as JSON; defaults when absent. */
  ZHUQI_CONFIG: z.optional(z.string()),
  /** Where enterprises reach the public pages; tracking and survey links start with it. */
  PUBLIC_BASE_URL: z.optional(z.string()),
  /** The notifier's SMS credentials: the name of a Secrets Manager secret `{"secretId","secretKey"}`. */
  SMS_CREDENTIALS_SECRET: z.optional(z.string()),
  POWERTOOLS_SERVICE_NAME: z._default(z.string(), 'zhuqi'),
  POWERTOOLS_METRICS_NAMESPACE: z._default(z.string(), 'Zhuqi'),
});
export type FunctionEnvironment = z.infer<typeof functionEnvironmentSchema>;

/** Builds the environment variables of a function (used by the CDK stack). */
export function functionEnvironment(
  values: z.input<typeof functionEnvironmentSchema>,
): Record<string, string> {
  const parsed = z.parse(functionEnvironmentSchema, values);
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

/** Reads the function's environment once, failing fast with the names of what is missing. */
export function readFunctionEnvironment(env: Record<string, string | undefined> = process.env): {
  env: FunctionEnvironment;
  config: ZhuqiConfig;
} {
  const result = z.safeParse(functionEnvironmentSchema, env);
  if (!result.success) {
    throw new Error(
      `missing or invalid environment: ${result.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const config = parseConfig({
    ...(result.data.ZHUQI_CONFIG ? JSON.parse(result.data.ZHUQI_CONFIG) : {}),
    ...(result.data.PUBLIC_BASE_URL ? { publicBaseUrl: result.data.PUBLIC_BASE_URL } : {}),
  });
  return { env: result.data, config };
}
