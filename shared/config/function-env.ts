import * as z from 'zod';
import { parseConfig, type ZhuqiConfig } from './config';

/**
 * The environment every Lambda function of the stack gets, written down once: the CDK stack
 * builds it with `functionEnvironment`, the functions read it with `readFunctionEnvironment`.
 */
export const functionEnvironmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  INTAKE_QUEUE_URL: z.string().min(1),
  NOTICE_QUEUE_URL: z.string().min(1),
  STATE_MACHINE_ARN: z.string().min(1),
  /** The platform configuration (townships, categories, deadlines…) as JSON; defaults when absent. */
  ZHUQI_CONFIG: z.string().optional(),
  /** Where enterprises reach the public pages; tracking and survey links start with it. */
  PUBLIC_BASE_URL: z.string().optional(),
  /** The notifier's SMS credentials: the name of a Secrets Manager secret `{"secretId","secretKey"}`. */
  SMS_CREDENTIALS_SECRET: z.string().optional(),
  POWERTOOLS_SERVICE_NAME: z.string().default('zhuqi'),
  POWERTOOLS_METRICS_NAMESPACE: z.string().default('Zhuqi'),
});
export type FunctionEnvironment = z.infer<typeof functionEnvironmentSchema>;

/** Builds the environment variables of a function (used by the CDK stack). */
export function functionEnvironment(
  values: z.input<typeof functionEnvironmentSchema>,
): Record<string, string> {
  const parsed = functionEnvironmentSchema.parse(values);
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
  const result = functionEnvironmentSchema.safeParse(env);
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
