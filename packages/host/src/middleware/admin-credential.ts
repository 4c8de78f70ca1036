import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether an `Authorization` header carries `Bearer <credential>`, compared in constant time
 * (over digests, so the length does not leak either).
 */
export function presentsCredential(authorization: string | undefined, credential: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  return presented !== '' && timingSafeEqual(digest(presented), digest(credential));
}
