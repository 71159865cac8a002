import { describe, expect, it } from 'vitest';
import type { CaseRecord, HistoryEntry } from '../../shared/domain/case';
import { RuleViolationError } from '../../shared/domain/case-rules';
import {
  chinaMonth,
  closedInMonth,
  markSampled,
  pickSample,
  previousMonth,
  recordFollowUp,
  sampleSize,
} from '../../shared/domain/follow-up';

/** A small seeded generator (mulberry32): the same seed gives the same numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A case whose history ends with its closing at `closedAt` (UTC), as answerSurvey leaves it. */
function closedCase(closedAt: string, id = 'case-1'): CaseRecord {
  const at = (iso: string, action: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
    at: iso,
    actor: { kind: 'system' },
    action,
    public: true,
    ...extra,
  });
  return {
    id,
    caseNo: 'YL-2026-000001',
    trackingKey: 'k',
    fingerprint: 'f',
    status: 'closed',
    flags: { overdue: false, escalated: false, reopened: false },
    enterprise: { name: '鄢陵县鼎恒纺织有限公司', creditCode: '91350100M000100Y43', township: 'anling' },
    contact: { name: '王丽', mobile: '13812345678' },
    category: 'utilities',
    title: '新厂房用电增容迟迟未批',
    description: '新厂房年初建成，用电增容申请已提交两个月。',
    channel: 'web',
    level: 'department',
    unitId: 'power-supply',
    reopenCount: 0,
    clocks: [],
    rating: 'satisfied',
    notices: [],
    createdAt: '2026-10-01T02:00:00.000Z',
    updatedAt: closedAt,
    version: 7,
    history: [
      at('2026-10-01T02:00:00.000Z', 'file', { actor: { kind: 'enterprise' }, to: 'submitted' }),
      at(closedAt, 'survey', { actor: { kind: 'enterprise' } }),
      at(closedAt, 'close', { actor: { kind: 'enterprise' }, from: 'resolved', to: 'closed' }),
    ],
  };
}

const office = { kind: 'office' as const, id: 'zq_office_ab' };

describe('sampleSize', () => {
  it.each([
    [0, 0.1, 1, 0],
    [1, 0.1, 1, 1],
    [9, 0.1, 1, 1],
    [11, 0.1, 1, 2],
    [25, 0.1, 1, 3],
    [30, 0.1, 1, 3], // 0.1 × 30 is 3.0000000000000004 in floating point: still 3
    [70, 0.1, 1, 7],
    [3, 0.1, 5, 3],
    [10, 0, 0, 0],
    [10, 1, 1, 10],
    [10, 0.25, 0, 3],
  ])('of %i cases at rate %d with minimum %i is %i', (n, rate, minimum, expected) => {
    expect(sampleSize(n, rate, minimum)).toBe(expected);
  });
});

describe('pickSample', () => {
  it('picks sampleSize distinct candidates, all of them from the candidates', () => {
    for (const n of [0, 1, 2, 9, 10, 11, 57, 200]) {
      // Prepare
      const candidates = range(n).map((i) => `case-${i}`);
      const before = [...candidates];

      // Act
      const sample = pickSample(candidates, 0.1, 1, seeded(n));

      // Assess
      expect(sample, `n=${n}`).toHaveLength(sampleSize(n, 0.1, 1));
      expect(new Set(sample).size).toBe(sample.length);
      for (const picked of sample) expect(candidates).toContain(picked);
      expect(candidates).toEqual(before);
    }
  });

  it('is reproducible with the same seed and differs with another', () => {
    const candidates = range(100);

    const first = pickSample(candidates, 0.1, 1, seeded(42));
    const again = pickSample(candidates, 0.1, 1, seeded(42));
    const other = pickSample(candidates, 0.1, 1, seeded(43));

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('takes every candidate when the minimum is above their number', () => {
    const sample = pickSample(['a', 'b', 'c'], 0.1, 5, seeded(1));

    expect([...sample].sort()).toEqual(['a', 'b', 'c']);
  });

  it('stays within the candidates even when random returns its extremes', () => {
    expect(pickSample(range(5), 0.4, 1, () => 0)).toEqual([0, 1]);
    const top = pickSample(range(5), 0.4, 1, () => 0.9999999999);
    expect(top).toHaveLength(2);
    expect(new Set(top).size).toBe(2);
    for (const picked of top) expect(range(5)).toContain(picked);
  });

  it('gives every candidate the same chance (uniform)', () => {
    // Prepare: 5 candidates, 2 picked per draw, 10,000 draws → each expected 4,000 times
    const random = seeded(2026);
    const counts = new Map<number, number>();

    // Act
    for (let draw = 0; draw < 10_000; draw++) {
      for (const picked of pickSample(range(5), 0.4, 1, random)) {
        counts.set(picked, (counts.get(picked) ?? 0) + 1);
      }
    }

    // Assess: within 5% of the expectation (about 5 standard deviations)
    for (const candidate of range(5)) {
      expect(counts.get(candidate), `candidate ${candidate}`).toBeGreaterThan(3800);
      expect(counts.get(candidate), `candidate ${candidate}`).toBeLessThan(4200);
    }
  });
});

describe('months in China time', () => {
  it('closes a case in the China month of its close entry, across the UTC month boundary', () => {
    // 2026-10-31T15:59:59Z is 23:59:59 on 31 October in China; 16:30Z is 00:30 on 1 November.
    expect(closedInMonth(closedCase('2026-10-31T15:59:59.999Z'))).toBe('2026-10');
    expect(closedInMonth(closedCase('2026-10-31T16:00:00.000Z'))).toBe('2026-11');
    expect(closedInMonth(closedCase('2026-10-31T16:30:00.000Z'))).toBe('2026-11');
    expect(closedInMonth(closedCase('2026-12-31T16:00:00.000Z'))).toBe('2027-01');
  });

  it('has no closing month for a case that is not closed', () => {
    const record = { ...closedCase('2026-10-15T02:00:00.000Z'), status: 'resolved' as const };

    expect(closedInMonth(record)).toBeUndefined();
  });

  it('names the month before, in China time', () => {
    expect(chinaMonth(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11');
    expect(previousMonth(new Date('2026-10-31T17:00:00Z'))).toBe('2026-10'); // 01:00 on 1 Nov in China
    expect(previousMonth(new Date('2026-10-31T15:00:00Z'))).toBe('2026-09'); // still 31 Oct in China
    expect(previousMonth(new Date('2026-12-31T17:00:00Z'))).toBe('2026-12');
    expect(previousMonth(new Date('2027-01-15T04:00:00Z'))).toBe('2026-12');
    expect(previousMonth(new Date('2026-03-01T00:00:00+08:00'))).toBe('2026-02');
  });
});

describe('follow-up rules', () => {
  const sampledAt = new Date('2026-11-30T17:00:00Z');
  const recordedAt = new Date('2026-12-03T02:00:00Z');

  it('marks a case closed in the month as sampled, with a history entry', () => {
    // Act
    const sampled = markSampled(closedCase('2026-11-12T03:00:00Z'), '2026-11', {
      now: sampledAt,
      actor: { kind: 'system' },
    });

    // Assess
    expect(sampled.followUp).toEqual({ month: '2026-11', sampledAt: sampledAt.toISOString() });
    expect(sampled.status).toBe('closed');
    expect(sampled.history.at(-1)).toEqual({
      at: sampledAt.toISOString(),
      actor: { kind: 'system' },
      action: 'followUpSampled',
      public: false,
      data: { month: '2026-11' },
    });
  });

  it('refuses to sample a case of another month, one not closed, or one sampled already', () => {
    const ctx = { now: sampledAt, actor: { kind: 'system' as const } };
    const closed = closedCase('2026-11-12T03:00:00Z');

    expect(() => markSampled(closed, '2026-10', ctx)).toThrow(RuleViolationError);
    expect(() => markSampled({ ...closed, status: 'resolved' }, '2026-11', ctx)).toThrow(RuleViolationError);
    expect(() => markSampled(markSampled(closed, '2026-11', ctx), '2026-11', ctx)).toThrow(/already sampled/);
  });

  it('records the result on a sampled case once, with the actor', () => {
    // Prepare
    const sampled = markSampled(closedCase('2026-11-12T03:00:00Z'), '2026-11', {
      now: sampledAt,
      actor: { kind: 'system' },
    });

    // Act
    const recorded = recordFollowUp(
      sampled,
      { result: 'problem_found', note: '企业反映供电又不稳定' },
      { now: recordedAt, actor: office },
    );

    // Assess
    expect(recorded.followUp).toEqual({
      month: '2026-11',
      sampledAt: sampledAt.toISOString(),
      result: 'problem_found',
      note: '企业反映供电又不稳定',
      recordedAt: recordedAt.toISOString(),
      by: 'zq_office_ab',
    });
    expect(recorded.updatedAt).toBe(recordedAt.toISOString());
    expect(recorded.history.at(-1)).toEqual({
      at: recordedAt.toISOString(),
      actor: office,
      action: 'followUp',
      public: false,
      note: '企业反映供电又不稳定',
      data: { month: '2026-11', result: 'problem_found' },
    });
    expect(() =>
      recordFollowUp(recorded, { result: 'confirmed' }, { now: recordedAt, actor: office }),
    ).toThrow(/already recorded/);
  });

  it('refuses to record a result on a case that was not sampled', () => {
    expect(() =>
      recordFollowUp(
        closedCase('2026-11-12T03:00:00Z'),
        { result: 'confirmed' },
        { now: recordedAt, actor: office },
      ),
    ).toThrow(RuleViolationError);
  });
});
