import { describe, expect, it } from 'vitest';
import { orderStack, sliceLocation, type InstanceJson } from '@/lib/dicom/stack-order.client';
import { withoutUnusableWindow } from '@/lib/dicom/usable-window.client';
import { voiRange, windowOf } from '@/lib/dicom/window-presets.client';

const AXIAL = [1, 0, 0, 0, 1, 0];

function instance(uid: string, number: number | null, position?: number[], extra: InstanceJson = {}): InstanceJson {
  return {
    '00080018': { vr: 'UI', Value: [uid] },
    ...(number === null ? {} : { '00200013': { vr: 'IS', Value: [number] } }),
    ...(position ? { '00200032': { vr: 'DS', Value: position }, '00200037': { vr: 'DS', Value: AXIAL } } : {}),
    '00280010': { vr: 'US', Value: [4] },
    '00280011': { vr: 'US', Value: [4] },
    ...extra,
  };
}

const uids = (instances: InstanceJson[]) => orderStack(instances).images.map((i) => `${i.sopInstanceUid}:${i.frame}`);

describe('orderStack', () => {
  it('orders slices along the normal, whatever the instance numbers and arrival order say', () => {
    // Feet-first numbering: instance 1 is the lowest slice; the stack still runs along +z.
    const stack = orderStack([instance('c', 1, [0, 0, 10]), instance('a', 3, [0, 0, -10]), instance('b', 2, [0, 0, 0])]);
    expect(stack.images.map((i) => i.sopInstanceUid)).toEqual(['a', 'b', 'c']);
    expect(stack.normal).toEqual([0, 0, 1]);
    expect(stack.isVolume).toBe(true);
    expect(stack.images.map((i) => sliceLocation(i, stack.normal))).toEqual([-10, 0, 10]);
    expect(sliceLocation(stack.images[0]!, null)).toBeNull();
  });

  it('falls back to instance numbers (then UIDs) without positions, and is no volume', () => {
    const stack = orderStack([instance('z', 2), instance('y', null), instance('x', 1), instance('w', 2)]);
    expect(stack.images.map((i) => i.sopInstanceUid)).toEqual(['x', 'w', 'z', 'y']);
    expect(stack.isVolume).toBe(false);
  });

  it('uses instance numbers when orientations differ (a localizer mixed into the series)', () => {
    const sagittal = instance('s', 1, [0, 0, 0], { '00200037': { vr: 'DS', Value: [0, 1, 0, 0, 0, -1] } });
    const stack = orderStack([instance('b', 3, [0, 0, -5]), sagittal, instance('a', 2, [0, 0, 5])]);
    expect(stack.images.map((i) => i.sopInstanceUid)).toEqual(['s', 'a', 'b']);
    expect(stack.normal).toBeNull();
    expect(stack.isVolume).toBe(false);
  });

  it('makes one image per frame of a multi-frame instance, in frame order', () => {
    expect(uids([instance('m', 1, undefined, { '00280008': { vr: 'IS', Value: ['3'] } }), instance('s', 2)])).toEqual(['m:1', 'm:2', 'm:3', 's:1']);
  });

  it('reads enhanced multi-frame positions from the per-frame functional groups', () => {
    const frame = (z: number) => ({ '00209113': { vr: 'SQ', Value: [{ '00200032': { vr: 'DS', Value: [0, 0, z] } }] } });
    const enhanced = instance('e', 1, undefined, {
      '00280008': { vr: 'IS', Value: [3] },
      '00200037': { vr: 'DS', Value: AXIAL },
      '52009230': { vr: 'SQ', Value: [frame(4), frame(0), frame(2)] },
    });
    const stack = orderStack([enhanced]);
    expect(stack.images.map((i) => i.frame)).toEqual([2, 3, 1]);
    expect(stack.isVolume).toBe(true);
  });

  it('is no volume with uneven spacing, a gap, a tilted stack, mixed sizes or two slices', () => {
    const at = (zs: number[], shift = 0) => zs.map((z, i) => instance(`u${i}`, i + 1, [i * shift, 0, z]));
    expect(orderStack(at([0, 2, 4, 6])).isVolume).toBe(true);
    expect(orderStack(at([0, 2, 4, 7])).isVolume).toBe(false);
    expect(orderStack(at([0, 2, 2, 4])).isVolume).toBe(false);
    expect(orderStack(at([0, 2, 4, 6], 1)).isVolume).toBe(false);
    expect(orderStack(at([0, 2])).isVolume).toBe(false);
    const mixed = at([0, 2, 4]);
    mixed[1]!['00280010'] = { vr: 'US', Value: [8] };
    expect(orderStack(mixed).isVolume).toBe(false);
  });

  it('skips entries without a SOP Instance UID', () => {
    expect(uids([{}, instance('a', 1)])).toEqual(['a:1']);
  });
});

describe('window presets', () => {
  it('convert width/center to the VOI range of the DICOM linear function and back', () => {
    expect(voiRange({ width: 400, center: 40 })).toEqual({ lower: -160, upper: 239 });
    for (const w of [{ width: 400, center: 40 }, { width: 1500, center: -600 }, { width: 1, center: 0 }]) expect(windowOf(voiRange(w))).toEqual(w);
  });
});

describe('withoutUnusableWindow', () => {
  const ct = (center: unknown[], width: unknown[]): InstanceJson => ({
    '00080018': { vr: 'UI', Value: ['1.2'] },
    '00281050': { vr: 'DS', Value: center },
    '00281051': { vr: 'DS', Value: width },
  });

  it('keeps usable windows, several included, and instances without one', () => {
    expect(withoutUnusableWindow(ct([40], [400]))).toEqual(ct([40], [400]));
    expect(withoutUnusableWindow(ct([40, -600], ['400', '1500']))).toEqual(ct([40, -600], ['400', '1500']));
    expect(withoutUnusableWindow({ '00080018': { vr: 'UI', Value: ['1.2'] } })).toEqual({ '00080018': { vr: 'UI', Value: ['1.2'] } });
  });

  it('drops a zero or negative width, a missing half, or values that are not numbers', () => {
    const bare = { '00080018': { vr: 'UI', Value: ['1.2'] } };
    expect(withoutUnusableWindow(ct([0], [0]))).toEqual(bare);
    expect(withoutUnusableWindow(ct([40, 40], [400, -1]))).toEqual(bare);
    expect(withoutUnusableWindow(ct([], [400]))).toEqual(bare);
    expect(withoutUnusableWindow(ct(['abc'], [400]))).toEqual(bare);
  });
});
