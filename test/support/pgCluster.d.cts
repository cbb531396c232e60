export function isOnline(): boolean;
export function stop(): void;
export function ensureRunning(): void;
