/** @module Internal: renders zod issues for error messages. */
import type { z } from 'zod';

/** `field.path: message` for the first few issues of a zod error, for error messages. */
export function describeZodIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : '';
  return shown.join('; ') + more;
}
