/**
 * How a series' instances become the stack a viewer scrolls through, from their DICOM JSON
 * (WADO-RS metadata): one image per frame, ordered along the slice normal when every image has a
 * position and one orientation (what radiologists expect, whatever order the files arrived in), by
 * instance number otherwise. Pure: the viewer and the tests use it alike.
 */

type JsonAttribute = { vr?: string; Value?: unknown[] };
export type InstanceJson = Record<string, JsonAttribute | undefined>;

export type StackImage = {
  sopInstanceUid: string;
  /** 1-based frame number within the instance. */
  frame: number;
  instance: InstanceJson;
  /** Image Position (Patient) of this frame when known, in mm. */
  position: [number, number, number] | null;
};

export type SeriesStack = {
  images: StackImage[];
  /** Unit normal of the slices when all share one orientation; null for mixed or unknown. */
  normal: [number, number, number] | null;
  /** True when the stack forms a regular volume: the viewer may offer MPR. */
  isVolume: boolean;
};

const TAG = {
  sopInstanceUid: '00080018',
  instanceNumber: '00200013',
  imagePosition: '00200032',
  imageOrientation: '00200037',
  numberOfFrames: '00280008',
  rows: '00280010',
  columns: '00280011',
  perFrameGroups: '52009230',
  planePosition: '00209113',
} as const;

function numbers(attr: JsonAttribute | undefined): number[] {
  return (attr?.Value ?? []).map((v) => (typeof v === 'number' ? v : Number(v))).filter((v) => Number.isFinite(v));
}

function stringValue(instance: InstanceJson, tag: string): string {
  const value = instance[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return 'Alphabetic' in value ? String((value as { Alphabetic: unknown }).Alphabetic) : '';
  return String(value);
}

function numberValue(instance: InstanceJson, tag: string): number | null {
  const [n] = numbers(instance[tag]);
  return n ?? null;
}

const triple = (v: number[]): [number, number, number] | null => (v.length >= 3 ? [v[0]!, v[1]!, v[2]!] : null);

function cross(a: number[], b: number[]): [number, number, number] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/** Enhanced multi-frame objects carry each frame's position in the per-frame functional groups. */
function framePosition(instance: InstanceJson, frame: number): [number, number, number] | null {
  const groups = instance[TAG.perFrameGroups]?.Value as InstanceJson[] | undefined;
  const item = groups?.[frame - 1]?.[TAG.planePosition]?.Value?.[0] as InstanceJson | undefined;
  if (item) return triple(numbers(item[TAG.imagePosition]));
  return frame === 1 ? triple(numbers(instance[TAG.imagePosition])) : null;
}

function orientationKey(instance: InstanceJson): string | null {
  const iop = numbers(instance[TAG.imageOrientation]);
  return iop.length === 6 ? iop.map((v) => v.toFixed(4)).join('\\') : null;
}

/** The images of a series in viewing order. */
export function orderStack(instances: InstanceJson[]): SeriesStack {
  const images: (StackImage & { instanceNumber: number })[] = [];
  for (const instance of instances) {
    const sopInstanceUid = stringValue(instance, TAG.sopInstanceUid);
    if (!sopInstanceUid) continue;
    const frames = Math.max(1, numberValue(instance, TAG.numberOfFrames) ?? 1);
    const instanceNumber = numberValue(instance, TAG.instanceNumber) ?? Number.MAX_SAFE_INTEGER;
    for (let frame = 1; frame <= frames; frame++) {
      images.push({ sopInstanceUid, frame, instance, instanceNumber, position: framePosition(instance, frame) });
    }
  }

  const orientations = new Set(instances.map(orientationKey));
  const [only] = orientations;
  const iop = orientations.size === 1 && only ? only.split('\\').map(Number) : null;
  const normal = iop ? normalize(cross(iop.slice(0, 3), iop.slice(3, 6))) : null;
  const byInstance = (a: (typeof images)[number], b: (typeof images)[number]) =>
    a.instanceNumber - b.instanceNumber || a.sopInstanceUid.localeCompare(b.sopInstanceUid) || a.frame - b.frame;

  const positioned = normal !== null && images.length > 1 && images.every((i) => i.position !== null);
  if (positioned) {
    images.sort((a, b) => dot(a.position!, normal) - dot(b.position!, normal) || byInstance(a, b));
  } else {
    images.sort(byInstance);
  }
  const ordered = images.map(({ instanceNumber: _, ...image }) => image);
  return { images: ordered, normal, isVolume: positioned && formsVolume(ordered, normal) };
}

function normalize(v: [number, number, number]): [number, number, number] | null {
  const length = Math.hypot(...v);
  return length > 1e-6 ? [v[0] / length, v[1] / length, v[2] / length] : null;
}

/**
 * A volume for MPR: at least 3 slices of one size, one orientation, distinct positions, spaced
 * evenly (within 1 % or 0.01 mm) along the normal, and stacked along it (not a tilted gantry).
 */
function formsVolume(images: StackImage[], normal: [number, number, number]): boolean {
  if (images.length < 3) return false;
  const size = (i: StackImage) => `${numberValue(i.instance, TAG.rows)}x${numberValue(i.instance, TAG.columns)}`;
  const first = size(images[0]!);
  if (first.includes('null') || images.some((i) => size(i) !== first)) return false;
  const steps: number[] = [];
  for (let k = 1; k < images.length; k++) {
    const a = images[k - 1]!.position!;
    const b = images[k]!.position!;
    const delta: [number, number, number] = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const along = dot(delta, normal);
    const across = Math.hypot(delta[0] - along * normal[0], delta[1] - along * normal[1], delta[2] - along * normal[2]);
    if (along <= 1e-6 || across > Math.max(0.01, along * 0.01)) return false;
    steps.push(along);
  }
  const mean = steps.reduce((s, v) => s + v, 0) / steps.length;
  return steps.every((s) => Math.abs(s - mean) <= Math.max(0.01, mean * 0.01));
}

/** Where an image lies along the stack's normal, in mm: the slice location viewers print. */
export function sliceLocation(image: StackImage, normal: SeriesStack['normal']): number | null {
  return image.position && normal ? dot(image.position, normal) : null;
}
