// Scheduled: queue again the filed cases whose workflow never started.
import type { Context } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { sweepIntake } from '../shared/app/intake';

const services = awsServices();

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const swept = await sweepIntake(services, 5 * 60_000);
  if (swept > 0) logger.warn('queued filed cases whose workflow had not started', { swept });
  return { swept };
};
