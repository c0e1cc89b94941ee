/** The options of `npm run serve`; kept apart from the entry so that importing runs nothing. */

export interface ServeArguments {
  port: number;
  dataDir?: string;
}

/** Reads `--port N` and `--data-dir DIR`; throws with a readable message on anything else. */
export function parseServeArguments(argv: string[]): ServeArguments {
  const parsed: ServeArguments = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port needs a port number, got ${value}`);
      parsed.port = port;
      i++;
    } else if (name === '--data-dir') {
      if (!value) throw new Error('--data-dir needs a folder');
      parsed.dataDir = value;
      i++;
    } else {
      throw new Error(`Unknown option ${name}. Usage: serve [--port N] [--data-dir DIR]`);
    }
  }
  return parsed;
}
