import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** presswork's own version, as package.json states it. */
export const PRESSWORK_VERSION: string = (require('../package.json') as { version: string }).version;
