const N = 512*512*128;
const a = new Int16Array(N);
for (let r=0;r<3;r++){
let t = performance.now(); let s=0; for (let i=0;i<N;i++) s+=a[i]; console.log('sum', (performance.now()-t).toFixed(0), s);
t = performance.now(); const b = new Int16Array(N); console.log('alloc', (performance.now()-t).toFixed(0));
t = performance.now(); for (let i=0;i<N;i++) b[i]=a[i]-1024; console.log('sub', (performance.now()-t).toFixed(0));
t = performance.now(); b.set(a); console.log('set', (performance.now()-t).toFixed(0));
}
