/**
 * `ocr-desk <files or folders…> --out DIR --format txt,json,md`: reads documents through the
 * OCR service (the same queue, pool, retries and history as the app) and writes the results.
 */
import { resolveDataDir } from '../service/data-dir';
import { CliUsageError, parseCliArgs, USAGE } from './cli-args';
import { fullyRead } from './batch-summary';
import { runBatch } from './run-batch';

const EXIT_USAGE = 2;
/** The shell's status for a program stopped by Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/** The first Ctrl-C (or SIGTERM) stops the batch in order; a second one quits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write('\nStopping: cancelling what is left (press Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

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
  const signal = interruptSignal();
  try {
    const { summary, summaryWritten } = await runBatch(parsed.options, dataDir, {
      log: (text) => process.stderr.write(text),
      signal,
    });
    // Interrupted means something was left unread; a Ctrl-C once all was done changes nothing.
    if (signal.aborted && summary.counts.cancelled > 0) return EXIT_INTERRUPTED;
    return summaryWritten && fullyRead(summary) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`ocr-desk: ${error.message}\n`);
    return EXIT_USAGE;
  }
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
