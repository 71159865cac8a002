/**
 * What the Lambda bundles use in place of `@aws-sdk/credential-provider-node` (an esbuild alias,
 * infra/bundling.ts). Lambda hands every function its role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the SDK's default chain asks the
 * environment first: on Lambda its other links (SSO, profiles, credential processes, web identity,
 * the container and instance metadata endpoints) are never reached. Leaving them out of the bundle
 * also leaves out the STS and SSO clients they load on first use, whose protocol code esbuild would
 * otherwise put into the chunks every cold start loads. Anywhere else (the embedded runtime, the
 * operator's scripts) the SDK's own chain is used.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { defaultProvider as sdkDefaultProvider } from '@aws-sdk/credential-provider-node';

/** The environment's credentials (the SDK memoizes what a provider gives); fails without them. */
export const defaultProvider: typeof sdkDefaultProvider = (init = {}) => fromEnv(init);
