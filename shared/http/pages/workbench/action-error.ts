import { fieldErrorText, type Locale } from '../../i18n';
import { problemFor } from '../../problem';

const FIELD: Record<string, { zh: string; en: string }> = {
  unitId: { zh: '承办单位', en: 'Unit' },
  level: { zh: '办理层级', en: 'Level' },
  note: { zh: '说明', en: 'Note' },
  reason: { zh: '理由', en: 'Reason' },
  days: { zh: '天数', en: 'Days' },
  resolution: { zh: '办结答复', en: 'Resolution' },
  label: { zh: '姓名', en: 'Name' },
  id: { zh: '编号', en: 'Id' },
  creditCode: { zh: '统一社会信用代码', en: 'Credit code' },
  month: { zh: '月份', en: 'Month' },
  period: { zh: '统计期间', en: 'Period' },
  filedFrom: { zh: '起始日期', en: 'From' },
  filedTo: { zh: '截止日期', en: 'To' },
  week: { zh: '周次', en: 'Week' },
  caseIds: { zh: '案件', en: 'Cases' },
  contacts: { zh: '完整联系电话的确认', en: 'The full-contacts confirmation' },
  format: { zh: '格式', en: 'Format' },
  table: { zh: '表格', en: 'Table' },
  township: { zh: '乡镇', en: 'Township' },
  category: { zh: '问题类别', en: 'Category' },
};

/**
 * Why an action from a workbench form was not done, in the page's language, with the status to
 * answer; undefined for errors a form cannot explain (they go to the app's error handler).
 */
export function actionErrorText(
  error: unknown,
  locale: Locale,
): { status: 409 | 422; text: string } | undefined {
  const problem = problemFor(error);
  if (!problem) return undefined;
  const zh = locale === 'zh';
  if (problem.type.endsWith(':conflict')) {
    return {
      status: 409,
      text: zh
        ? '这个案件刚被他人更新，请查看最新状态后再操作。'
        : 'Someone else changed this case just now; check its state and try again.',
    };
  }
  if (problem.type.endsWith(':invalid-state')) {
    return {
      status: 409,
      text: zh
        ? `当前状态不允许这个操作（${problem.detail ?? ''}）。`
        : `Not allowed in the case's current state: ${problem.detail ?? ''}.`,
    };
  }
  if (problem.status === 422) {
    const fields = (problem.errors ?? []).map(
      (e) => `${FIELD[e.field]?.[locale] ?? e.field}${zh ? '：' : ': '}${fieldErrorText(e, locale)}`,
    );
    return {
      status: 422,
      text: zh
        ? `填写有误${fields.length ? `（${fields.join('；')}）` : ''}`
        : `Please correct the form${fields.length ? ` (${fields.join('; ')})` : ''}`,
    };
  }
  return undefined;
}
