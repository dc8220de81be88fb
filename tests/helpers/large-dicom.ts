import dcmjs from 'dcmjs';

/**
 * One valid DICOM file larger than the browser's resumable threshold (8 MiB): a 2048² 16-bit
 * secondary capture with a gradient, new UIDs every call. For resumable-upload tests.
 */
export function largeDicom(): Buffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const uid = () => `2.25.${BigInt(`0x${crypto.randomUUID().replaceAll('-', '')}`)}`;
  const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
  const sop = uid();
  const size = 2048;
  const pixels = new Uint16Array(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % size) + Math.floor(i / size)) % 4096;
  const dict = new DicomDict(
    DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: SECONDARY_CAPTURE,
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      ImplementationClassUID: '2.25.153270219434232131546254322617446519251',
    }),
  );
  dict.dict = DicomMetaDictionary.denaturalizeDataset({
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: sop,
    StudyInstanceUID: uid(),
    SeriesInstanceUID: uid(),
    PatientName: 'Large^Upload',
    PatientID: 'LARGE-1',
    StudyDate: '20260101',
    StudyDescription: 'Large file upload',
    Modality: 'OT',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: size,
    Columns: size,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OW' },
  });
  return Buffer.from(dict.write());
}
