// Command line of `npm run bench -- [DIR] [--only ours,tesseract] [--limit N]`.
import { RUNNER_NAMES, type RunnerName } from './runner-protocol';

export interface BenchOptions {
  /** Corpus folder as given, or undefined for the default beside the repository. */
  dir?: string;
  runners: RunnerName[];
  /** Files per set; all when undefined. */
  limitPerSet?: number;
}

export const BENCH_USAGE =
  'usage: npm run bench -- [DIR] [--only ours,tesseract,gutenye] [--limit FILES_PER_SET]';

function isRunnerName(name: string): name is RunnerName {
  return (RUNNER_NAMES as readonly string[]).includes(name);
}

/** Parses the arguments after the script name; throws an Error whose message says what is wrong. */
export function parseBenchOptions(args: string[]): BenchOptions {
  const options: BenchOptions = { runners: [...RUNNER_NAMES] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inlineValue] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg];
    const value = () => {
      const found = inlineValue ?? args[++i];
      if (found === undefined) throw new Error(`${flag} needs a value`);
      return found;
    };

    if (flag === '--only') {
      const names = value()
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const unknown = names.filter((name) => !isRunnerName(name));
      if (unknown.length > 0 || names.length === 0) {
        throw new Error(
          `--only takes runners among ${RUNNER_NAMES.join(', ')}; got "${unknown.join(',')}"`,
        );
      }
      // Keep the fixed order: ours first, the memory-hungry peer last and alone.
      options.runners = RUNNER_NAMES.filter((name) => names.includes(name));
    } else if (flag === '--limit') {
      const limit = Number(value());
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error('--limit takes a whole number ≥ 1');
      options.limitPerSet = limit;
    } else if (flag.startsWith('-')) {
      throw new Error(`unknown option ${flag}`);
    } else if (options.dir === undefined) {
      options.dir = arg;
    } else {
      throw new Error(`one corpus folder only; got "${options.dir}" and "${arg}"`);
    }
  }
  return options;
}
