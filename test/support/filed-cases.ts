import { fileCase } from '../../shared/app/file-case';
import type { Services } from '../../shared/app/services';
import { workflowTasks } from '../../shared/app/workflow-tasks';
import type { CaseRecord } from '../../shared/domain/case';
import { validFiling } from './fixtures';

let filed = 0;

/**
 * A case filed by an enterprise and taken into triage as the workflow takes it (its triage task run
 * by the test), read back from the store: what the office's queue and pages start from. Each gets
 * a title of its own; `filing` overrides fields of the valid filing.
 */
export async function fileIntoTriage(
  services: Services,
  filing: Record<string, unknown> = {},
  defaultChannel: 'web' | 'api' = 'web',
): Promise<CaseRecord> {
  filed += 1;
  const { record } = await fileCase(services, {
    filing: { ...validFiling(), title: `测试问题 ${filed}`, ...filing },
    defaultChannel,
    actor: { kind: 'enterprise' },
  });
  await workflowTasks.beginTriage(services, { task: 'beginTriage', caseId: record.id });
  return (await services.cases.get(record.id))!;
}
