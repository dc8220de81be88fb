import { newUid } from '../../lib/dicom/uid';
import { writePart10 } from '../../lib/dicom/write-part10';

/**
 * One valid DICOM file larger than the browser's resumable threshold (8 MiB): a 2048² 16-bit
 * secondary capture with a gradient, new UIDs every call. For resumable-upload tests.
 */
export function largeDicom(): Buffer {
  const size = 2048;
  const pixels = new Uint16Array(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % size) + Math.floor(i / size)) % 4096;
  const file = writePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture Image Storage
    SOPInstanceUID: newUid(),
    StudyInstanceUID: newUid(),
    SeriesInstanceUID: newUid(),
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
  return Buffer.from(file.buffer, file.byteOffset, file.byteLength);
}
