// sagac's version for the page: codegen/ts/version.ts reads package.json from disk, which a page
// cannot; vite.config.ts puts this module in its place.
import pkg from '../package.json';

export const SAGAC_VERSION: string = pkg.version;
