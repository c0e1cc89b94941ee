/** Parses the command line: `ocr-desk <files or folders…> --out DIR --format txt,json,md [--priority N] [--data-dir DIR]`. */
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/domain';

export interface CliOptions {
  inputs: string[];
  outDir: string;
  formats: ExportFormat[];
  priority: number;
  dataDir: string | undefined;
}

/** A mistake in what the user asked for, found after parsing (exit status 2, like a bad flag). */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export type ParsedArgs =
  { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const USAGE = `Usage: ocr-desk <files or folders…> --out DIR [--format txt,json,md] [--priority N] [--data-dir DIR]

Reads every document given (images and PDFs; folders are searched, and files in them that are
not documents are skipped) and writes the text to DIR, mirroring the input folders.

  --out DIR         where results go (required)
  --format LIST     comma-separated: ${EXPORT_FORMATS.join(', ')} (default: txt)
  --priority N      queue priority, higher first (default 0)
  --data-dir DIR    the service's data folder (default: $OCR_DESK_DATA_DIR, else
                    $XDG_DATA_HOME/ocr-desk or ~/.local/share/ocr-desk)
  -h, --help        this text

A name starting with a dash can follow \`--\`. Ctrl-C cancels what is left and writes the summary.

Exit status: 0 when every document was read, 1 when any document or page failed, 2 on a usage
error or when another batch is writing to DIR, 130 when interrupted.`;

export function parseCliArgs(argv: string[]): ParsedArgs {
  const inputs: string[] = [];
  let outDir: string | undefined;
  let formatList = 'txt';
  let priority = 0;
  let dataDir: string | undefined;

  let optionsEnded = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (optionsEnded) {
      inputs.push(arg);
      continue;
    }
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      i += 1;
      return next;
    };
    try {
      if (arg === '--') optionsEnded = true;
      else if (arg === '-h' || arg === '--help') return { kind: 'help' };
      else if (arg === '--out' || arg === '-o') outDir = value();
      else if (arg === '--format' || arg === '-f') formatList = value();
      else if (arg === '--data-dir') dataDir = value();
      else if (arg === '--priority') {
        const raw = value();
        priority = Number(raw);
        if (!Number.isInteger(priority) || Math.abs(priority) > 1000) {
          return {
            kind: 'error',
            message: `--priority must be a whole number from -1000 to 1000, not "${raw}"`,
          };
        }
      } else if (arg.startsWith('-') && arg !== '-')
        return { kind: 'error', message: `Unknown option ${arg}` };
      else inputs.push(arg);
    } catch (error) {
      return { kind: 'error', message: (error as Error).message };
    }
  }

  if (inputs.length === 0)
    return { kind: 'error', message: 'Give at least one file or folder to read' };
  if (!outDir) return { kind: 'error', message: '--out DIR is required' };
  const formats = [
    ...new Set(
      formatList
        .split(',')
        .map((f) => f.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const unknown = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    return {
      kind: 'error',
      message: `Unknown format ${unknown.join(', ') || '(none)'}; choose from ${EXPORT_FORMATS.join(', ')}`,
    };
  }
  return {
    kind: 'run',
    options: { inputs, outDir, formats: formats as ExportFormat[], priority, dataDir },
  };
}
