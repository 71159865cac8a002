import { describe, expect, it } from 'vitest';
import { formatSummary, runSoak } from '../../bench/soak';

// The short version of `npm run soak`: two SIGKILLs under load, then the same checks as the full run.
describe('soak (short)', () => {
  it('loses no answered filing and leaves every case valid with its wait armed after SIGKILLs under load', {
    timeout: 300_000,
  }, async () => {
    const lines: string[] = [];
    const summary = await runSoak({
      kills: 2,
      gapMs: [1500, 4000],
      maxMs: 180_000,
      print: (l) => lines.push(l),
    });
    console.log(formatSummary(summary));
    expect(summary.violations, lines.join('\n')).toEqual([]);
    expect(summary.kills).toBe(2);
    expect(summary.filings).toBeGreaterThan(0);
    expect(summary.casesChecked).toBe(summary.filings);
    expect(summary.memoryAfterRestartMb).toHaveLength(3);
  });
});
