import type { CaseStatus, Level } from '../domain/case-state';

/** A label in both languages the pages offer. */
export interface Label {
  zh: string;
  en: string;
}

export interface Township extends Label {
  id: string;
}

export interface Category extends Label {
  id: string;
  /** Routing rule: the level and unit triage suggests for a case of this category. */
  route: { level: Level; unitId?: string };
}

/** Case statuses as the office names them (the enterprise's pages word them for the enterprise). */
export const STATUS_LABELS: Record<CaseStatus, Label> = {
  submitted: { zh: '已提交', en: 'Submitted' },
  triage: { zh: '待研判', en: 'Awaiting triage' },
  assigned: { zh: '已交办', en: 'Assigned' },
  accepted: { zh: '已受理', en: 'Accepted' },
  in_progress: { zh: '办理中', en: 'In progress' },
  resolved: { zh: '已办结待评价', en: 'Resolved, awaiting the survey' },
  closed: { zh: '已销号', en: 'Closed' },
};

/** The handling levels (办理层级) by name: one wording for every page, export and figure. */
export const LEVEL_LABELS: Record<Level, Label> = {
  on_spot: { zh: '现场解决', en: 'Solved on the spot' },
  department: { zh: '职能部门（一企一策）', en: 'Department (one enterprise, one policy)' },
  task_force: { zh: '工作专班', en: 'Task force' },
  government: { zh: '县政府研判', en: 'County government' },
  leader: { zh: '领导包案', en: 'Leader in charge' },
};

export type UnitKind = 'department' | 'task_force' | 'government' | 'leader';

export interface UnitSeed extends Label {
  id: string;
  kind: UnitKind;
}

/**
 * The demo county: Yanling (鄢陵县, Xuchang), whose 2022 campaign the product follows. Every
 * list here is configuration; an office replaces it through the configuration file.
 */
export const DEFAULT_TOWNSHIPS: Township[] = [
  { id: 'anling', zh: '安陵镇', en: 'Anling' },
  { id: 'malan', zh: '马栏镇', en: 'Malan' },
  { id: 'boliang', zh: '柏梁镇', en: 'Boliang' },
  { id: 'chenhuadian', zh: '陈化店镇', en: 'Chenhuadian' },
  { id: 'wangtian', zh: '望田镇', en: 'Wangtian' },
  { id: 'dama', zh: '大马镇', en: 'Dama' },
  { id: 'taocheng', zh: '陶城镇', en: 'Taocheng' },
  { id: 'zhangqiao', zh: '张桥镇', en: 'Zhangqiao' },
  { id: 'pengdian', zh: '彭店镇', en: 'Pengdian' },
  { id: 'nanwu', zh: '南坞镇', en: 'Nanwu' },
  { id: 'zhile', zh: '只乐镇', en: 'Zhile' },
  { id: 'mafang', zh: '马坊镇', en: 'Mafang' },
];

export const DEFAULT_UNITS: UnitSeed[] = [
  { id: 'finance-office', kind: 'department', zh: '县金融工作局', en: 'County Financial Affairs Bureau' },
  { id: 'natural-resources', kind: 'department', zh: '县自然资源局', en: 'County Natural Resources Bureau' },
  {
    id: 'hrss',
    kind: 'department',
    zh: '县人力资源和社会保障局',
    en: 'County Human Resources and Social Security Bureau',
  },
  {
    id: 'power-supply',
    kind: 'department',
    zh: '国网鄢陵县供电公司',
    en: 'State Grid Yanling Power Supply Company',
  },
  {
    id: 'approvals',
    kind: 'department',
    zh: '县行政审批服务局',
    en: 'County Administrative Approval Bureau',
  },
  {
    id: 'industry',
    kind: 'department',
    zh: '县工业和信息化局',
    en: 'County Industry and Information Technology Bureau',
  },
  { id: 'commerce', kind: 'department', zh: '县商务局', en: 'County Commerce Bureau' },
  { id: 'transport', kind: 'department', zh: '县交通运输局', en: 'County Transport Bureau' },
  { id: 'emergency', kind: 'department', zh: '县应急管理局', en: 'County Emergency Management Bureau' },
  { id: 'tf-finance', kind: 'task_force', zh: '金融服务专班', en: 'Finance Services Task Force' },
  { id: 'tf-industry', kind: 'task_force', zh: '产业发展专班', en: 'Industrial Development Task Force' },
  {
    id: 'tf-factors',
    kind: 'task_force',
    zh: '要素保障专班',
    en: 'Factor Guarantee Task Force (land, power, labour)',
  },
  { id: 'tf-legal', kind: 'task_force', zh: '涉法涉诉专班', en: 'Legal Affairs Task Force' },
  { id: 'county-government', kind: 'government', zh: '县政府研判会', en: 'County Government Deliberation' },
  { id: 'leader', kind: 'leader', zh: '县级分包领导', en: 'County Leader in Charge' },
];

export const DEFAULT_CATEGORIES: Category[] = [
  {
    id: 'finance',
    zh: '融资信贷',
    en: 'Finance and credit',
    route: { level: 'department', unitId: 'finance-office' },
  },
  {
    id: 'land',
    zh: '用地规划',
    en: 'Land and planning',
    route: { level: 'department', unitId: 'natural-resources' },
  },
  { id: 'labour', zh: '用工招工', en: 'Labour and hiring', route: { level: 'department', unitId: 'hrss' } },
  {
    id: 'utilities',
    zh: '水电气暖',
    en: 'Power, water and gas',
    route: { level: 'department', unitId: 'power-supply' },
  },
  {
    id: 'approvals',
    zh: '审批手续',
    en: 'Approvals and permits',
    route: { level: 'department', unitId: 'approvals' },
  },
  {
    id: 'policy',
    zh: '政策兑现',
    en: 'Policy fulfilment',
    route: { level: 'department', unitId: 'industry' },
  },
  { id: 'legal', zh: '涉法涉诉', en: 'Legal disputes', route: { level: 'task_force', unitId: 'tf-legal' } },
  {
    id: 'market',
    zh: '市场销售',
    en: 'Market and sales',
    route: { level: 'department', unitId: 'commerce' },
  },
  {
    id: 'logistics',
    zh: '物流运输',
    en: 'Logistics and transport',
    route: { level: 'department', unitId: 'transport' },
  },
  {
    id: 'safety',
    zh: '安全消防',
    en: 'Safety and fire',
    route: { level: 'department', unitId: 'emergency' },
  },
  { id: 'other', zh: '其他', en: 'Other', route: { level: 'department' } },
];
