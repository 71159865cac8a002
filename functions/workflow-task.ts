// The Step Functions tasks of the case workflow (plain tasks and the callback that stores its token).
import type { Context } from 'aws-lambda';
import { awsServices, logger } from '../shared/adapters/aws-services';
import { awaitAnswer, workflowTasks } from '../shared/app/workflow-tasks';
import type { TaskInput, WorkflowState } from '../shared/workflow/definition';

const services = await awsServices();

export const handler = async (input: TaskInput, context: Context): Promise<WorkflowState | undefined> => {
  logger.addContext(context);
  logger.appendKeys({ caseId: input.caseId, task: input.task });
  try {
    if (input.task === 'awaitAnswer') {
      await awaitAnswer(services, input);
      return undefined;
    }
    return await workflowTasks[input.task](services, input);
  } finally {
    logger.removeKeys(['caseId', 'task']);
  }
};
