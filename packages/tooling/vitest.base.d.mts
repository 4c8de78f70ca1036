import type { ViteUserConfig } from 'vitest/config';
export declare function defineTestConfig(name: string, overrides?: ViteUserConfig): ViteUserConfig;
