// The audit bounds in host.yaml: defaults when absent, written only when changed, refused with the
// field's rule when out of range.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_SETTINGS, defaultHostSettings, makeKeyCheck, parseSettingsYaml, renderSettingsYaml, settingsFromData, settingsToData } from './host-settings.js';

const key = randomBytes(32);

describe('audit settings', () => {
  it('default to 10 MB and 5 rotated files, and are left out of host.yaml until changed', () => {
    expect(settingsFromData({}, key, 'host.yaml').audit).toEqual({ maxFileMegabytes: 10, keepFiles: 5 });
    expect(settingsToData(defaultHostSettings(), key)).not.toHaveProperty('audit');
  });

  it('round-trip through host.yaml when changed', () => {
    const settings = { ...defaultHostSettings(), audit: { maxFileMegabytes: 0.5, keepFiles: 0 } };
    expect(parseSettingsYaml(renderSettingsYaml(settings, key, makeKeyCheck(key)), key, 'host.yaml').audit).toEqual({ maxFileMegabytes: 0.5, keepFiles: 0 });
    expect(DEFAULT_AUDIT_SETTINGS).toEqual({ maxFileMegabytes: 10, keepFiles: 5 });
  });

  it('refuses sizes and counts out of range, naming the field', () => {
    expect(() => settingsFromData({ audit: { maxFileMegabytes: 0 } }, key, 'host.yaml')).toThrow('host.yaml: audit.maxFileMegabytes must be a number of megabytes above 0 and at most 1024');
    expect(() => settingsFromData({ audit: { keepFiles: 1.5 } }, key, 'host.yaml')).toThrow('host.yaml: audit.keepFiles must be an integer from 0 to 100');
    expect(() => settingsFromData({ audit: 'big' }, key, 'host.yaml')).toThrow('host.yaml: audit must be a mapping (maxFileMegabytes, keepFiles)');
  });
});
