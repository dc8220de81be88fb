import { selectDatasetStudies, type DatasetDefinition, type DatasetSelection } from './select-dataset-studies';
import { summarizeSelection, type SelectionSummary } from './summarize-selection';

export type DatasetPreview = { at: string; summary: SelectionSummary; included: DatasetSelection['included']; excluded: DatasetSelection['excluded'] };

/** What publishing now would produce: the selection and its numbers. */
export async function previewDataset(def: DatasetDefinition, at: Date = new Date()): Promise<DatasetPreview> {
  const selection = await selectDatasetStudies(def, at);
  return { at: selection.at.toISOString(), summary: summarizeSelection(selection), included: selection.included, excluded: selection.excluded };
}
