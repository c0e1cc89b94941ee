/** The one command-line option the chaos, soak and fuzz scripts take: `--name N`. */

/**
 * The positive integer after `name` on the command line, or `fallback` when `name` is absent.
 * Throws, naming the option, when what follows it is missing or not a positive integer.
 */
export function integerArgument(
  name: string,
  fallback: number,
  argv: readonly string[] = process.argv,
): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} needs a positive integer`);
  return value;
}
