/**
 * @module
 * Secret comparison whose duration does not depend on where the inputs differ.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `a` and `b` are equal, compared in constant time. Both are hashed (SHA-256) first, so
 * inputs of different lengths are compared without leaking the secret's length through an early
 * exit or an exception.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
