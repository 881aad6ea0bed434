#!/usr/bin/env node
// The `kakunin` command. The project ships TypeScript sources; tsx compiles them on the fly (cached), so
// `npm ci && npx kakunin dev` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
