#!/usr/bin/env node
// The `paysim` executable. paysim is written in TypeScript and runs through tsx's loader, so
// `npx paysim` works right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
