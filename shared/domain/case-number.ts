/** Human-readable case numbers: `YL-2026-000123` — office prefix, year of filing, per-year sequence. */
export function formatCaseNo(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
}

const CASE_NO = /^([A-Z]{1,6})-(\d{4})-(\d{6,})$/;

export function parseCaseNo(caseNo: string): { prefix: string; year: number; sequence: number } | undefined {
  const match = CASE_NO.exec(caseNo);
  if (!match) return undefined;
  return { prefix: match[1]!, year: Number(match[2]), sequence: Number(match[3]) };
}
