const N = 512*512*128;
const samples = new Int16Array(N).map((_, i) => i % 3000);
function rescale(out, samples, slope, intercept) { for (let i = 0; i < samples.length; i++) out[i] = samples[i] * slope + intercept; }
function remap(voxels, table) { const out = new Uint8Array(voxels.length); for (let i = 0; i < voxels.length; i++) { const v = table[voxels[i]]; if (v < 0) return null; out[i] = v; } return out; }
for (let r = 0; r < 3; r++) {
  const out = new Int16Array(N);
  let t = performance.now(); rescale(out, samples, 1, -1024); console.log('rescale', (performance.now()-t).toFixed(0));
  const vox = new Uint8Array(N); const table = new Int16Array(256).fill(-1); table[0]=0; table[1]=1;
  t = performance.now(); remap(vox, table); console.log('remap', (performance.now()-t).toFixed(0));
}
