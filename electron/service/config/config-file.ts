/** Reads and writes config.yaml in the data folder. Keys are those of ServiceConfig. */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { ServiceConfig } from '../../../shared/contract';
import { OcrError } from '../../../shared/errors';
import { DEFAULT_CONFIG, mergeConfig, validatePatch } from './service-config';

const HEADER =
  '# OCR Desk service configuration. Sections and keys left out take their defaults.\n' +
  '# Times are in ms, memory in MB. Invalid values stop the service with the key and reason.\n';

/** The file's configuration over the defaults; the defaults alone when there is no file. */
export function loadConfigFile(path: string): ServiceConfig {
  if (!existsSync(path)) return DEFAULT_CONFIG;

  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OcrError('invalid_config', `Invalid configuration in ${path}: ${reason}`);
  }
  try {
    return mergeConfig(DEFAULT_CONFIG, validatePatch(document ?? {}));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OcrError('invalid_config', `${message} (in ${path})`);
  }
}

/** Writes the whole configuration, through a temporary file so a crash leaves the old one. */
export function saveConfigFile(path: string, config: ServiceConfig): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, HEADER + stringify(config));
    renameSync(temporary, path);
  } catch (error) {
    // A full disk leaves a partial file: remove it; the error says why (storage_full…).
    rmSync(temporary, { force: true });
    throw error;
  }
}
