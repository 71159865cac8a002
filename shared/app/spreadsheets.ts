import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded by the first spreadsheet a process writes. Nothing else needs it, and it is bigger
 * than the rest of the HTTP API together (about 1.2 MB bundled): the Lambda bundle keeps it in a
 * chunk of its own (infra/bundling.ts), so that a cold start does not load it.
 */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
