'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { useActionRunner } from '@/components/ui/use-action-runner';
import type { LabelSchema } from '@/lib/annotations/label-schema';
import type { Action } from '@/lib/http/action-result';
import { LabelSchemaEditor } from './LabelSchemaEditor';
import { draftToSchema, schemaToDraft } from './schema-draft';

/** Edits the schema and publishes the result as its next version. */
export function SchemaVersionEditor({
  projectId,
  schema,
  action,
}: {
  projectId: string;
  schema: LabelSchema;
  action: Action<{ projectId: string; schema: LabelSchema }, { version: number; created: boolean }>;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(() => schemaToDraft(schema));
  const { busy, message, fields, run } = useActionRunner();
  if (!open) {
    return (
      <>
        {message && <Alert tone={message.tone}>{message.text}</Alert>}
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Edit schema
        </Button>
      </>
    );
  }
  async function publish() {
    const result = await run(
      () => action({ projectId, schema: draftToSchema(draft) }),
      (r) => (r.created ? `Published schema version ${r.version}.` : 'Nothing changed: the schema is the same as the latest version.'),
    );
    if (result) setOpen(false);
  }
  return (
    <div className="space-y-4">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {fields.schema?.map((f) => (
        <Alert key={f} tone="error">
          {f}
        </Alert>
      ))}
      <LabelSchemaEditor value={draft} onChange={setDraft} />
      <p className="text-xs text-slate-500">Labels keep the version they were made with; a label saved again must fit the new version.</p>
      <div className="flex gap-2">
        <Button disabled={busy} onClick={publish}>
          {busy ? 'Publishing…' : 'Publish new version'}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
