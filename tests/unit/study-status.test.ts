import { describe, expect, it } from 'vitest';
import { studyStatusOf } from '@/lib/projects/study-status.client';

const copies = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe("a study's place in the workflow, from its readers' copies", () => {
  it('goes unassigned → in progress → submitted once every reader it needs has submitted', () => {
    expect(studyStatusOf(copies(), 2)).toBe('unassigned');
    expect(studyStatusOf(copies('in_progress'), 2)).toBe('in_progress');
    // One reader of two has submitted: the study still waits for the other.
    expect(studyStatusOf(copies('submitted'), 2)).toBe('in_progress');
    expect(studyStatusOf(copies('submitted', 'in_progress'), 2)).toBe('in_progress');
    expect(studyStatusOf(copies('submitted', 'submitted'), 2)).toBe('submitted');
    expect(studyStatusOf(copies('submitted'), 1)).toBe('submitted');
  });

  it('is in review, or sent back, while any copy is; accepted once a reviewer accepted one', () => {
    expect(studyStatusOf(copies('in_review', 'submitted'), 2)).toBe('in_review');
    expect(studyStatusOf(copies('changes_requested', 'submitted'), 2)).toBe('changes_requested');
    // A reviewer looking at one copy while another was sent back: the review is what is under way.
    expect(studyStatusOf(copies('changes_requested', 'in_review'), 2)).toBe('in_review');
    // The accepted copy is the study's reference label, whatever the others' state.
    expect(studyStatusOf(copies('accepted', 'changes_requested'), 2)).toBe('accepted');
    expect(studyStatusOf(copies('accepted', 'in_progress'), 2)).toBe('accepted');
  });
});
