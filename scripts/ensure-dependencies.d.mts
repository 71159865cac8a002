interface Lockfile {
  packages?: Record<
    string,
    { name?: string; version?: string; integrity?: string; optional?: boolean; link?: boolean }
  >;
}
export const MINIMUM_NODE: [number, number];
export function lockDifference(
  lock: Lockfile,
  installed: Lockfile | undefined,
  exists?: (path: string) => boolean,
): string | undefined;
export function ensureDependencies(root: string, env?: NodeJS.ProcessEnv): number;
