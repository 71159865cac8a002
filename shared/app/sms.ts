import { type SmsConfig, type SmsTemplateField, smsTemplateFields } from '../config/config';
import { maskMobile } from '../domain/case';
import { chinaDateTime } from '../domain/china-time';
import type { NoticeChannel } from './notifier';
import { UndeliverableError } from './notifier';
import type { Logger, NoticeMessage } from './ports';

/** One text message to one mainland mobile number, by a template the provider approved. */
export interface SmsRequest {
  /** 11 digits, as the enterprise gave it. */
  mobile: string;
  templateId: string;
  /** The template's variables, in order. */
  params: string[];
}

/**
 * An SMS provider. Tencent Cloud SMS ships (shared/adapters/tencent-sms.ts); another region's
 * provider (AWS End User Messaging SMS, see the README) is another implementation of this.
 */
export interface SmsProvider {
  readonly name: string;
  /**
   * Sends the message. Throws SmsThrottledError when the provider asks to slow down, SmsRejectedError
   * when it will never accept this message (bad number, template, signature, credentials), any other
   * error when it may succeed later. No error message carries the full mobile number.
   */
  send(request: SmsRequest): Promise<{ messageId?: string }>;
}

/** The provider asked to slow down (rate limits); the message may go later. */
export class SmsThrottledError extends Error {
  override name = 'SmsThrottledError';
}

/** The provider refused the message for good; trying again would not help. */
export class SmsRejectedError extends UndeliverableError {
  override name = 'SmsRejectedError';
}

/** What each template field is, for one notice. */
function fieldValue(field: SmsTemplateField, message: NoticeMessage): string {
  switch (field) {
    case 'caseNo':
      return message.caseNo;
    case 'deadline':
      if (!message.dueAt) throw new SmsRejectedError(`notice ${message.id} names no deadline for {deadline}`);
      return chinaDateTime(message.dueAt);
    case 'link':
    case 'linkPath': {
      if (!message.link?.startsWith('http')) {
        throw new SmsRejectedError(`notice ${message.id} has no absolute link (is publicBaseUrl set?)`);
      }
      const url = new URL(message.link);
      return field === 'link' ? url.href : `${url.pathname.slice(1)}${url.search}`;
    }
  }
}

/**
 * 短信: the enterprise's notices that have a template (the survey invitation; the filing
 * confirmation where configured) go by SMS, filled with the template's fields only.
 */
export function smsChannel(options: {
  config: SmsConfig;
  provider: SmsProvider;
  logger: Logger;
}): NoticeChannel {
  const { config, provider, logger } = options;
  const templateOf = (message: NoticeMessage) =>
    message.kind === 'survey' || message.kind === 'filed' ? config.templates[message.kind] : undefined;
  return {
    name: 'sms',
    reaches: (message) => message.recipient.kind === 'enterprise' && templateOf(message) !== undefined,
    async deliver(message) {
      const template = templateOf(message)!;
      if (message.recipient.kind !== 'enterprise') throw new SmsRejectedError('not an enterprise');
      const params = smsTemplateFields(template.text).map((field) => fieldValue(field, message));
      const { messageId } = await provider.send({
        mobile: message.recipient.mobile,
        templateId: template.id,
        params,
      });
      logger.info('sms sent', {
        noticeId: message.id,
        provider: provider.name,
        to: maskMobile(message.recipient.mobile),
        ...(messageId ? { messageId } : {}),
      });
    },
  };
}
