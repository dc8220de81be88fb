/**
 * deid.throughput: instances/s de-identifying 200 synthetic 512×512 16-bit CT instances
 * (deidentifyInstance: Basic Profile, Clean Descriptors, modified dates, keyed UID remapping, pixel
 * data copied untouched) vs a dcmjs read + write round trip of the same files, in the same run — the
 * least any dcmjs-based rewrite of a file does. Goals: ≥ 200 instances/s and ≥ 0.7× the round trip.
 */
import dcmjs from 'dcmjs';
import { deidentifyInstance } from '../lib/dicom/deidentify/deidentify-instance';
import { syntheticCtSeries } from '../lib/dicom/synthetic-ct';
import { entry, medianMs, report } from './harness';

const INSTANCES = 200;
const RUNS = 7;
const files = syntheticCtSeries({ slices: INSTANCES, spacing: 1.25 });
const options = {
  uidKey: new Uint8Array(32).fill(42),
  patientPseudonym: 'BENCH-0001',
  cleanDescriptors: true,
  retainLongitudinalTemporalInformation: 'modified-dates' as const,
  dateShiftDays: -123,
};

let written = 0;
const deidentifyAll = async () => {
  for (const file of files) written += deidentifyInstance(file, options).bytes.length;
};
const roundTripAll = async () => {
  for (const file of files) {
    // Each generated file owns its whole ArrayBuffer: dcmjs reads it without a copy being made here.
    const dict = dcmjs.data.DicomMessage.readFile(file.buffer as ArrayBuffer);
    written += dict.write().byteLength;
  }
};

// Warm up both (JIT) before timing either; then alternate so neither gets the quieter half of the run.
await deidentifyAll();
await roundTripAll();
const ours: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  ours.push(await medianMs(1, deidentifyAll));
  baseline.push(await medianMs(1, roundTripAll));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
if (written === 0) throw new Error('nothing was written');

const perSecond = (ms: number) => INSTANCES / (ms / 1000);
report([entry('deid.throughput', 'instances/s', perSecond(median(ours)), 'dcmjs read+write round trip of the same 512² CT files', perSecond(median(baseline)))]);
