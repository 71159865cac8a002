import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Label } from '../config/catalog';
import type { CaseStatus } from '../domain/case-state';
import type { FieldError } from '../domain/filing';

export type Locale = 'zh' | 'en';
export const LOCALES: readonly Locale[] = ['zh', 'en'];

/**
 * The page language: `?lang=` (remembered in a cookie, so links need not carry it), then the
 * cookie, then Simplified Chinese — the form's audience — unless the browser prefers English only.
 */
export function pickLocale(c: Context): Locale {
  const asked = c.req.query('lang');
  if (asked === 'zh' || asked === 'en') {
    setCookie(c, 'lang', asked, { path: '/', sameSite: 'Lax', maxAge: 365 * 86400 });
    return asked;
  }
  const remembered = getCookie(c, 'lang');
  if (remembered === 'zh' || remembered === 'en') return remembered;
  const accept = c.req.header('Accept-Language') ?? '';
  return /^\s*en\b/i.test(accept) && !/\bzh\b/i.test(accept) ? 'en' : 'zh';
}

/** A label followed by its value: the full-width colon in Chinese text, the ASCII one in English. */
export function labelled(label: string, value: string, locale: Locale): string {
  return locale === 'zh' ? `${label}：${value}` : `${label}: ${value}`;
}

export function labelIn(label: Label, locale: Locale): string {
  return label[locale];
}

const STATUS: Record<CaseStatus, Label> = {
  submitted: { zh: '已提交', en: 'Submitted' },
  triage: { zh: '研判中', en: 'Being triaged' },
  assigned: { zh: '已交办', en: 'Assigned' },
  accepted: { zh: '已受理', en: 'Accepted' },
  in_progress: { zh: '办理中', en: 'In progress' },
  resolved: { zh: '已办结，待评价', en: 'Resolved, awaiting your rating' },
  closed: { zh: '已销号', en: 'Closed' },
};

export function statusText(status: CaseStatus, locale: Locale): string {
  return STATUS[status][locale];
}

const ACTIONS: Record<string, Label> = {
  file: { zh: '提交诉求', en: 'Problem filed' },
  startTriage: { zh: '进入研判', en: 'Triage started' },
  assign: { zh: '交办承办单位', en: 'Assigned to a unit' },
  solveOnSpot: { zh: '现场解决', en: 'Solved on the spot' },
  returnCase: { zh: '承办单位退回，重新研判', en: 'Returned by the unit for re-triage' },
  accept: { zh: '承办单位受理', en: 'Accepted by the unit' },
  reportProgress: { zh: '办理进展', en: 'Progress reported' },
  resolve: { zh: '办结答复', en: 'Resolved' },
  reopen: { zh: '回头看：重新办理', en: 'Reopened for a second look' },
  reopenForTriage: { zh: '回头看：重新研判', en: 'Reopened: back to triage' },
  close: { zh: '销号', en: 'Closed' },
  extend: { zh: '延期', en: 'Deadline extended' },
  escalate: { zh: '升级督办', en: 'Escalated' },
  survey: { zh: '企业评价', en: 'Your rating' },
  triageNote: { zh: '研判备注', en: 'Triage note' },
  requestExtension: { zh: '申请延期', en: 'Extension requested' },
  refuseExtension: { zh: '延期未获同意', en: 'Extension refused' },
  'supervise:yellow': { zh: '黄牌预警', en: 'Yellow warning' },
  'supervise:red': { zh: '红牌督办（超期）', en: 'Red notice (overdue)' },
  followUpSampled: { zh: '抽中回头看', en: 'Sampled for a follow-up check' },
  followUp: { zh: '回头看结果', en: 'Follow-up check result' },
  viewContact: { zh: '查看企业联系方式', en: 'Contact details viewed' },
};

export function actionText(action: string, locale: Locale): string {
  return ACTIONS[action]?.[locale] ?? action;
}

/** The message shown next to a form field, in the page's language. */
export function fieldErrorText(error: FieldError, locale: Locale): string {
  if (locale === 'en') {
    if (error.code === 'required') return 'This field is required';
    return error.message.charAt(0).toUpperCase() + error.message.slice(1);
  }
  const p = error.params ?? {};
  switch (error.code) {
    case 'required':
      return '此项必填';
    case 'too_short':
      return `至少需要 ${p.min} 个字`;
    case 'too_long':
      return `不能超过 ${p.max} 个字`;
    case 'not_in_list':
      return '请从列表中选择';
    case 'mobile':
      return '请填写 11 位大陆手机号码（13–19 开头）';
    case 'credit_code_length':
      return `统一社会信用代码应为 18 位，当前为 ${p.length} 位`;
    case 'credit_code_character':
      return `第 ${p.position} 位“${p.character}”不是有效字符（只允许数字和除 I、O、S、V、Z 以外的大写字母）`;
    case 'credit_code_check':
      return `校验位（第 18 位）不正确：应为 ${p.expected}，填写的是 ${p.actual}，请核对是否输错`;
    case 'cadre_required':
      return '走访收集的问题需填写助企干部';
    case 'conflict':
      return '统计期间和起止日期只能选一种';
    case 'before_start':
      return '截止日期早于起始日期';
    case 'too_few':
      return '共性问题至少需要两件案件';
    case 'one_enterprise':
      return '这些案件来自同一家企业，共性问题须涉及多家企业';
    case 'categories':
      return '这些案件属于不同的问题类别';
    case 'closed':
      return '已销号的案件不能归组';
    case 'not_in_group':
      return '请勾选本组中要拆分的案件';
    default:
      return '填写有误';
  }
}
