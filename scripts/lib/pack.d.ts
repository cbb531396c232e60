/** Absolute path of the repository. */
export const projectRoot: string;

/** Runs `npm run build` (unless build is false), then `npm pack` into destination; returns the tarball's absolute path. */
export function packTarball(options: { destination: string; build?: boolean }): string;
