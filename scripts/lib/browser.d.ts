import type { Browser, BrowserContext } from 'playwright-core';

/** Installs Debian's chromium when /usr/bin/chromium is missing; returns its path. */
export function ensureChromium(): string;

/** Headless Chromium and a context logged in to n8n as its owner. */
export function openEditor(
	n8n: { baseUrl: string; owner: { email: string; password: string } },
	viewport: { width: number; height: number },
): Promise<{ browser: Browser; context: BrowserContext }>;
