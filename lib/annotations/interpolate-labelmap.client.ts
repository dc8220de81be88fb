/**
 * Interpolation between labeled slices: a reader outlines a structure on a few slices and the slices
 * between are filled by shape-based interpolation (Raya & Udupa 1990): the signed distance maps of
 * the two nearest labeled slices are blended by distance along the stack and the shape is where the
 * blend is inside. Only empty voxels of slices with nothing of that segment are written, so no
 * reader's work is overwritten. Like every shape-based method it joins shapes that overlap when the
 * two slices are laid on each other; a structure that moves sideways by more than its size needs a
 * slice drawn in between. Pure, for the browser (the viewer's Interpolate) and tests.
 */

const INF = 1e20;

/** Fills the gaps of segment `value` in a columns × rows × slices labelmap, in place; returns voxels written. */
export function interpolateLabelmap(voxels: Uint8Array, columns: number, rows: number, slices: number, value: number): number {
  const area = columns * rows;
  if (voxels.length !== area * slices) throw new RangeError(`A ${columns}×${rows}×${slices} labelmap has ${area * slices} voxels, not ${voxels.length}.`);
  const labeled: number[] = [];
  for (let k = 0; k < slices; k++) {
    const slice = voxels.subarray(k * area, (k + 1) * area);
    if (slice.includes(value)) labeled.push(k);
  }
  let written = 0;
  let previous: { k: number; sdf: Float32Array } | null = null;
  for (const k of labeled) {
    const sdf = signedDistance(voxels.subarray(k * area, (k + 1) * area), columns, rows, value);
    if (previous && k - previous.k > 1) {
      for (let j = previous.k + 1; j < k; j++) {
        const t = (j - previous.k) / (k - previous.k);
        const slice = voxels.subarray(j * area, (j + 1) * area);
        for (let i = 0; i < area; i++) {
          if (slice[i] === 0 && (1 - t) * previous.sdf[i]! + t * sdf[i]! <= 0) {
            slice[i] = value;
            written++;
          }
        }
      }
    }
    previous = { k, sdf };
  }
  return written;
}

/** Distance (pixels) to the shape's boundary: negative inside `value`, positive outside. */
function signedDistance(slice: Uint8Array, columns: number, rows: number, value: number): Float32Array {
  const outside = squaredDistanceTo(slice, columns, rows, (v) => v === value);
  const inside = squaredDistanceTo(slice, columns, rows, (v) => v !== value);
  const sdf = new Float32Array(slice.length);
  // Half a pixel each side: the boundary lies between an inside pixel and an outside one.
  for (let i = 0; i < slice.length; i++) sdf[i] = slice[i] === value ? -(Math.sqrt(inside[i]!) - 0.5) : Math.sqrt(outside[i]!) - 0.5;
  return sdf;
}

/** Squared Euclidean distance from every pixel to the nearest pixel where `target` holds (Felzenszwalb & Huttenlocher 2012). */
function squaredDistanceTo(slice: Uint8Array, columns: number, rows: number, target: (v: number) => boolean): Float64Array {
  const d = new Float64Array(slice.length);
  for (let i = 0; i < slice.length; i++) d[i] = target(slice[i]!) ? 0 : INF;
  const n = Math.max(columns, rows);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) f[x] = d[y * columns + x]!;
    transform1d(f, columns, out, v, z);
    for (let x = 0; x < columns; x++) d[y * columns + x] = out[x]!;
  }
  for (let x = 0; x < columns; x++) {
    for (let y = 0; y < rows; y++) f[y] = d[y * columns + x]!;
    transform1d(f, rows, out, v, z);
    for (let y = 0; y < rows; y++) d[y * columns + x] = out[y]!;
  }
  return d;
}

/** The 1-D squared distance transform: the lower envelope of parabolas rooted at each sample. */
function transform1d(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array) {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    out[q] = (q - v[k]!) ** 2 + f[v[k]!]!;
  }
}
