// Scheduled monthly: samples the cases closed in the month that just ended for follow-up checks (回头看).
import type { Context } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { previousMonth, sampleFollowUps } from '../shared/app/follow-up';

const services = await awsServices();

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const month = previousMonth(services.clock.now());
  const caseIds = await sampleFollowUps(services, month);
  logger.info('follow-up sample', { month, sampled: caseIds.length });
  return { month, caseIds };
};
