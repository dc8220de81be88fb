/** One message for forged, expired and withdrawn links alike: it says nothing about the study. */
export const INVALID_SHARE_LINK = 'This link does not work: it may have expired or been withdrawn by the person who shared it.';
