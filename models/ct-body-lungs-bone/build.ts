/**
 * Builds models/ct-body-lungs-bone/model.onnx: a classical CT baseline (HU thresholds and
 * morphology, no learned weights) written as an ONNX graph, and records its SHA-256 in the
 * manifest. Run: npx tsx models/ct-body-lungs-bone/build.ts
 *
 * Per axial slice of HU values (N×1×H×W, H and W multiples of 4):
 *   body   = HU > −500                       (fat, soft tissue, bone: not air)
 *   bone   = HU > 250
 *   inside = body, closed at ¼ resolution with a 41×41 square (≈ 164 px: fills the lungs, which
 *            are holes in the body; padded with background so the image edge is not closed
 *            onto), eroded 3×3, back to full resolution
 *   lungs  = HU < −500 and inside           (air enclosed by the body)
 *   tissue = body and not bone
 * Output: one-hot scores N×4×H×W for background, body (tissue), lungs, bone; the manifest's
 * postprocessing takes the argmax and drops small components (bowel gas, noise).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OnnxGraph } from '../onnx-graph';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const AIR_HU = -500;
const BONE_HU = 250;
const DOWNSAMPLE = 4;
const CLOSING = 41;

const g = new OnnxGraph();
const FLOAT = 1; // TensorProto.DataType.FLOAT, for Cast
const one = g.floats('one', [1]);

const mask = (op: 'Greater' | 'Less', threshold: number, name: string) => g.op('Cast', [g.op(op, ['hu', g.floats(`${name}_hu`, [threshold])])], { to: FLOAT }, name);
const body = mask('Greater', AIR_HU, 'body');
const air = mask('Less', AIR_HU, 'air');
const bone = mask('Greater', BONE_HU, 'bone');

/** Dilation by a k×k square, separably (two 1-D max pools, the same size out as in). */
const dilate = (x: string, k: number) => {
  const half = (k - 1) / 2;
  const rows = g.op('MaxPool', [x], { kernel_shape: [1, k], pads: [0, half, 0, half], strides: [1, 1] });
  return g.op('MaxPool', [rows], { kernel_shape: [k, 1], pads: [half, 0, half, 0], strides: [1, 1] });
};
const invert = (x: string) => g.op('Sub', [one, x]);
const erode = (x: string, k: number) => invert(dilate(invert(x), k));

const coarse = g.op('MaxPool', [body], { kernel_shape: [DOWNSAMPLE, DOWNSAMPLE], strides: [DOWNSAMPLE, DOWNSAMPLE] });
// Max pools ignore their padding, so a closing would fill the gap between the body and the image's
// edge: pad with background first (as far as the closing reaches), crop after.
const margin = CLOSING;
// (Inverted twice: ONNX Runtime would otherwise fuse the Pad into the max pool and refuse a pad wider than its kernel.)
const padded = invert(invert(g.op('Pad', [coarse, g.ints('margin_pads', [0, 0, margin, margin, 0, 0, margin, margin])], { mode: 'constant' })));
const closedPadded = erode(dilate(padded, CLOSING), CLOSING);
const closed = g.op('Slice', [closedPadded, g.ints('crop_starts', [margin, margin]), g.ints('crop_ends', [-margin, -margin]), g.ints('crop_axes', [2, 3])]);
const interior = erode(closed, 3);
const scales = g.floats('upsample_scales', [1, 1, DOWNSAMPLE, DOWNSAMPLE], [4]);
const inside = g.op('Resize', [interior, '', scales], { mode: 'nearest', nearest_mode: 'floor', coordinate_transformation_mode: 'asymmetric' });

const lungs = g.op('Mul', [air, inside], {}, 'lungs');
const tissue = g.op('Mul', [body, invert(bone)], {}, 'tissue');
const background = g.op('Sub', [g.op('Sub', [g.op('Sub', [one, tissue]), lungs]), bone], {}, 'background');
g.op('Concat', [background, tissue, lungs, bone], { axis: 1 }, 'classes');

const bytes = g.toBytes({
  input: { name: 'hu', shape: ['batch', 1, 'height', 'width'] },
  output: { name: 'classes', shape: ['batch', 4, 'height', 'width'] },
  doc: 'Classical CT baseline: HU thresholds and morphology for body, lungs and bone. No learned weights.',
  metadata: { air_hu: String(AIR_HU), bone_hu: String(BONE_HU), closing_px: String(CLOSING * DOWNSAMPLE) },
});
writeFileSync(path.join(HERE, 'model.onnx'), bytes);

const manifestPath = path.join(HERE, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { sha256: string };
manifest.sha256 = createHash('sha256').update(bytes).digest('hex');
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`model.onnx: ${bytes.length} bytes, sha256 ${manifest.sha256}`);
