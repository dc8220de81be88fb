import type { AnnotationContent } from '@/lib/annotations/schemas';

export const PROPOSAL_TASKS = ['segmentation', 'detection', 'classification'] as const;
export type ProposalTask = (typeof PROPOSAL_TASKS)[number];

/** A box a detection model proposed: a region of the label schema, with the model's score. */
export type ProposedRegion = AnnotationContent['regions'][number] & { score: number };

/** A classification model's probability for one of its classes, and the choice it is. */
export type ProposedScore = { class: string; choiceId: string | null; probability: number };

/**
 * What a detection or classification proposal holds (JSON in the blob store; a segmentation
 * proposal holds an rle1 labelmap instead): boxes as regions the reader can take into their label,
 * or the answer the model gives with its probabilities.
 */
export type ProposalContent = {
  regions: ProposedRegion[];
  answers: AnnotationContent['answers'];
  scores: ProposedScore[];
};

export const encodeProposalContent = (content: ProposalContent): Uint8Array => new TextEncoder().encode(JSON.stringify(content));
export const decodeProposalContent = (bytes: Uint8Array): ProposalContent => JSON.parse(new TextDecoder().decode(bytes)) as ProposalContent;
