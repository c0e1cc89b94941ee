/**
 * Throws random and malformed messages at every channel of both doors into the service (the
 * Electron main router with fake senders, the browser-mode WebSocket) and prints what came
 * back. Exits 1 on a crash, a hang, a malformed answer or a forbidden request let through.
 *
 * Usage: npm run fuzz -- [--count N (per door, default 10000)] [--seed S]
 */
import { runFuzz } from '../tests/fuzz/run-fuzz';
import { integerArgument } from './integer-argument';

const count = integerArgument('--count', 10_000);
const seed = integerArgument('--seed', Date.now() % 1_000_000);
process.stdout.write(`Fuzz: ${count} messages per door, seed ${seed}\n`);
const run = await runFuzz({ count, seed, log: (line) => process.stdout.write(`${line}\n`) });
const violations = run.reports.reduce((n, r) => n + r.violations.length, 0);
for (const problem of run.problems) process.stdout.write(`! ${problem}\n`);
process.stdout.write(
  `Total: ${run.reports.reduce((n, r) => n + r.sent, 0)} messages, ${violations} contract violations, ${run.problems.length} problems after the run\n`,
);
process.exit(violations + run.problems.length === 0 ? 0 : 1);
