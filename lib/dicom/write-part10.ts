import dcmjs from 'dcmjs';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes';

/** Cohort's implementation class UID, in the File Meta Information of files it writes. */
export const IMPLEMENTATION_CLASS_UID = '2.25.153270219434232131546254322617446519251';

/**
 * The File Meta Information (PS3.10 §7.1) of a data set with these SOP Class and Instance UIDs, in
 * `transferSyntaxUid`, as dcmjs's DicomDict takes it.
 */
export function fileMetaInformation(
  dataset: { SOPClassUID: string; SOPInstanceUID: string },
  { transferSyntaxUid = EXPLICIT_VR_LITTLE_ENDIAN, implementationVersionName = 'COHORT' } = {},
): Record<string, unknown> {
  return dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: implementationVersionName,
  });
}

/**
 * A DICOM Part-10 file (explicit VR little endian) of a data set given in dcmjs's naturalized form
 * (keywords as keys; `_vrMap` for ambiguous VRs): its File Meta Information follows from its SOP
 * Class and Instance UIDs. For demo data, tests and benchmarks.
 */
export function writePart10(dataset: Record<string, unknown> & { SOPClassUID: string; SOPInstanceUID: string }, implementationVersionName = 'COHORT'): Uint8Array<ArrayBuffer> {
  const dict = new dcmjs.data.DicomDict(fileMetaInformation(dataset, { implementationVersionName }));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
