import path from 'node:path';

/** The repository root and the server build the bench measures (compiled bench lives in dist-bench/bench/). */
export const ROOT = path.resolve(__dirname, '../..');
export const DIST = path.join(ROOT, 'dist');
