import { PURPOSE_TEXT, type ConsentPurpose } from '@/lib/consent/purposes';
import type { Contributor } from '../find-contributors';
import type { SelectionSummary } from '../summarize-selection';

export type CardInput = {
  name: string;
  description: string;
  purpose: ConsentPurpose;
  license: string;
  labelStatus: 'accepted' | 'any';
  split: { train: number; val: number; test: number; seed: string; stratify: boolean };
  summary: Pick<SelectionSummary, 'included' | 'patients' | 'bySplit' | 'classBalance'>;
  contributors: readonly Contributor[];
  models: readonly { name: string; version: string; sha256: string; studies: number }[];
  deidentification: { profile: string; options: readonly string[] };
  encrypted: boolean;
  ledgerOrigin: string;
  publishedAt: string;
};

/** README.md of a published version: what it is, what is in it, who made it, how to check it. */
export function datasetCard(c: CardInput): string {
  const lines = [
    `# ${c.name}`,
    '',
    c.description || '_No description._',
    '',
    '| | |',
    '|---|---|',
    `| Use patients consented to | ${PURPOSE_TEXT[c.purpose].label} (\`${c.purpose}\`) |`,
    `| Licence | ${c.license} |`,
    `| Studies | ${c.summary.included} from ${c.summary.patients} patients |`,
    `| Labels | ${c.labelStatus === 'accepted' ? 'accepted by a reviewer' : 'newest of each study, any status (see labels/)'} |`,
    `| Split | train ${c.summary.bySplit.train.studies}, validation ${c.summary.bySplit.val.studies}, test ${c.summary.bySplit.test.studies} studies (asked ${c.split.train}/${c.split.val}/${c.split.test}%, by patient${c.split.stratify ? ', stratified by class' : ''}, seed "${c.split.seed}") |`,
    `| Encryption | ${c.encrypted ? 'every file AES-256-GCM; the key is given to each grantee, never published' : 'none (open dataset)'} |`,
    `| Published | ${c.publishedAt} |`,
    '',
    '## Class balance',
    '',
    '| Class | Train | Validation | Test | Total |',
    '|---|---:|---:|---:|---:|',
    ...c.summary.classBalance.map((b) => `| ${b.name.replaceAll('|', '\\|')} | ${b.train} | ${b.val} | ${b.test} | ${b.total} |`),
    '',
    '## Layout',
    '',
    '- `dicom/<study>/sNN/NNNN.dcm`: de-identified images in stack order; `dicom/<study>/sNN-seg.dcm`: the segmentation of that series as DICOM-SEG.',
    '- `labels/<study>.json`: the label (segments, boxes, polygons, measurements, answers) with the de-identified UIDs.',
    '- `labels/classifications.csv`, `splits.csv`: answers and splits as tables.',
    '- `manifest.json`, `manifest.sig`: every file with its size, SHA-256 and CID, every study with its consent proof, signed.',
    '',
    '## De-identification',
    '',
    `${c.deidentification.profile}, with: ${c.deidentification.options.join('; ')}. UIDs are replaced by keyed hashes (2.25.…), the same within this dataset; private tags are removed; pixel data is unchanged, and studies whose images may carry burned-in text are left out.`,
    '',
    '## Contributors',
    '',
    c.contributors.length ? '| Contributor | Roles | Labels | Reviews |\n|---|---|---:|---:|' : '_None recorded._',
    ...c.contributors.map((p) => `| ${p.name ? `${p.name} (\`${p.id}\`)` : `\`${p.id}\``} | ${p.roles.join(', ')} | ${p.labels} | ${p.reviews} |`),
    '',
    'Contributors are named by their pseudonyms in the ledger, and by name where they asked to be credited.',
    '',
    '## Models',
    '',
    c.models.length ? '| Model | Version | SHA-256 | Studies pre-annotated |\n|---|---|---|---:|' : 'No AI pre-annotation was used for these labels.',
    ...c.models.map((m) => `| ${m.name} | ${m.version} | \`${m.sha256.slice(0, 16)}…\` | ${m.studies} |`),
    '',
    '## How to verify',
    '',
    '```sh',
    'npm run cohort -- pull <cid> --out <dir>   # add --key <file> for an encrypted dataset',
    '```',
    '',
    `The pull checks every block against its CID, \`manifest.sig\` against the ledger key of \`${c.ledgerOrigin}\`, every file's SHA-256, and each study's consent entry against the signed checkpoint in the manifest. Cohort's /ledger page and the \`dataset.published\` entry record this version's root CID and manifest hash.`,
    '',
  ];
  return lines.join('\n');
}
