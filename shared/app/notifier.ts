import { createHmac } from 'node:crypto';
import type { AccessRepository, Unit } from '../store/access-repository';
import type { OutboxRepository } from '../store/outbox-repository';
import type { Clock, Logger, NoticeMessage } from './ports';

/** A way to reach a recipient. SMS and e-mail providers plug in here beside the webhook. */
export interface NoticeChannel {
  readonly name: string;
  /** Whether the channel can reach this message's recipient. */
  reaches(message: NoticeMessage, unit: Unit | undefined): boolean;
  /** Delivers the message; throws when the recipient could not be reached (the queue retries). */
  deliver(message: NoticeMessage, unit: Unit | undefined): Promise<void>;
}

/** A channel will never deliver this message (a refused number or template): it is not retried. */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

export interface NotifierDeps {
  outbox: OutboxRepository;
  access: AccessRepository;
  channels: NoticeChannel[];
  clock: Clock;
  logger: Logger;
}

/**
 * Delivers one notice from the queue: recorded in the outbox first (so a redelivered message is
 * recognised by its id), then sent on the first channel that reaches the recipient. A notice no
 * channel reaches is kept in the outbox, where the office reads it (recorded so at once). A failed
 * attempt is recorded (`failed`) and thrown, so the queue tries again; a refusal for good is
 * recorded (`rejected`) and not retried. `attempts` counts them all.
 */
export async function deliverNotice(deps: NotifierDeps, message: NoticeMessage): Promise<void> {
  const at = deps.clock.now().toISOString();
  const unit =
    message.recipient.kind === 'unit' ? await deps.access.getUnit(message.recipient.unitId) : undefined;
  const channel = deps.channels.find((c) => c.reaches(message, unit));
  // A notice no channel reaches is kept in the outbox with the one write that records it (then
  // its entry is `kept`, and nothing is left to do).
  const { entry } = await deps.outbox.record(message, at, !channel);
  if (entry.status === 'delivered' || entry.status === 'kept' || entry.status === 'rejected') return;
  if (!channel) {
    await deps.outbox.markOutcome(message.id, { status: 'kept', at });
    return;
  }
  try {
    await channel.deliver(message, unit);
    await deps.outbox.markOutcome(message.id, {
      status: 'delivered',
      channel: channel.name,
      at: deps.clock.now().toISOString(),
    });
  } catch (error) {
    const refused = error instanceof UndeliverableError;
    await deps.outbox.markOutcome(message.id, {
      status: refused ? 'rejected' : 'failed',
      channel: channel.name,
      at,
      error: String(error),
    });
    const details = { noticeId: message.id, channel: channel.name, error: String(error) };
    if (refused) {
      deps.logger.error('notice refused by its channel; it stays in the outbox', details);
      return;
    }
    deps.logger.warn('notice delivery failed', details);
    throw error;
  }
}

/** Signs a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe-style receivers expect. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Pushes notices to a unit's webhook as signed JSON; a non-2xx answer is a failed delivery. */
export function webhookChannel(options: {
  clock: Clock;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): NoticeChannel {
  const send = options.fetch ?? fetch;
  return {
    name: 'webhook',
    reaches: (_message, unit) => Boolean(unit?.webhookUrl && unit.webhookSecret),
    async deliver(message, unit) {
      const body = JSON.stringify(message);
      const timestamp = Math.floor(options.clock.now().getTime() / 1000);
      const response = await send(unit!.webhookUrl!, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'zhuqi-notifier',
          'Zhuqi-Notice-Id': message.id,
          'Zhuqi-Signature': webhookSignature(unit!.webhookSecret!, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    },
  };
}
