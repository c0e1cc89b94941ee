// Child process: @gutenye/ocr-node with its default models and options, documents one after
// another, its lines joined in the order it returns them.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Ocr from '@gutenye/ocr-node';
import type { BenchFile, FileRun } from '../runner-protocol';
import { progress, runAsChild, type Runner } from '../runner-child';

interface GutenyeLine {
  text: string;
}

/**
 * This peer can take over 10 GB on a page set; if the machine runs short, the kernel should
 * end this process rather than someone else's.
 */
function preferAsOomVictim(): void {
  try {
    writeFileSync('/proc/self/oom_score_adj', '1000');
  } catch {
    // Not Linux: nothing to adjust.
  }
}

function packageVersion(): string {
  // The package exports no `./package.json`; its entry point is build/index.js.
  const entryPath = createRequire(import.meta.url).resolve('@gutenye/ocr-node');
  const manifestPath = join(dirname(entryPath), '..', 'package.json');
  return (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
}

async function start(): Promise<Runner> {
  preferAsOomVictim();
  const ocr = await Ocr.create();

  async function readFile(file: BenchFile): Promise<FileRun> {
    const started = performance.now();
    try {
      const lines = (await ocr.detect(file.imagePath)) as GutenyeLine[];
      return {
        imagePath: file.imagePath,
        text: lines.map((line) => line.text).join('\n'),
        wallMs: performance.now() - started,
        pagesRead: 1,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress('gutenye', `${file.imagePath} failed: ${message}`);
      return {
        imagePath: file.imagePath,
        text: '',
        wallMs: performance.now() - started,
        pagesRead: 0,
        error: message,
      };
    }
  }

  return {
    description: `@gutenye/ocr-node ${packageVersion()}, default models and options (first page only)`,
    async runSet(files) {
      const runs: FileRun[] = [];
      for (const file of files) runs.push(await readFile(file));
      return { files: runs };
    },
    async close() {
      // The library holds its sessions until the process ends; nothing to release here.
    },
  };
}

await runAsChild('gutenye', start);
