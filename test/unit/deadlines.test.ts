import { describe, expect, it } from 'vitest';
import { deadlinePolicySchema } from '../../shared/config/config';
import { WorkCalendar } from '../../shared/domain/calendar';
import {
  addDuration,
  extendSchedule,
  gradeAt,
  nextChange,
  type StageSchedule,
  stageSchedule,
  subtractDuration,
} from '../../shared/domain/deadlines';

const calendar = new WorkCalendar();
/** An instant given in China time, written the way a person in Yanling reads a clock. */
const china = (local: string): Date => new Date(`${local}+08:00`);
const realDays = (anchor: Date) => ({ anchor });
/** The 2027 New Year holiday as an operator would configure it, with an invented make-up Saturday. */
const overlay2027 = { holidays: ['2027-01-01'], workdays: ['2027-01-09'] };

describe('addDuration', () => {
  // Wednesday 30 September 2026, the eve of the National Day holiday (1–7 October; 10 October is worked).
  const filedAt = china('2026-09-30T10:00:00');

  it.each([
    [1, '2026-10-08T16:00:00.000Z'], // Thursday 8 October, the first day back
    [3, '2026-10-10T16:00:00.000Z'], // Saturday 10 October, a make-up working day
    [7, '2026-10-15T16:00:00.000Z'], // 8, 9, 10, 12, 13, 14, 15 October
  ])('puts %i working days from 30 September after the National Day holiday', (amount, expected) => {
    // Act
    const deadline = addDuration(filedAt, amount, 'workday', calendar, realDays(filedAt));

    // Assess
    expect(deadline.at.toISOString()).toBe(expected);
    expect(deadline.beyondCalendar).toBe(false);
  });

  it('counts a make-up working day that falls on a Sunday', () => {
    // Prepare: Friday 18 September 2026; Sunday 20 September is worked for National Day.
    const from = china('2026-09-18T15:00:00');

    // Act
    const deadline = addDuration(from, 1, 'workday', calendar, realDays(from));

    // Assess
    expect(deadline.at.toISOString()).toBe('2026-09-20T16:00:00.000Z');
  });

  it('moves a Friday filing plus one working day to the end of Monday', () => {
    // Prepare
    const friday = china('2026-03-06T15:00:00');

    // Act
    const deadline = addDuration(friday, 1, 'workday', calendar, realDays(friday));

    // Assess
    expect(deadline.at).toEqual(china('2026-03-10T00:00:00'));
  });

  it('takes the date of `from` in China time, not in UTC', () => {
    // Prepare: 00:30 on Monday 9 March in China is still Sunday 8 March in UTC.
    const from = china('2026-03-09T00:30:00');

    // Act
    const deadline = addDuration(from, 1, 'workday', calendar, realDays(from));

    // Assess
    expect(deadline.at).toEqual(china('2026-03-11T00:00:00'));
  });

  it('ignores holidays with the calendar-day unit', () => {
    // Act
    const deadline = addDuration(filedAt, 7, 'day', calendar, realDays(filedAt));

    // Assess
    expect(deadline.at).toEqual(china('2026-10-08T00:00:00'));
    expect(deadline.beyondCalendar).toBe(false);
  });

  it('ends the day of `from` itself for a zero amount', () => {
    // Act
    const deadline = addDuration(filedAt, 0, 'workday', calendar, realDays(filedAt));

    // Assess
    expect(deadline.at).toEqual(china('2026-10-01T00:00:00'));
  });

  it('rounds a fractional amount up to whole days', () => {
    // Act
    const deadline = addDuration(filedAt, 1.5, 'workday', calendar, realDays(filedAt));

    // Assess
    expect(deadline.at).toEqual(china('2026-10-10T00:00:00')); // end of Friday 9 October, the 2nd day
  });

  it('rejects a negative or non-finite amount', () => {
    // Act / Assess
    expect(() => addDuration(filedAt, -1, 'workday', calendar, realDays(filedAt))).toThrow(RangeError);
    expect(() => addDuration(filedAt, Number.NaN, 'day', calendar, realDays(filedAt))).toThrow(RangeError);
  });

  describe('across the end of the bundled calendar', () => {
    // Monday 28 December 2026: seven working days reach into 2027.
    const from = china('2026-12-28T10:00:00');

    it('flags a deadline counted through an unknown year, assuming weekdays there', () => {
      // Act
      const deadline = addDuration(from, 7, 'workday', calendar, realDays(from));

      // Assess: 29, 30, 31 December, then Friday 1 January and 4, 5, 6 January on weekdays.
      expect(deadline.at).toEqual(china('2027-01-07T00:00:00'));
      expect(deadline.beyondCalendar).toBe(true);
    });

    it('uses the configured overlay and is then not beyond the calendar', () => {
      // Prepare
      const withOverlay = new WorkCalendar(overlay2027);

      // Act
      const deadline = addDuration(from, 7, 'workday', withOverlay, realDays(from));

      // Assess: 1 January off, so 29, 30, 31 December, 4, 5, 6, 7 January.
      expect(deadline.at).toEqual(china('2027-01-08T00:00:00'));
      expect(deadline.beyondCalendar).toBe(false);
    });

    it('is not flagged while the deadline stays in a known year', () => {
      // Act
      const deadline = addDuration(from, 3, 'workday', calendar, realDays(from));

      // Assess
      expect(deadline.at).toEqual(china('2027-01-01T00:00:00'));
      expect(deadline.beyondCalendar).toBe(false);
    });

    it('is never flagged with the calendar-day unit', () => {
      // Act
      const deadline = addDuration(from, 7, 'day', calendar, realDays(from));

      // Assess
      expect(deadline.at).toEqual(china('2027-01-05T00:00:00'));
      expect(deadline.beyondCalendar).toBe(false);
    });
  });

  describe('with time scaling', () => {
    it('maps a 7-working-day deadline onto minutes of real time', () => {
      // Prepare: one day lasts 60 s. Virtually the deadline is 24:00 on 15 October, 15 days 14 hours = 374 h
      // after filing; 374 h × 60 s / 24 h = 935 s = 15 min 35 s of real time.
      const scale = { anchor: filedAt, daySeconds: 60 };

      // Act
      const deadline = addDuration(filedAt, 7, 'workday', calendar, scale);

      // Assess
      expect(deadline.at.toISOString()).toBe('2026-09-30T02:15:35.000Z');
      expect(deadline.beyondCalendar).toBe(false);
    });

    it('measures a later stage from the anchor, on the virtual calendar', () => {
      // Prepare: 100 real seconds after filing is 100 × 1440 s = 40 h later virtually: 02:00 on 2 October.
      const scale = { anchor: filedAt, daySeconds: 60 };
      const assignedAt = new Date(filedAt.getTime() + 100_000);

      // Act
      const deadline = addDuration(assignedAt, 1, 'workday', calendar, scale);

      // Assess: virtually the end of 8 October, 8 days 14 h = 206 h after filing → 206 × 2.5 s = 515 s.
      expect(deadline.at.toISOString()).toBe('2026-09-30T02:08:35.000Z');
    });

    it('rejects a non-positive day length', () => {
      // Act / Assess
      expect(() => addDuration(filedAt, 1, 'day', calendar, { anchor: filedAt, daySeconds: 0 })).toThrow(
        RangeError,
      );
    });
  });
});

describe('subtractDuration', () => {
  it('leads back from a deadline to the end of the day the count started on', () => {
    // Prepare: the end of 15 October is 7 working days after 30 September.
    const due = china('2026-10-16T00:00:00');

    // Act
    const start = subtractDuration(due, 7, 'workday', calendar, realDays(due));

    // Assess
    expect(start.at).toEqual(china('2026-10-01T00:00:00'));
    expect(start.beyondCalendar).toBe(false);
  });

  it('counts back from the date of an instant within a day', () => {
    // Act
    const start = subtractDuration(
      china('2026-10-08T11:00:00'),
      1,
      'workday',
      calendar,
      realDays(new Date(0)),
    );

    // Assess: the working day before Thursday 8 October is Wednesday 30 September.
    expect(start.at).toEqual(china('2026-10-01T00:00:00'));
  });

  it('gives back a deadline itself for a zero amount', () => {
    // Prepare
    const due = china('2026-10-16T00:00:00');

    // Act
    const same = subtractDuration(due, 0, 'workday', calendar, realDays(due));

    // Assess
    expect(same.at).toEqual(due);
  });

  it('inverts a scaled addDuration even when the day length does not divide a day evenly', () => {
    // Prepare: 5 s days. The real deadline, 374 h × 5 s / 24 h = 77.91667 s after filing, is rounded up to
    // 77.917 s: virtually that is 5.76 s past midnight, already 16 October.
    const filedAt = china('2026-09-30T10:00:00');
    const scale = { anchor: filedAt, daySeconds: 5 };
    const due = addDuration(filedAt, 7, 'workday', calendar, scale).at;

    // Act
    const start = subtractDuration(due, 7, 'workday', calendar, scale);

    // Assess: virtually the end of 30 September, 14 h after filing: 14 h × 5 s / 24 h = 2.91667 s.
    expect(due.toISOString()).toBe('2026-09-30T02:01:17.917Z');
    expect(start.at.toISOString()).toBe('2026-09-30T02:00:02.917Z');
  });
});

describe('stageSchedule', () => {
  const policy = deadlinePolicySchema.parse({}); // working days, warn 1 before, escalate 2 after

  it('warns a working day before the deadline and escalates two working days after it', () => {
    // Prepare
    const from = china('2026-09-30T10:00:00');

    // Act
    const schedule = stageSchedule(from, policy.resolveOrdinary, policy, calendar, realDays(from));

    // Assess: due end of Thu 15 October; warn end of Wed 14; escalate end of Mon 19 (after the weekend).
    expect(schedule).toEqual({
      warnAt: china('2026-10-15T00:00:00'),
      dueAt: china('2026-10-16T00:00:00'),
      escalateAt: china('2026-10-20T00:00:00'),
      beyondCalendar: false,
    });
    expect(schedule.warnAt < schedule.dueAt && schedule.dueAt < schedule.escalateAt).toBe(true);
  });

  it('never warns earlier than halfway between the start and the deadline', () => {
    // Prepare: Monday 9 March 10:00, one working day → due at the end of Tuesday 10 March (38 h later). One
    // working day before would be the end of Monday, after only 14 h; halfway is 19 h, 05:00 on Tuesday.
    const from = china('2026-03-09T10:00:00');

    // Act
    const schedule = stageSchedule(from, policy.assign, policy, calendar, realDays(from));

    // Assess
    expect(schedule.warnAt).toEqual(china('2026-03-10T05:00:00'));
    expect(schedule.dueAt).toEqual(china('2026-03-11T00:00:00'));
    expect(schedule.escalateAt).toEqual(china('2026-03-13T00:00:00'));
  });

  it('turns straight to red without a warning period', () => {
    // Prepare
    const from = china('2026-03-09T10:00:00');
    const noWarning = { ...policy, warnBefore: 0 };

    // Act
    const schedule = stageSchedule(from, 3, noWarning, calendar, realDays(from));

    // Assess
    expect(schedule.warnAt).toEqual(schedule.dueAt);
    expect(gradeAt(schedule, new Date(schedule.dueAt.getTime() - 1))).toBe('none');
    expect(gradeAt(schedule, schedule.dueAt)).toBe('red');
  });

  it('flags a schedule whose escalation runs into an unknown year', () => {
    // Prepare: Monday 21 December 2026 + 7 working days = 30 December; escalation counts 31 Dec and 1 Jan.
    const from = china('2026-12-21T10:00:00');

    // Act
    const schedule = stageSchedule(from, 7, policy, calendar, realDays(from));
    const withOverlay = stageSchedule(from, 7, policy, new WorkCalendar(overlay2027), realDays(from));

    // Assess
    expect(schedule.dueAt).toEqual(china('2026-12-31T00:00:00'));
    expect(schedule.escalateAt).toEqual(china('2027-01-02T00:00:00'));
    expect(schedule.beyondCalendar).toBe(true);
    expect(withOverlay.escalateAt).toEqual(china('2027-01-05T00:00:00'));
    expect(withOverlay.beyondCalendar).toBe(false);
  });

  it('scales the whole schedule onto real minutes', () => {
    // Prepare: 60 s days. Virtual offsets from filing: warn 350 h, due 374 h, escalate 470 h; 2.5 s an hour.
    const from = china('2026-09-30T10:00:00');

    // Act
    const schedule = stageSchedule(from, 7, policy, calendar, { anchor: from, daySeconds: 60 });

    // Assess
    expect(schedule.warnAt.toISOString()).toBe('2026-09-30T02:14:35.000Z');
    expect(schedule.dueAt.toISOString()).toBe('2026-09-30T02:15:35.000Z');
    expect(schedule.escalateAt.toISOString()).toBe('2026-09-30T02:19:35.000Z');
  });
});

describe('gradeAt and nextChange', () => {
  const schedule: StageSchedule = {
    warnAt: china('2026-10-15T00:00:00'),
    dueAt: china('2026-10-16T00:00:00'),
    escalateAt: china('2026-10-20T00:00:00'),
    beyondCalendar: false,
  };
  const at = (date: Date, deltaMs: number) => new Date(date.getTime() + deltaMs);

  it.each([
    ['long before the warning', at(schedule.warnAt, -86_400_000), 'none', schedule.warnAt],
    ['just before the warning', at(schedule.warnAt, -1), 'none', schedule.warnAt],
    ['at the warning', schedule.warnAt, 'yellow', schedule.dueAt],
    ['just after the warning', at(schedule.warnAt, 1), 'yellow', schedule.dueAt],
    ['just before the deadline', at(schedule.dueAt, -1), 'yellow', schedule.dueAt],
    ['at the deadline', schedule.dueAt, 'red', schedule.escalateAt],
    ['just after the deadline', at(schedule.dueAt, 1), 'red', schedule.escalateAt],
    ['just before escalation', at(schedule.escalateAt, -1), 'red', schedule.escalateAt],
    ['at escalation', schedule.escalateAt, 'escalated', undefined],
    ['after escalation', at(schedule.escalateAt, 1), 'escalated', undefined],
  ])('%s', (_label, now, grade, next) => {
    // Act
    const actualGrade = gradeAt(schedule, now);
    const actualNext = nextChange(schedule, now);

    // Assess
    expect(actualGrade).toBe(grade);
    expect(actualNext).toEqual(next);
  });
});

describe('extendSchedule', () => {
  const policy = deadlinePolicySchema.parse({});

  it('moves the deadline by the working days granted, counting on from the old deadline’s day', () => {
    // 7 working days from Monday 23 November 2026 end on Wednesday 2 December; 3 more end on Monday 7.
    const filed = china('2026-11-23T10:00:00');
    const schedule = stageSchedule(filed, 7, policy, calendar, realDays(filed));
    expect(schedule.dueAt).toEqual(china('2026-12-03T00:00:00'));
    const extended = extendSchedule(
      schedule,
      china('2026-11-30T09:00:00'),
      3,
      policy,
      calendar,
      realDays(filed),
    );
    expect(extended).toEqual({
      warnAt: china('2026-12-05T00:00:00'), // one working day before: the end of Friday 4 December
      dueAt: china('2026-12-08T00:00:00'),
      escalateAt: china('2026-12-10T00:00:00'), // two working days after
      beyondCalendar: false,
    });
  });

  it('never warns before halfway from the extension to the new deadline', () => {
    const filed = china('2026-11-23T10:00:00');
    const schedule = stageSchedule(filed, 7, policy, calendar, realDays(filed));
    const at = china('2026-12-02T12:00:00');
    const extended = extendSchedule(schedule, at, 1, policy, calendar, realDays(filed));
    expect(extended.dueAt).toEqual(china('2026-12-04T00:00:00'));
    expect(extended.warnAt).toEqual(new Date((at.getTime() + extended.dueAt.getTime()) / 2));
  });

  it('keeps a deadline flagged when the schedule it extends was beyond the known calendar', () => {
    const filed = china('2026-12-28T10:00:00');
    const schedule = stageSchedule(filed, 7, policy, calendar, realDays(filed));
    expect(schedule.beyondCalendar).toBe(true);
    expect(extendSchedule(schedule, filed, 1, policy, calendar, realDays(filed)).beyondCalendar).toBe(true);
  });
});
