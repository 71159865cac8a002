// SQS notice queue → the recipient's channel (a unit's signed webhook; SMS to the enterprise where configured), recorded once in the outbox.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { noticeChannels } from '../shared/app/notice-channels';
import { deliverNotice } from '../shared/app/notifier';
import type { NoticeMessage } from '../shared/app/ports';

const services = await awsServices();
const metrics = new Metrics();
// The SMS adapters load only in a deployment with SMS (their SDK later still, with the first message).
const channels = noticeChannels(
  services,
  services.config.sms
    ? (await import('../shared/adapters/sms-providers')).smsProviderFromEnvironment(services.config.sms)
    : undefined,
);
const processor = new BatchProcessor(EventType.SQS);

async function deliverOne(record: SQSRecord) {
  const message = JSON.parse(record.body) as NoticeMessage;
  await deliverNotice({ ...services, channels }, message);
  metrics.addMetric(`Notice_${message.kind}`, MetricUnit.Count, 1);
}

export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, deliverOne, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
