// SQS notice queue → the recipient's channel (signed webhook), recorded once in the outbox.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { deliverNotice, webhookChannel } from '../shared/app/notifier';
import type { NoticeMessage } from '../shared/app/ports';

const services = awsServices();
const metrics = new Metrics();
const channels = [webhookChannel({ clock: services.clock })];
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
