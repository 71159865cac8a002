/** A filing that passes every rule; tests spoil one field at a time. */
export const validFiling = () => ({
  enterprise: { name: '鄢陵县鼎恒纺织有限公司', creditCode: '91350100M000100Y43', township: 'anling' },
  contact: { name: '王丽', mobile: '13812345678' },
  category: 'utilities',
  title: '新厂房用电增容迟迟未批',
  description: '新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。',
});

/** Sets a dotted path (`enterprise.creditCode`) of a plain object. */
export function withField<T extends object>(object: T, path: string, value: unknown): T {
  const parts = path.split('.');
  let node = object as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
  return object;
}
