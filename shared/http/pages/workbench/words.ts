import { type Label, LEVEL_LABELS } from '../../../config/catalog';
import type { ZhuqiConfig } from '../../../config/config';
import type { Actor, ClockId, NoticeKind } from '../../../domain/case';
import type { Unit } from '../../../store/access-repository';
import type { Locale } from '../../i18n';

/** The campaign's words the workbench pages share, in both languages. */
export const LEVEL = LEVEL_LABELS;

export const CLOCK: Record<ClockId, Label> = {
  triage: { zh: '研判交办', en: 'Triage' },
  progress: { zh: '反馈进展', en: 'Progress report' },
  resolve: { zh: '办结', en: 'Resolution' },
};

export const NOTICE: Record<NoticeKind, Label> = {
  assignment: { zh: '交办单', en: 'Assignment notice' },
  warning: { zh: '督办单（黄牌）', en: 'Supervision (yellow)' },
  overdue: { zh: '督办单（红牌）', en: 'Supervision (red)' },
  escalation: { zh: '升级督办', en: 'Escalation' },
  survey: { zh: '满意度回访', en: 'Satisfaction survey' },
  extension_decision: { zh: '延期答复', en: 'Extension decision' },
  filed: { zh: '受理回执', en: 'Filing confirmation' },
};

export const DELIVERY: Record<string, Label> = {
  pending: { zh: '待发送', en: 'Pending' },
  delivered: { zh: '已送达', en: 'Delivered' },
  kept: { zh: '已存档（无推送渠道）', en: 'Kept (no channel)' },
  failed: { zh: '发送失败', en: 'Failed' },
  rejected: { zh: '被拒收', en: 'Rejected' },
};

export const RATING: Record<string, Label> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Not satisfied' },
  not_rated: { zh: '未评价', en: 'Not rated' },
};

export const SOLVED: Record<string, Label> = {
  yes: { zh: '已解决', en: 'Solved' },
  partly: { zh: '部分解决', en: 'Partly solved' },
  no: { zh: '未解决', en: 'Not solved' },
};

export const FOLLOW_UP_RESULT: Record<string, Label> = {
  confirmed: { zh: '问题确已解决', en: 'The solution holds' },
  problem_found: { zh: '问题仍存在', en: 'The problem is back' },
};

export const FLAG: Record<'overdue' | 'escalated' | 'reopened', Label> = {
  overdue: { zh: '超期', en: 'Overdue' },
  escalated: { zh: '已升级', en: 'Escalated' },
  reopened: { zh: '回头看', en: 'Reopened' },
};

export const CHANNEL: Record<string, Label> = {
  web: { zh: '网上填报', en: 'Web form' },
  visit: { zh: '干部走访', en: 'Cadre visit' },
  api: { zh: '接口', en: 'API' },
};

const KIND: Record<Actor['kind'], Label> = {
  enterprise: { zh: '企业', en: 'Enterprise' },
  cadre: { zh: '包联干部', en: 'Cadre' },
  office: { zh: '活动办', en: 'Office' },
  unit: { zh: '承办单位', en: 'Unit' },
  system: { zh: '系统', en: 'System' },
};

/** Who did it, as a person reads it: "张三（县供电公司）", "活动办 张三", "系统". */
export function actorText(actor: Actor, locale: Locale, unitName?: (id: string) => string): string {
  const kind = KIND[actor.kind][locale];
  if (actor.kind === 'unit' && actor.id) {
    const unit = unitName?.(actor.id) ?? actor.id;
    if (!actor.name) return unit;
    return locale === 'zh' ? `${actor.name}（${unit}）` : `${actor.name} (${unit})`;
  }
  if (actor.name) return `${kind} ${actor.name}`;
  return actor.id && actor.kind !== 'enterprise' ? `${kind} ${actor.id}` : kind;
}

/** Names of the configured lists and the units, in the page's language. */
export interface Names {
  unit(id: string): string;
  category(id: string): string;
  township(id: string): string;
}

export function namesOf(config: ZhuqiConfig, units: Unit[], locale: Locale): Names {
  const find = (list: readonly (Label & { id: string })[], id: string) =>
    list.find((x) => x.id === id)?.[locale] ?? id;
  return {
    unit: (id) => find(units, id),
    category: (id) => find(config.categories, id),
    township: (id) => find(config.townships, id),
  };
}
