import { describe, expect, it } from 'vitest';
import { onFirstUse } from '../../shared/app/on-first-use';

describe('onFirstUse', () => {
  it('builds once for every call, those made while it builds included', async () => {
    // Prepare
    let builds = 0;
    let finish: (value: string) => void = () => {};
    const get = onFirstUse(() => {
      builds++;
      return new Promise<string>((resolve) => {
        finish = resolve;
      });
    });

    // Act: two calls while the build runs, one after it
    const first = get();
    const second = get();
    finish('built');
    const values = [await first, await second, await get()];

    // Assess
    expect(values).toEqual(['built', 'built', 'built']);
    expect(builds).toBe(1);
  });

  it('forgets a failed build: the calls it failed for see the error, the next call builds again', async () => {
    // Prepare
    const outcomes = [new Error('the module could not be loaded'), 'built'];
    let builds = 0;
    const get = onFirstUse(async () => {
      const outcome = outcomes[builds++];
      if (outcome instanceof Error) throw outcome;
      return outcome;
    });

    // Act
    const failed = await Promise.allSettled([get(), get()]);
    const retried = await get();
    const after = await get();

    // Assess
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe('the module could not be loaded');
    expect([retried, after]).toEqual(['built', 'built']);
    expect(builds).toBe(2);
  });
});
