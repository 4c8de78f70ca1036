import { pluginManifestError } from './compatibility.js';
import { CONNECTOR_KEYWORD } from './manifest.js';
import type { PluginLoadErrorCode } from './plugin-load-error.js';

export { SUPPORTED_API_VERSIONS } from './compatibility.js';

/** One connector package a registry offers. */
export interface RegistryConnector {
  name: string;
  version: string;
  description: string;
  publisher: string;
  /** The `ecmahost.apiVersion` of the package's manifest, when it declares one. */
  apiVersion?: number;
  /** Absent when this host can load the version; else why not. */
  problem?: string;
  /** Absent when this host can load the version; else the code `plugins install` would fail with. */
  code?: PluginLoadErrorCode;
}

interface SearchObject {
  package?: {
    name?: string;
    version?: string;
    'dist-tags'?: { latest?: string };
    description?: string;
    keywords?: unknown;
    publisher?: { username?: string };
    maintainers?: { username?: string }[];
    ecmahost?: { apiVersion?: unknown };
  };
}

/** A version's manifest as the registry serves it (`/<name>/<version>`). */
interface VersionDocument {
  name?: string;
  version?: string;
  keywords?: unknown;
  ecmahost?: { apiVersion?: unknown };
  peerDependencies?: unknown;
  _npmUser?: { name?: string };
}

const TIMEOUT_MS = 20_000;

function base(registry: string): string {
  return registry.endsWith('/') ? registry : `${registry}/`;
}

/** Fetches JSON from the registry; every network or HTTP failure becomes one clear message. */
async function getJson(registry: string, url: URL): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new Error(`cannot reach the npm registry ${registry} (${reason}). Check the address (--registry, or "npm config get registry") and the network.`, { cause: error });
  }
  if (response.status === 404 && url.pathname.endsWith('/-/v1/search')) {
    throw new Error(`the npm registry ${registry} does not offer the npm search API (${url.pathname} answered 404 Not Found); search a registry that does, with --registry <url>`);
  }
  if (!response.ok) throw new Error(`the npm registry ${registry} answered ${response.status} ${response.statusText} for ${url.pathname}`);
  try {
    return await response.json();
  } catch {
    throw new Error(`the npm registry ${registry} answered ${url.pathname} with something that is not JSON`);
  }
}

function apiVersionOf(manifest: { ecmahost?: { apiVersion?: unknown } } | undefined): number | undefined {
  const value = manifest?.ecmahost?.apiVersion;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Asks `registry` for connector packages matching `term`. Searches by text (Verdaccio does not
 * understand the public registry's `keywords:` qualifier) and keeps only packages whose keywords
 * include {@link CONNECTOR_KEYWORD}; reads each version's manifest (the search API leaves out
 * `peerDependencies`) and judges it with the loader's own check (`checkPluginManifest`).
 */
export async function searchRegistry(registry: string, term: string | undefined): Promise<RegistryConnector[]> {
  const url = new URL('-/v1/search', base(registry));
  url.searchParams.set('text', [CONNECTOR_KEYWORD, term].filter((t) => t !== undefined && t !== '').join(' '));
  url.searchParams.set('size', '100');
  const answer = (await getJson(registry, url)) as { objects?: SearchObject[] };
  const found: RegistryConnector[] = [];
  for (const object of answer.objects ?? []) {
    const pkg = object.package;
    if (pkg?.name === undefined) continue;
    if (!Array.isArray(pkg.keywords) || !pkg.keywords.includes(CONNECTOR_KEYWORD)) continue;
    // The public registry's results carry the version; Verdaccio's only the dist-tags.
    const version = pkg.version ?? pkg['dist-tags']?.latest ?? 'latest';
    const answered = await getJson(registry, new URL(`${pkg.name.replace('/', '%2f')}/${encodeURIComponent(version)}`, base(registry)));
    // A registry may answer anything; what is not an object is judged as an empty manifest.
    const doc = (typeof answered === 'object' && answered !== null && !Array.isArray(answered) ? answered : {}) as VersionDocument;
    const apiVersion = apiVersionOf(doc) ?? apiVersionOf(pkg);
    const entry: RegistryConnector = {
      name: pkg.name,
      version: doc.version ?? version,
      description: pkg.description ?? '',
      publisher: pkg.publisher?.username ?? pkg.maintainers?.[0]?.username ?? doc._npmUser?.name ?? 'unknown',
    };
    if (apiVersion !== undefined) entry.apiVersion = apiVersion;
    const error = pluginManifestError({ name: pkg.name, keywords: pkg.keywords, ...doc, version: entry.version }, pkg.name);
    if (error !== undefined) {
      entry.problem = error.message;
      entry.code = error.code;
    }
    found.push(entry);
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
