import { describe, expect, it } from 'vitest';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  canApply,
  isTerminal,
} from '../../shared/domain/case-state';

describe('case state transitions', () => {
  it('derives the transition table from the actions', () => {
    expect(CASE_TRANSITIONS).toEqual({
      submitted: ['triage'],
      triage: ['assigned', 'resolved'],
      assigned: ['triage', 'accepted'],
      accepted: ['in_progress', 'resolved'],
      in_progress: ['in_progress', 'resolved'],
      resolved: ['assigned', 'triage', 'closed'],
      closed: [],
    });
  });

  it('makes closed the only terminal status, reachable from every status', () => {
    expect(CASE_STATUSES.filter(isTerminal)).toEqual(['closed']);
    const reachable = new Set<string>(['submitted']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const from of reachable) {
        for (const to of CASE_TRANSITIONS[from as keyof typeof CASE_TRANSITIONS]) {
          if (!reachable.has(to)) {
            reachable.add(to);
            changed = true;
          }
        }
      }
    }
    expect([...reachable].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('allows an action only from its listed statuses', () => {
    for (const [action, { from }] of Object.entries(CASE_ACTIONS)) {
      for (const status of CASE_STATUSES) {
        expect(canApply(action as keyof typeof CASE_ACTIONS, status), `${action} from ${status}`).toBe(
          (from as readonly string[]).includes(status),
        );
      }
    }
  });

  it('never lets a unit resolve before accepting, nor act on a closed case', () => {
    expect(canApply('resolve', 'assigned')).toBe(false);
    expect(canApply('accept', 'closed')).toBe(false);
    expect(canApply('reopen', 'closed')).toBe(false);
  });
});
