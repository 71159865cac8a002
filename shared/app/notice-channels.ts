import { ConfigurationError, type ZhuqiConfig } from '../config/config';
import { type NoticeChannel, webhookChannel } from './notifier';
import type { Clock, Logger } from './ports';
import { type SmsProvider, smsChannel } from './sms';

/**
 * The notifier's channels: the units' signed webhooks, and SMS to enterprises when the
 * configuration has an `sms` section (its provider built by the entry point, with credentials).
 * Without it, the enterprise's notices stay in the outbox.
 */
export function noticeChannels(
  deps: { config: ZhuqiConfig; clock: Clock; logger: Logger },
  smsProvider?: SmsProvider,
): NoticeChannel[] {
  const channels = [webhookChannel({ clock: deps.clock })];
  const sms = deps.config.sms;
  if (!sms) return channels;
  if (!smsProvider) throw new ConfigurationError('sms is configured but no SMS provider was given');
  if (!deps.config.publicBaseUrl) {
    throw new ConfigurationError('sms needs publicBaseUrl: the links in a text message must be absolute');
  }
  return [...channels, smsChannel({ config: sms, provider: smsProvider, logger: deps.logger })];
}
