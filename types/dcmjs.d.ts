/** The part of dcmjs (which ships no types) that Cohort uses: writing Part-10 files from naturalized data sets. */
declare module 'dcmjs' {
  type NaturalDataset = Record<string, unknown>;
  interface DicomDict {
    meta: Record<string, unknown>;
    dict: Record<string, unknown>;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomDict: new (meta: Record<string, unknown>) => DicomDict;
      DicomMetaDictionary: {
        denaturalizeDataset(dataset: NaturalDataset): Record<string, unknown>;
        naturalizeDataset(dataset: Record<string, unknown>): NaturalDataset;
      };
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { untilTag?: string; ignoreErrors?: boolean; includeUntilTagValue?: boolean }): DicomDict;
      };
    };
    /** Its logger (loglevel). */
    log: { setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void };
  };
  export default dcmjs;
}
