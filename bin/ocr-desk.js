#!/usr/bin/env node
// Launcher for the command line: registers tsx so Node can run the TypeScript entry, from any
// working directory, then hands over to it.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
