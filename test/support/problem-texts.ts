/** Problems as enterprises write them, in the campaign's categories: near-duplicates and unrelated ones. */
export const PROBLEM_TEXTS = {
  // 用电增容: three enterprises, one problem.
  powerCapacity1: {
    category: 'utilities',
    title: '新厂房用电增容迟迟未批',
    description: '新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。',
  },
  powerCapacity2: {
    category: 'utilities',
    title: '用电增容审批太慢',
    description: '我公司扩建车间需要增加用电容量，增容申请提交一个多月了还没有批复，希望供电公司加快办理。',
  },
  powerCapacity3: {
    category: 'utilities',
    title: '申请变压器增容一直没有结果',
    description: '企业新上生产线，原有变压器容量不足，三月份提交了用电增容申请，到现在还没批下来。',
  },
  // 频繁停电: two enterprises, another problem of the same category.
  outage1: {
    category: 'utilities',
    title: '厂区经常停电',
    description: '最近一个月厂区频繁停电，每次两三个小时，造成设备损坏，请供电部门排查线路。',
  },
  outage2: {
    category: 'utilities',
    title: '厂区停电频繁',
    description:
      '我们厂区这个月已经停电五六次了，每次停电都要两个多小时，设备受损严重，希望供电公司排查线路故障。',
  },
  gasPrice: {
    category: 'utilities',
    title: '天然气价格上涨',
    description: '今年工业用气价格上涨较多，企业成本压力大，希望协调降低用气价格。',
  },
  // 招工难: two enterprises.
  skilledWorkers1: {
    category: 'labour',
    title: '招工难，缺少熟练技工',
    description: '企业扩产急需熟练电焊工和数控操作工，多次招聘效果不好，希望人社部门组织专场招聘会。',
  },
  skilledWorkers2: {
    category: 'labour',
    title: '技术工人招不到',
    description: '我们厂缺数控机床操作工二十名，网上招聘和熟人介绍都招不到人，请人社局帮助组织招聘会。',
  },
  socialInsurance: {
    category: 'labour',
    title: '社保缴费基数调整咨询',
    description: '想了解今年社保缴费基数调整政策，以及企业职工医保报销比例。',
  },
  // The power-capacity wording, filed as a land problem: another category, never grouped with the others.
  landWithPowerWords: {
    category: 'land',
    title: '新厂房用地手续与用电增容',
    description: '新厂房用地手续已提交两个月，用电增容申请也没有答复，影响投产。',
  },
} as const;
export type ProblemName = keyof typeof PROBLEM_TEXTS;
