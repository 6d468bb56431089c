import { describe, expect, it } from 'vitest';
import { createReportSlots } from '../../../../../src/channels/reports/console/report-slots.ts';

describe('createReportSlots: at most max report runs at once', () => {
  it.each([
    ['one slot: the second run is refused', 1, 2, 1],
    ['two slots: the third run is refused', 2, 3, 2],
    ['three slots, three runs: none refused', 3, 3, 3],
  ])('%s', (_why, max, asked, admitted) => {
    const slots = createReportSlots(max);
    const taken = Array.from({ length: asked }, () => slots.tryAcquire());
    expect(taken.filter((release) => release !== undefined)).toHaveLength(admitted);
    expect(slots.running).toBe(admitted);
    expect(slots.max).toBe(max);
  });

  it('a released slot can be taken again; releasing twice frees only one slot', () => {
    const slots = createReportSlots(2);
    const first = slots.tryAcquire();
    const second = slots.tryAcquire();
    expect(slots.tryAcquire()).toBeUndefined();
    first?.();
    first?.();
    expect(slots.running).toBe(1);
    const third = slots.tryAcquire();
    expect(third).toBeDefined();
    // A second release of the first run did not make room for a run past the bound.
    expect(slots.tryAcquire()).toBeUndefined();
    second?.();
    third?.();
    expect(slots.running).toBe(0);
  });
});
