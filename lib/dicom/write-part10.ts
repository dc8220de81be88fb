import dcmjs from 'dcmjs';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes';

/** Cohort's implementation class UID, in the File Meta Information of files it writes. */
export const IMPLEMENTATION_CLASS_UID = '2.25.153270219434232131546254322617446519251';

/**
 * A DICOM Part-10 file (explicit VR little endian) of a data set given in dcmjs's naturalized form
 * (keywords as keys; `_vrMap` for ambiguous VRs): its File Meta Information follows from its SOP
 * Class and Instance UIDs. For demo data, tests and benchmarks.
 */
export function writePart10(dataset: Record<string, unknown> & { SOPClassUID: string; SOPInstanceUID: string }, implementationVersionName = 'COHORT'): Uint8Array<ArrayBuffer> {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const dict = new DicomDict(
    DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: dataset.SOPClassUID,
      MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
      TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
      ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      ImplementationVersionName: implementationVersionName,
    }),
  );
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
