/**
 * `ocr-desk <files or folders…> --out DIR --format txt,json,md`: reads documents through the
 * OCR service (the same queue, pool, retries and history as the app) and writes the results.
 */
import { resolveDataDir } from '../service/data-dir';
import { parseCliArgs, USAGE } from './cli-args';
import { runBatch } from './run-batch';

const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`ocr-desk: ${parsed.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const dataDir = resolveDataDir(parsed.options.dataDir);
  const summary = await runBatch(parsed.options, dataDir, {
    log: (text) => process.stderr.write(text),
  });
  return summary.counts.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ocr-desk: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
