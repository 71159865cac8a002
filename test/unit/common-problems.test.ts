import { describe, expect, it } from 'vitest';
import {
  bigramsOf,
  type ProblemText,
  separatedPair,
  similarity,
  suggestGroups,
} from '../../shared/domain/common-problems';
import { PROBLEM_TEXTS, type ProblemName } from '../support/problem-texts';

const problem = (name: ProblemName, n: number, creditCode = `code-${n}`): ProblemText => ({
  id: name,
  caseNo: `YL-2026-${String(n).padStart(6, '0')}`,
  creditCode,
  category: PROBLEM_TEXTS[name].category,
  text: `${PROBLEM_TEXTS[name].title}。${PROBLEM_TEXTS[name].description}`,
});
const all = (Object.keys(PROBLEM_TEXTS) as ProblemName[]).map((name, i) => problem(name, i + 1));

describe('common problems (共性问题) among realistic filings', () => {
  it('groups near-duplicates from different enterprises and leaves unrelated ones alone', () => {
    const groups = suggestGroups(all);
    expect(groups.map((g) => g.caseIds)).toEqual([
      ['powerCapacity1', 'powerCapacity2', 'powerCapacity3'],
      ['outage1', 'outage2'],
      ['skilledWorkers1', 'skilledWorkers2'],
    ]);
    expect(groups.map((g) => g.category)).toEqual(['utilities', 'utilities', 'labour']);
  });

  it('shows the reason: the matches that join a group, their scores and the phrases they share', () => {
    const [power, outage, workers] = suggestGroups(all);
    expect(power!.phrases[0]).toBe('用电增容');
    expect(power!.phrases).toEqual(expect.arrayContaining(['增容申请', '提交']));
    expect(power!.matches).toHaveLength(2);
    for (const match of power!.matches) expect(match.score).toBeGreaterThanOrEqual(0.15);
    expect(outage!.phrases).toEqual(expect.arrayContaining(['排查线路', '停电', '厂区']));
    expect(workers!.phrases).toEqual(expect.arrayContaining(['招聘会', '操作工', '数控']));
  });

  it('scores unrelated problems of one category well below the threshold', () => {
    const text = (name: ProblemName) => bigramsOf(problem(name, 0).text);
    expect(similarity(text('powerCapacity1'), text('gasPrice'))).toBeLessThan(0.1);
    expect(similarity(text('outage1'), text('powerCapacity2'))).toBeLessThan(0.1);
    expect(similarity(text('skilledWorkers1'), text('socialInsurance'))).toBeLessThan(0.1);
    // Filler is not evidence: two requests that only share how enterprises write are not alike.
    expect(
      similarity(bigramsOf('我公司希望尽快解决相关问题'), bigramsOf('企业目前需要政府协调帮助解决问题')),
    ).toBe(0);
  });

  it('never groups cases of one enterprise, nor of different categories, nor a pair the office separated', () => {
    const sameEnterprise = suggestGroups([
      problem('powerCapacity1', 1, 'same'),
      problem('powerCapacity2', 2, 'same'),
      problem('landWithPowerWords', 3),
    ]);
    expect(sameEnterprise).toEqual([]);
    const separated = suggestGroups(all, {
      separated: new Set([
        separatedPair('outage2', 'outage1'),
        separatedPair('powerCapacity3', 'powerCapacity1'),
        separatedPair('powerCapacity3', 'powerCapacity2'),
      ]),
    });
    expect(separated.map((g) => g.caseIds)).toEqual([
      ['powerCapacity1', 'powerCapacity2'],
      ['skilledWorkers1', 'skilledWorkers2'],
    ]);
  });
});
