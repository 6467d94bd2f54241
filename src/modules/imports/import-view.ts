import type { ImportRecord } from './imports.repository';
import type { Import } from './imports.schemas';
import type { ImportProblem } from './processing/import-problems';

/** An import as the API shows it (its resource, and its events' data). */
function phaseOf(record: ImportRecord): Import['progress']['phase'] {
  if (record.status === 'queued') return 'queued';
  if (record.status === 'running') return record.totalRows === null ? 'validating' : 'applying';
  return 'done';
}

export function toImport(record: ImportRecord): Import {
  const { invitationsQueued = 0, invitationsSkipped = 0, ...counts } = record.counts;
  return {
    id: record.id,
    structureId: record.structureId,
    status: record.status,
    fileName: record.fileName,
    format: record.format,
    fileSize: record.fileSize,
    options: {
      dryRun: record.dryRun,
      onError: record.onError,
      notify: record.notify,
      directoryVisible: record.directoryVisible,
    },
    progress: {
      phase: phaseOf(record),
      rowsRead: record.processedRows,
      totalRows: record.totalRows,
      rowsApplied: counts.created + counts.updated + counts.unchanged,
    },
    counts,
    invitations: { queued: invitationsQueued, skipped: invitationsSkipped },
    error: (record.error as ImportProblem | null) ?? null,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
    fileDeletedAt: record.fileDeletedAt?.toISOString() ?? null,
  };
}
