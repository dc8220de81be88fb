/**
 * The transfer syntaxes of DICOM PS3.6 Annex A (2025), active and retired-but-still-seen. A file in any
 * of them is stored as it came (never re-encoded); one in a syntax not listed here is refused, since
 * no reader could be sure to decode it.
 */
export type TransferSyntax = {
  uid: string;
  name: string;
  /** Pixel Data as fragments (compressed or encapsulated), rather than one native value. */
  encapsulated: boolean;
  /** Everything after the File Meta Information is deflated (RFC 1951). */
  deflated?: boolean;
  /** JPIP Referenced: no Pixel Data in the file, only the JPIP server's address (Pixel Data Provider URL). */
  jpip?: boolean;
};

const NATIVE = (uid: string, name: string, deflated = false): TransferSyntax => ({ uid, name, encapsulated: false, ...(deflated ? { deflated } : {}) });
const FRAGMENTS = (uid: string, name: string): TransferSyntax => ({ uid, name, encapsulated: true });
const JPIP = (uid: string, name: string, deflated = false): TransferSyntax => ({ uid, name, encapsulated: false, jpip: true, ...(deflated ? { deflated } : {}) });

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';

const SYNTAXES: TransferSyntax[] = [
  NATIVE(IMPLICIT_VR_LITTLE_ENDIAN, 'Implicit VR Little Endian'),
  NATIVE(EXPLICIT_VR_LITTLE_ENDIAN, 'Explicit VR Little Endian'),
  NATIVE(DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, 'Deflated Explicit VR Little Endian', true),
  NATIVE(EXPLICIT_VR_BIG_ENDIAN, 'Explicit VR Big Endian'),
  FRAGMENTS('1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian'),
  FRAGMENTS('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)'),
  FRAGMENTS('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)'),
  FRAGMENTS('1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)'),
  FRAGMENTS('1.2.840.10008.1.2.4.55', 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12)'),
  FRAGMENTS('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)'),
  FRAGMENTS('1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, SV1)'),
  FRAGMENTS('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless'),
  FRAGMENTS('1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)'),
  FRAGMENTS('1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)'),
  FRAGMENTS('1.2.840.10008.1.2.4.91', 'JPEG 2000'),
  FRAGMENTS('1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component (Lossless Only)'),
  FRAGMENTS('1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component'),
  JPIP('1.2.840.10008.1.2.4.94', 'JPIP Referenced'),
  JPIP('1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate', true),
  FRAGMENTS('1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level'),
  FRAGMENTS('1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level'),
  FRAGMENTS('1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1'),
  FRAGMENTS('1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1'),
  FRAGMENTS('1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video'),
  FRAGMENTS('1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video'),
  FRAGMENTS('1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2'),
  FRAGMENTS('1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile / Level 5.1'),
  FRAGMENTS('1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1'),
  FRAGMENTS('1.2.840.10008.1.2.4.110', 'JPEG XL Lossless'),
  FRAGMENTS('1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression'),
  FRAGMENTS('1.2.840.10008.1.2.4.112', 'JPEG XL'),
  FRAGMENTS('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)'),
  FRAGMENTS('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)'),
  FRAGMENTS('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000'),
  JPIP('1.2.840.10008.1.2.4.204', 'JPIP HTJ2K Referenced'),
  JPIP('1.2.840.10008.1.2.4.205', 'JPIP HTJ2K Referenced Deflate', true),
  FRAGMENTS('1.2.840.10008.1.2.5', 'RLE Lossless'),
  // Deflated Image Frame Compression: frames deflated one by one inside fragments.
  FRAGMENTS('1.2.840.10008.1.2.8.1', 'Deflated Image Frame Compression'),
];

const BY_UID = new Map(SYNTAXES.map((ts) => [ts.uid, ts]));

export function transferSyntaxOf(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid);
}

/** Pixel Data stored as one plain value in the file: readable (and convertible) without a codec. */
export function isNativeOnDisk(uid: string): boolean {
  const ts = BY_UID.get(uid);
  return !!ts && !ts.encapsulated && !ts.deflated && !ts.jpip;
}
