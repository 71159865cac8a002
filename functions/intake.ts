// SQS intake queue → one Step Functions execution per filed case.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { startCaseWorkflow } from '../shared/app/intake';
import type { IntakeMessage } from '../shared/app/ports';

const services = await awsServices();
const processor = new BatchProcessor(EventType.SQS);

async function startOne(record: SQSRecord) {
  const message = JSON.parse(record.body) as IntakeMessage;
  await startCaseWorkflow(services, message.caseId);
}

export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, startOne, processor, { context });
};
