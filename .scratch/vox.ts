import { syntheticCtSeries } from '../lib/dicom/synthetic-ct';
import { seriesVolume } from '../lib/datasets/export/series-volume';
import { niftiSeriesExport } from '../lib/datasets/export/nifti-series-export';
const files = syntheticCtSeries({ slices: 128 });
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const v = await seriesVolume(files);
  const a = performance.now() - t;
  t = performance.now();
  const labelmap = { voxels: new Uint8Array(512 * 512 * 128), columns: 512, rows: 512, slices: 128 };
  labelmap.voxels.fill(1, 1000, 50000);
  const n = await niftiSeriesExport({ instances: files, labelmap, labelValues: new Map([[1, 1]]) });
  const b = performance.now() - t;
  console.log('seriesVolume', a.toFixed(0), 'ms; niftiSeriesExport', b.toFixed(0), 'ms', v.voxels.constructor.name, 'image' in n ? n.image.length : n);
}
