'use client';

import { useRef, useState, type DragEvent } from 'react';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { cx } from '@/components/ui/cx';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { useUploadQueue, type UploadItem } from './use-upload-queue';

/** Files, whole folders and zip archives of DICOM, uploaded with a progress bar each and overall. */
export function DicomUploader() {
  const { items, add, retryFailed, clearDone } = useUploadQueue();
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const total = items.reduce((n, i) => n + i.file.size, 0);
  const loaded = items.reduce((n, i) => n + (i.status === 'done' ? i.file.size : i.loaded), 0);
  const outcomes = items.flatMap((i) => i.outcomes);
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  const failed = items.filter((i) => i.status === 'failed').length;
  const busy = items.some((i) => i.status === 'queued' || i.status === 'uploading');

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add([...e.dataTransfer.files]);
  };

  return (
    <div className="space-y-4">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
        className={cx(
          'flex flex-col items-center gap-3 rounded-lg border-2 border-dashed px-6 py-10 text-center text-sm',
          dragging ? 'border-brand-500 bg-brand-50 dark:bg-brand-900/20' : 'border-slate-300 dark:border-slate-700',
        )}
      >
        <p className="text-slate-600 dark:text-slate-400">Drop DICOM files or zip archives here, or choose:</p>
        <div className="flex gap-2">
          <Button onClick={() => filesInput.current?.click()}>Choose files or archives</Button>
          <Button variant="secondary" onClick={() => folderInput.current?.click()}>
            Choose a folder
          </Button>
        </div>
        <p className="text-xs text-slate-500">Files are recognised by content, so names without .dcm are fine. Sending a file twice stores it once.</p>
        <input
          ref={filesInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            add([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          data-testid="folder-input"
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => {
            add([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>

      {items.length > 0 && (
        <section aria-label="Upload progress" className="space-y-3">
          <div>
            <div className="mb-1 flex justify-between text-sm">
              <span data-testid="upload-summary">
                {count('stored')} stored · {count('duplicate')} already stored · {count('rejected')} refused
                {failed ? ` · ${failed} failed to upload` : ''}
              </span>
              <span className="text-slate-500">
                {formatBytes(loaded)} of {formatBytes(total)}
              </span>
            </div>
            <ProgressBar value={total ? loaded / total : 0} label="Overall progress" />
          </div>
          <div className="flex gap-2">
            {failed > 0 && (
              <Button variant="secondary" onClick={retryFailed}>
                Retry failed
              </Button>
            )}
            {!busy && (
              <Button variant="ghost" onClick={clearDone}>
                Clear finished
              </Button>
            )}
          </div>
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" data-testid="upload-list">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const rejected = item.outcomes.filter((o) => o.status === 'rejected');
  const stored = item.outcomes.filter((o) => o.status === 'stored').length;
  const duplicates = item.outcomes.filter((o) => o.status === 'duplicate').length;
  const single = item.outcomes.length === 1 ? item.outcomes[0] : undefined;
  return (
    <li className="px-4 py-2" data-testid="upload-row" data-status={single?.status ?? item.status}>
      <div className="flex items-center gap-3">
        <span className="min-w-0 flex-1 truncate font-mono text-xs" title={item.name}>
          {item.name}
        </span>
        <span className="text-xs text-slate-500">{formatBytes(item.file.size)}</span>
        {item.status === 'done' ? (
          single ? (
            <Badge tone={single.status === 'rejected' ? 'danger' : single.status === 'stored' ? 'success' : 'neutral'}>
              {single.status === 'duplicate' ? 'already stored' : single.status === 'rejected' ? 'refused' : 'stored'}
            </Badge>
          ) : (
            <Badge tone={rejected.length ? 'warning' : 'success'}>
              {stored} stored, {duplicates} already, {rejected.length} refused
            </Badge>
          )
        ) : item.status === 'failed' ? (
          <Badge tone="danger">upload failed</Badge>
        ) : (
          <span className="w-32">
            <ProgressBar value={item.file.size ? item.loaded / item.file.size : 0} label={`Uploading ${item.name}`} />
          </span>
        )}
      </div>
      {item.error && <p className="mt-1 text-xs text-red-700 dark:text-red-400">{item.error}</p>}
      {rejected.length > 0 && (
        <ul className="mt-1 space-y-0.5 text-xs text-red-700 dark:text-red-400">
          {rejected.slice(0, 20).map((o, i) => (
            <li key={i}>
              {single ? '' : `${o.name}: `}
              {o.reason}
            </li>
          ))}
          {rejected.length > 20 && <li>… and {rejected.length - 20} more</li>}
        </ul>
      )}
    </li>
  );
}

function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
      <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}
