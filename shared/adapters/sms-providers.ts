import { onFirstUse } from '../app/on-first-use';
import type { SmsProvider } from '../app/sms';
import { ConfigurationError, type SmsConfig } from '../config/config';
import { type TencentCredentials, tencentSmsProvider } from './tencent-sms';

/**
 * The configured SMS provider with its credentials from the environment, never from the
 * configuration file: `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` (the SDK's usual
 * names), or on AWS `SMS_CREDENTIALS_SECRET`, a Secrets Manager secret holding
 * `{"secretId": "…", "secretKey": "…"}`, read when the first message goes. Fails fast without either.
 */
export function smsProviderFromEnvironment(
  config: SmsConfig,
  env: Record<string, string | undefined> = process.env,
): SmsProvider {
  if (env.TENCENTCLOUD_SECRET_ID && env.TENCENTCLOUD_SECRET_KEY) {
    return tencentSmsProvider({
      config,
      credentials: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY },
    });
  }
  const secretName = env.SMS_CREDENTIALS_SECRET;
  if (secretName) {
    const read = async (): Promise<TencentCredentials> => {
      // Loaded with the first message, like the SMS SDK: a notifier without SMS never needs it.
      const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      const answer = await new SecretsManagerClient({}).send(
        new GetSecretValueCommand({ SecretId: secretName }),
      );
      const value = JSON.parse(answer.SecretString ?? '{}') as Partial<TencentCredentials>;
      if (!value.secretId || !value.secretKey) {
        throw new ConfigurationError(`the secret ${secretName} must hold {"secretId": …, "secretKey": …}`);
      }
      return { secretId: value.secretId, secretKey: value.secretKey };
    };
    return tencentSmsProvider({
      config,
      // A failed read is tried again with the next message.
      credentials: onFirstUse(read),
    });
  }
  throw new ConfigurationError(
    'sms is configured but has no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (or SMS_CREDENTIALS_SECRET on AWS)',
  );
}
