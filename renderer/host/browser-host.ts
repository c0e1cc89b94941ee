/**
 * Browser mode: the service over a WebSocket, files uploaded to the server (which keeps them in
 * a per-upload folder under its data folder), exports written to a server folder and offered
 * for download. The access token comes from the page's URL.
 */
import type { Result } from '../../shared/contract';
import type { DesktopHost, ExportTarget, IncomingFiles, RejectedInput } from './host';
import { WebSocketServiceClient } from './ws-client';

interface Upload {
  file: File;
  /** Path relative to the dropped folder, or the file name. */
  relativePath: string;
}

const DOCUMENT_NAME = /\.(png|jpe?g|tiff?|webp|bmp|gif|pdf)$/i;

function readAccessToken(): string {
  return new URLSearchParams(location.search).get('token') ?? '';
}

function fileFromEntry(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries a call; keep reading until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: Upload[]): Promise<void> {
  if (entry.isFile) {
    out.push({
      file: await fileFromEntry(entry as FileSystemFileEntry),
      relativePath: prefix + entry.name,
    });
    return;
  }
  if (!entry.isDirectory) return;
  const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
  for (const child of children) await walkEntry(child, `${prefix}${entry.name}/`, out);
}

export function createBrowserHost(): DesktopHost {
  const token = readAccessToken();
  const wsUrl = `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const client = new WebSocketServiceClient(wsUrl);
  const authHeaders = { authorization: `Bearer ${token}` };

  async function upload(item: Upload): Promise<Result<{ path: string }>> {
    try {
      const response = await fetch('/api/upload', {
        method: 'PUT',
        headers: { ...authHeaders, 'x-file-name': encodeURIComponent(item.relativePath) },
        body: item.file,
      });
      return (await response.json()) as Result<{ path: string }>;
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: String(error) } };
    }
  }

  async function uploadAll(items: Upload[]): Promise<IncomingFiles> {
    const paths: string[] = [];
    const rejected: RejectedInput[] = [];
    for (const item of items) {
      // Inside a folder, only files named as documents are sent (a folder also holds notes,
      // thumbnails and the like); a file chosen on its own is always sent and judged by content.
      if (item.relativePath.includes('/') && !DOCUMENT_NAME.test(item.relativePath)) {
        rejected.push({ name: item.relativePath, reason: 'Skipped: not a document type.' });
        continue;
      }
      const result = await upload(item);
      if (result.ok) paths.push(result.value.path);
      else rejected.push({ name: item.relativePath, reason: result.error.message });
    }
    return { paths, rejected };
  }

  return {
    kind: 'browser',
    client,
    async addFiles(files, entries) {
      const items: Upload[] = [];
      if (entries && entries.length > 0) {
        for (const entry of entries) await walkEntry(entry, '', items);
      } else {
        for (const file of files)
          items.push({ file, relativePath: file.webkitRelativePath || file.name });
      }
      return uploadAll(items);
    },
    async chooseExportTarget(): Promise<ExportTarget | null> {
      const response = await fetch('/api/export-folder', { method: 'POST', headers: authHeaders });
      const result = (await response.json()) as Result<{ dir: string }>;
      return result.ok ? { dir: result.value.dir, kind: 'server-folder' } : null;
    },
    exportDownloadUrl(path) {
      return `/api/exports/file?path=${encodeURIComponent(path)}&token=${encodeURIComponent(token)}`;
    },
    onConnection: (listener) => client.onConnection(listener),
    onMenuCommand: () => () => undefined,
    onOpenPaths: () => () => undefined,
  };
}
