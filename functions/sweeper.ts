// Scheduled: queue again the filed cases whose workflow never started, and restart the workflow of
// open cases whose execution failed, timed out or is gone.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { sweepIntake } from '../shared/app/intake';
import { RECOVERY_METRICS, recoverStalledWorkflows } from '../shared/app/recovery';

const services = await awsServices();
const metrics = new Metrics();

export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  try {
    const swept = await sweepIntake(services, 5 * 60_000);
    if (swept > 0) logger.warn('queued filed cases whose workflow had not started', { swept });
    const recovery = await recoverStalledWorkflows(services);
    metrics.addMetric(RECOVERY_METRICS.restarted, MetricUnit.Count, recovery.restarted.length);
    metrics.addMetric(RECOVERY_METRICS.restartedAgain, MetricUnit.Count, recovery.restartedAgain.length);
    return { swept, restarted: recovery.restarted, restartedAgain: recovery.restartedAgain };
  } finally {
    metrics.publishStoredMetrics();
  }
};
