/**
 * Serves the export request: each task's stored result, in each format, written to
 * `<destinationDir>/<stem>.<format extension>`, the stem being the source's name without its
 * extension unless the request names it, made unique within the request (export-names.ts).
 */
import { join } from 'node:path';
import type { Channels, ExportFormatInfo } from '../../../shared/contract';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/domain';
import { OcrError, toErrorInfo } from '../../../shared/errors';
import { EXPORT_EXTENSIONS, writeExport } from '../export';
import { createFolder } from '../folders';
import { assignExportStems } from './export-names';
import type { ResultStore } from '../store/result-store';
import type { TaskStore } from '../store/task-store';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  txt: 'Plain text',
  md: 'Markdown',
  json: 'JSON (full result)',
  hocr: 'hOCR',
  alto: 'ALTO XML',
  csv: 'CSV (one line per row)',
  pdf: 'Searchable PDF',
};

export function exportFormats(): ExportFormatInfo[] {
  return EXPORT_FORMATS.map((id) => ({
    id,
    label: FORMAT_LABELS[id],
    extension: EXPORT_EXTENSIONS[id],
  }));
}

/** The file an export named `stem` in `format` is written to. */
function exportPath(destinationDir: string, stem: string, format: ExportFormat): string {
  return join(destinationDir, `${stem}.${EXPORT_EXTENSIONS[format]}`);
}

export async function exportTasks(
  tasks: TaskStore,
  results: ResultStore,
  request: Channels['export']['request'],
): Promise<Channels['export']['response']> {
  const response: Channels['export']['response'] = { files: [], failures: [] };
  await createFolder(request.destinationDir).catch((error: unknown) => {
    // The export folder's disk, not the data folder's: a full or read-only one is the export's.
    const reason = (error as Error).message;
    throw new OcrError('export_failed', `Cannot create ${request.destinationDir} (${reason})`, {
      cause: error,
    });
  });
  const taskIds = [...new Set(request.taskIds)];
  const byId = new Map(taskIds.map((id) => [id, tasks.get(id)]));
  const found = [...byId.values()].filter((task) => task !== null);
  const stems = assignExportStems(
    found.map((task) => ({
      key: task.id,
      sourcePath: task.source.path,
      destinationDir: request.destinationDir,
      stem: request.stems?.[task.id],
    })),
    request.formats.map((format) => EXPORT_EXTENSIONS[format]),
  );

  for (const taskId of taskIds) {
    const task = byId.get(taskId);
    for (const format of request.formats) {
      try {
        if (!task) throw new OcrError('not_found', `No task with id ${taskId}`);
        if (task.status !== 'completed') {
          throw new OcrError('invalid_request', `The task is ${task.status}, not completed`);
        }
        const pages = results.pages(taskId);
        const info = {
          format: task.source.format ?? 'png',
          pageCount: task.pagesTotal ?? pages.length,
          widthPx: task.pageWidthPx ?? 0,
          heightPx: task.pageHeightPx ?? 0,
          fileSizeBytes: task.source.sizeBytes ?? 0,
        };
        const path = exportPath(request.destinationDir, stems.get(taskId)!, format);
        const document = { sourcePath: task.source.path, info, pages };
        const leftOutPages = await writeExport(format, document, path);
        response.files.push({
          taskId,
          format,
          path,
          ...(leftOutPages.length > 0 && { leftOutPages }),
        });
      } catch (error) {
        response.failures.push({ taskId, format, error: toErrorInfo(error) });
      }
    }
  }
  return response;
}
